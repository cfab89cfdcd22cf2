"""التحقق بخطوتين: staff enrol before the admin opens; codes after the password; recovery codes."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import recovery_hash, second_factor_state

from ..conftest import login_data
from ..factories import UserFactory

pytestmark = pytest.mark.django_db
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def app_code(device, steps_ahead=0):
    """The code the app shows; `steps_ahead` gives a later one (a code works only once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_log_in(password, national_id, next_url="/"):
    client = Client()
    client.cookies["mumaris_language"] = "en"
    response = client.post(f"/accounts/login/?next={next_url}", login_data(national_id, password))
    return client, response


@pytest.fixture
def new_staff(db):
    return UserFactory(national_id="1000000057", is_staff=True, is_superuser=True, second_factor=False)


KEY_ON_PAGE = re.compile(r"<code>([A-Z2-7 ]+)</code>")
ENROLMENT_LINK = re.compile(r"https?://[^/\s]+(/accounts/two-factor/enrol/[^/\s]+/)")


def enrolment_link_in(email):
    return ENROLMENT_LINK.search(email.body).group(1)


def noted_key(page):
    found = KEY_ON_PAGE.search(page.content.decode())
    return found and found.group(1).replace(" ", "")


def code_for_key(key, steps_ahead=0):
    from base64 import b32decode

    totp = TOTP(b32decode(key))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def open_enrolment_link(client, link):
    """The link shows a page (mail scanners open links); its button continues."""
    assert client.get(link).status_code == 200
    return client.post(link)


def enrol_with_the_app(client, next_url="/admin/"):
    """On the set-up page: the key shown, its code typed; returns the key and the recovery codes page."""
    page = client.get("/accounts/login/set-up/")
    key = noted_key(page)
    codes_page = client.post("/accounts/login/set-up/", {"code": code_for_key(key)})
    assert codes_page.status_code == 200
    return key, codes_page


def test_staff_without_a_second_factor_enrol_through_an_emailed_link(
    new_staff, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client, response = password_log_in(password, new_staff.national_id, "/admin/")
    assert response["Location"] == "/accounts/login/set-up/"
    assert SESSION_KEY not in client.session
    waiting = client.get("/accounts/login/set-up/")
    assert "We have sent a link" in waiting.content.decode()
    assert noted_key(waiting) is None
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/login/")
    assert outbox[-1].to == [new_staff.email]

    assert open_enrolment_link(client, enrolment_link_in(outbox[-1]))["Location"] == "/accounts/login/set-up/"
    page = client.get("/accounts/login/set-up/").content.decode()
    assert "<svg" in page
    assert "otpauth" not in page.split("<svg")[0]  # the address is only inside the picture
    device = TOTPDevice.objects.get(user=new_staff, confirmed=False)
    assert KEY_ON_PAGE.search(page).group(1).replace(" ", "") in device.config_url

    wrong = client.post("/accounts/login/set-up/", {"code": "000000"})
    assert "This code does not match" in wrong.content.decode()
    assert SESSION_KEY not in client.session
    # django-otp refuses codes for a second after a wrong one (its own throttle); a person is slower.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    codes_page = client.post("/accounts/login/set-up/", {"code": app_code(device)})
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", codes_page.content.decode())
    assert len(set(codes)) == 10
    assert 'href="/admin/"' in codes_page.content.decode()
    stored = set(StaticToken.objects.filter(device__user=new_staff).values_list("token", flat=True))
    assert stored == {recovery_hash(code.replace("-", "")) for code in codes}  # hashed, never the codes
    assert int(client.session[SESSION_KEY]) == new_staff.pk
    assert client.get("/admin/").status_code == 200


def test_a_key_noted_with_only_a_staff_members_password_never_opens_the_admin(
    new_staff, password, outbox, django_capture_on_commit_callbacks
):
    """The attack of issue 22: the password, the set-up page's key noted and never confirmed; the
    owner enrols later from elsewhere; the attacker comes back with the password and a code."""
    with django_capture_on_commit_callbacks(execute=True):
        attacker, _ = password_log_in(password, new_staff.national_id, "/admin/")
    for path in ("/accounts/two-factor/", "/accounts/login/set-up/"):
        assert noted_key(attacker.get(path, follow=True)) is None, path  # before: the key the owner confirms

    # The attacker's log-in emailed the owner a link; the owner opens it at work, then logs in there.
    owner = Client()
    open_enrolment_link(owner, enrolment_link_in(outbox[-1]))
    owner.post("/accounts/login/", login_data(new_staff.national_id, password))
    enrol_with_the_app(owner)
    assert TOTPDevice.objects.filter(user=new_staff).count() == 1

    again, response = password_log_in(password, new_staff.national_id, "/admin/")
    assert response["Location"] == "/accounts/login/code/"
    assert SESSION_KEY not in again.session
    assert again.get("/admin/").status_code == 302


def test_a_key_noted_by_someone_else_is_never_the_one_a_practitioner_confirms(pat, password):
    """Practitioners turning it on: a key made in another session is never shown nor confirmable here."""
    attacker, _ = password_log_in(password, pat.national_id)
    noted = noted_key(attacker.get("/accounts/two-factor/"))

    owner, _ = password_log_in(password, pat.national_id)
    owners_key = noted_key(owner.get("/accounts/two-factor/"))
    assert owners_key != noted
    refused = owner.post("/accounts/two-factor/", {"code": code_for_key(noted)})
    assert "This code does not match" in refused.content.decode()
    TOTPDevice.objects.filter(user=pat).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    owner.post("/accounts/two-factor/", {"code": code_for_key(owners_key)})
    assert list(TOTPDevice.objects.filter(user=pat).values_list("confirmed", flat=True)) == [True]

    later, _ = password_log_in(password, pat.national_id, "/requests/")
    later.post("/accounts/login/code/", {"code": code_for_key(noted, steps_ahead=1)})
    assert SESSION_KEY not in later.session
    assert later.get("/requests/")["Location"].startswith("/accounts/login/")


def test_the_link_opened_in_another_browser_asks_for_the_password_there_first(
    new_staff, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        password_log_in(password, new_staff.national_id)
    link = enrolment_link_in(outbox[-1])
    emails_sent = len(outbox)

    phone = Client()
    phone.cookies["mumaris_language"] = "en"
    response = open_enrolment_link(phone, link)
    assert response["Location"] == "/accounts/login/"
    assert phone.get("/accounts/login/set-up/")["Location"] == "/accounts/login/"
    with django_capture_on_commit_callbacks(execute=True):
        logged = phone.post("/accounts/login/", login_data(new_staff.national_id, password))
    assert logged["Location"] == "/accounts/login/set-up/"
    assert len(outbox) == emails_sent  # the link opened here is spent; no new one is sent
    _key, codes_page = enrol_with_the_app(phone)
    assert "recovery-codes" in codes_page.content.decode()
    assert int(phone.session[SESSION_KEY]) == new_staff.pk


def test_an_enrolment_link_works_once(new_staff, password, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client, _ = password_log_in(password, new_staff.national_id)
    link = enrolment_link_in(outbox[-1])
    open_enrolment_link(client, link)
    assert client.get(link).status_code == 400
    other, _ = password_log_in(password, new_staff.national_id)
    assert other.post(link).status_code == 400


def test_an_enrolment_link_stops_working_once_a_device_is_confirmed(
    new_staff, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client, _ = password_log_in(password, new_staff.national_id)
    link = enrolment_link_in(outbox[-1])
    TOTPDevice.objects.create(user=new_staff, name="app", confirmed=True)
    assert client.get(link).status_code == 400


def test_an_enrolment_link_lasts_a_day(new_staff, password, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client, _ = password_log_in(password, new_staff.national_id)
    link = enrolment_link_in(outbox[-1])
    with mock.patch.object(signing.time, "time", return_value=time.time() + 23 * 3600):
        assert client.get(link).status_code == 200
    with mock.patch.object(signing.time, "time", return_value=time.time() + 24 * 3600 + 60):
        expired = client.get(link)
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()


def test_enrolment_links_are_emailed_at_most_once_in_a_few_minutes(
    new_staff, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            password_log_in(password, new_staff.national_id)
    assert len([email for email in outbox if email.to == [new_staff.email]]) == 1


def test_a_superuser_sends_a_new_enrolment_link_from_the_admin(
    client, new_staff, password, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        password_log_in(password, new_staff.national_id)
    first_link = enrolment_link_in(outbox[-1])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.cookies["mumaris_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/", {"action": "send_enrolment_link", "_selected_action": [new_staff.pk]}, follow=True
        )
    assert "Set-up link emailed to 1 staff member." in response.content.decode()
    assert outbox[-1].to == [new_staff.email]
    new_link = enrolment_link_in(outbox[-1])
    assert new_link != first_link
    assert Client().get(first_link).status_code == 400  # only the newest link works
    assert Client().get(new_link).status_code == 200


def test_only_a_superuser_sends_enrolment_links(client, rana, new_staff, outbox, django_capture_on_commit_callbacks):
    rana.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(rana)
    assert client.get("/admin/accounts/user/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/accounts/user/", {"action": "send_enrolment_link", "_selected_action": [new_staff.pk]})
    assert outbox == []


def test_a_later_log_in_asks_for_the_code_before_anything_else(rana, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    device = TOTPDevice.objects.get(user=rana)
    client, response = password_log_in(password, rana.national_id, "/admin/")
    assert response["Location"] == "/accounts/login/code/"
    assert SESSION_KEY not in client.session
    for path in ("/admin/", "/requests/", "/accounts/account/"):
        assert client.get(path, follow=True).redirect_chain[-1][0].startswith("/accounts/login/")
    code = app_code(device)
    spaced_arabic = f"{code[:3]} {code[3:]}".translate(ARABIC_DIGITS)
    verified = client.post("/accounts/login/code/", {"code": spaced_arabic, "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert f"second factor verified user={rana.pk}" in caplog.text


def test_a_code_works_once(rana, password):
    device = TOTPDevice.objects.get(user=rana)
    first, _ = password_log_in(password, rana.national_id)
    code = app_code(device)
    assert first.post("/accounts/login/code/", {"code": code})["Location"] == "/"
    second, _ = password_log_in(password, rana.national_id)
    again = second.post("/accounts/login/code/", {"code": code})
    assert again.status_code == 200
    assert "wrong or has already been used" in again.content.decode()


def test_five_wrong_codes_lock_out_like_passwords(rana, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    client, _ = password_log_in(password, rana.national_id)
    statuses = [client.post("/accounts/login/code/", {"code": f"00000{n}"}).status_code for n in range(6)]
    assert statuses[-1] == 429
    assert 429 in statuses[4:]
    assert f"lockout username={rana.national_id}" in caplog.text
    locked = client.post("/accounts/login/code/", {"code": app_code(TOTPDevice.objects.get(user=rana))})
    assert locked.status_code == 429


def test_a_recovery_code_works_once_and_tells_the_owner(pat, password, outbox, django_capture_on_commit_callbacks):
    from accounts.two_factor import replace_recovery_codes

    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    codes = replace_recovery_codes(pat)
    client, _ = password_log_in(password, pat.national_id, "/requests/")
    with django_capture_on_commit_callbacks(execute=True):
        used = client.post("/accounts/login/code/", {"code": codes[0].upper(), "next": "/requests/"})
    assert used["Location"] == "/requests/"
    assert outbox[-1].to == [pat.email]
    assert "بقي لديك 9 رموز استرداد" in outbox[-1].body  # in her language, Arabic
    other, _ = password_log_in(password, pat.national_id)
    assert other.post("/accounts/login/code/", {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=pat).count() == 9


def test_after_one_wrong_app_code_a_recovery_code_still_works(pat, password):
    """The app's throttle makes only the app's codes wait: the way out when the app is lost stays open."""
    from accounts.two_factor import replace_recovery_codes

    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    codes = replace_recovery_codes(pat)
    client, _ = password_log_in(password, pat.national_id, "/requests/")
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert "wrong or has already been used" in wrong.content.decode()
    used = client.post("/accounts/login/code/", {"code": codes[0], "next": "/requests/"})
    assert used["Location"] == "/requests/"


def test_a_code_typed_during_the_wait_is_not_checked_and_the_page_says_so(rana, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    device = TOTPDevice.objects.get(user=rana)
    client, _ = password_log_in(password, rana.national_id)
    client.post("/accounts/login/code/", {"code": "000000"})
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )

    refused = client.post("/accounts/login/code/", {"code": app_code(device)})

    page = refused.content.decode()
    assert "This code was not checked: wrong codes typed in a row before it: 3." in page
    assert re.search(r"Wait [34] seconds, then type it again", page)  # 4 s after the third, less the time taken
    assert "second factor failed (wait)" in caplog.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 3  # not checked, so not counted as another wrong code


def test_the_wait_is_counted_and_said_in_arabic(rana, password):
    device = TOTPDevice.objects.get(user=rana)
    client, _ = password_log_in(password, rana.national_id)
    client.cookies["mumaris_language"] = "ar"
    client.post("/accounts/login/code/", {"code": "000000"})
    # A second after a wrong code, django-otp's wait: held still here, as a slow machine would not.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now())

    refused = client.post("/accounts/login/code/", {"code": app_code(device)})

    page = refused.content.decode()
    assert "لم يُتحقَّق من هذا الرمز" in page
    assert "عدد الرموز الخاطئة المتتالية قبله: 1" in page
    assert "انتظر ثانية واحدة" in page


def test_a_practitioner_turns_it_on_and_off_with_the_password(pat, password):
    client, _ = password_log_in(password, pat.national_id)
    assert "<dt>Two-step verification</dt><dd>Off</dd>" in client.get("/accounts/account/").content.decode()
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=pat)
    client.post("/accounts/two-factor/", {"code": app_code(device)})
    assert TOTPDevice.objects.get(user=pat).confirmed
    assert "<dt>Two-step verification</dt><dd>On</dd>" in client.get("/accounts/account/").content.decode()

    later, response = password_log_in(password, pat.national_id, "/requests/")
    assert response["Location"] == "/accounts/login/code/"
    later.post("/accounts/login/code/", {"code": app_code(device, steps_ahead=1)})
    wrong = later.post("/accounts/two-factor/change/", {"action": "off", "password": "wrong"})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user=pat).exists()
    later.post("/accounts/two-factor/change/", {"action": "off", "password": password})
    assert not TOTPDevice.objects.filter(user=pat).exists()
    plain, response = password_log_in(password, pat.national_id, "/requests/")
    assert plain.get("/requests/").status_code == 200


def test_the_owner_is_emailed_when_it_is_turned_on_off_or_the_codes_replaced(
    pat, password, outbox, django_capture_on_commit_callbacks
):
    client, _ = password_log_in(password, pat.national_id)
    key = noted_key(client.get("/accounts/two-factor/"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/two-factor/", {"code": code_for_key(key)})
    assert outbox[-1].to == [pat.email]
    assert "تفعيل التحقق بخطوتين" in outbox[-1].subject  # in her language, Arabic

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/two-factor/change/", {"action": "codes", "password": password})
    assert outbox[-1].to == [pat.email]
    assert "رموز استرداد جديدة" in outbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/two-factor/change/", {"action": "off", "password": password})
    assert outbox[-1].to == [pat.email]
    assert "إيقاف التحقق بخطوتين" in outbox[-1].subject
    assert len(outbox) == 3


def test_staff_cannot_turn_it_off(client, rana, password):
    client.force_login(rana)
    client.post("/accounts/two-factor/change/", {"action": "off", "password": password})
    assert TOTPDevice.objects.filter(user=rana, confirmed=True).exists()


def test_a_superuser_resets_a_staff_members_second_factor_and_never_sees_it(
    client, rana, caplog, outbox, django_capture_on_commit_callbacks
):
    caplog.set_level("INFO", logger="mumaris.security")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [rana.pk]}, follow=True
        )
    assert "أُعيد ضبط التحقق بخطوتين لحساب واحد." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=rana).exists()
    assert outbox[-1].to == [rana.email]
    assert "إعادة ضبط التحقق بخطوتين" in outbox[-1].subject
    assert f"second factor turned off user={rana.pk} by={superuser.pk}" in caplog.text


def test_create_reviewer_says_how_to_enrol(capsys):
    call_command("create_reviewer", "1098765439", "r@example.sa", "مراجع", password="Review-Pass-2026")
    assert "scan its QR code" in capsys.readouterr().out


def test_two_set_ups_begun_at_once_still_show_one_key(client, pat):
    """Two tabs (or make bench's 16 connections) may each create a device being set up."""
    TOTPDevice.objects.bulk_create([TOTPDevice(user=pat, name="app", confirmed=False) for _ in range(2)])
    client.force_login(pat)
    first = client.get("/accounts/two-factor/")
    second = client.get("/accounts/two-factor/")
    assert first.status_code == second.status_code == 200
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", first.content.decode()).group(1)
    assert key in second.content.decode()


def test_the_code_step_without_next_lands_where_the_log_in_would(pat, password):
    device = TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/login/", login_data(pat.national_id, password))
    assert client.post("/accounts/login/code/", {"code": app_code(device)})["Location"] == "/services/"


def test_a_code_in_other_digits_is_not_read_as_the_code(rana, password):
    """Only ASCII, Arabic-Indic and Persian digits are digits here; 𝟙𝟚𝟛 are not read as 123."""
    device = TOTPDevice.objects.get(user=rana)
    client, _ = password_log_in(password, rana.national_id)
    code = app_code(device)
    double_struck = "".join(chr(0x1D7D8 + int(digit)) for digit in code)
    refused = client.post("/accounts/login/code/", {"code": double_struck})
    assert refused.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_state_is_on_with_a_confirmed_device_whatever_is_being_set_up(pat, alice):
    set_up = TOTPDevice.objects.create(user=pat, name="app", confirmed=False)
    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    assert second_factor_state(pat, set_up.pk) == (True, None)
    assert second_factor_state(pat, None) == (True, None)
    assert second_factor_state(alice, None) == (False, None)


def test_the_state_finds_only_ones_own_device_being_set_up_with_its_user(pat, alice):
    """As `enrolment_device`: a device of another account (or confirmed since) is never the one set up here."""
    own = TOTPDevice.objects.create(user=pat, name="app", confirmed=False)
    others = TOTPDevice.objects.create(user=alice, name="app", confirmed=False)
    with CaptureQueriesContext(connection) as captured:
        on, device = second_factor_state(pat, own.pk)
        assert device.user is pat  # its address (the QR code) names the user without reading them again
    assert (on, device) == (False, own)
    assert len(captured) == 1
    assert second_factor_state(pat, others.pk) == (False, None)
