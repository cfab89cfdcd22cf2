"""التحقق بخطوتين: staff enrol before the admin opens; codes after the password; recovery codes."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import recovery_hash

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


def test_staff_without_a_second_factor_enrol_before_any_admin_page(new_staff, password, outbox):
    client, response = password_log_in(password, new_staff.national_id, "/admin/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/two-factor/")
    page = client.get("/accounts/two-factor/?next=/admin/").content.decode()
    assert "<svg" in page
    assert "otpauth" not in page.split("<svg")[0]  # the address is only inside the picture
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    device = TOTPDevice.objects.get(user=new_staff, confirmed=False)
    assert key.replace(" ", "") in device.config_url

    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/admin/"})
    assert "This code does not match" in wrong.content.decode()
    # django-otp refuses codes for a second after a wrong one (its own throttle); a person is slower.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    codes_page = client.post("/accounts/two-factor/", {"code": app_code(device), "next": "/admin/"})
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", codes_page.content.decode())
    assert len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=new_staff).values_list("token", flat=True))
    assert stored == {recovery_hash(code.replace("-", "")) for code in codes}  # hashed, never the codes
    assert client.get("/admin/").status_code == 200


def test_a_later_log_in_asks_for_the_code_before_anything_else(rana, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    device = TOTPDevice.objects.get(user=rana)
    client, response = password_log_in(password, rana.national_id, "/admin/")
    assert SESSION_KEY in client.session
    for path in ("/admin/", "/requests/", "/accounts/account/"):
        assert client.get(path, follow=True).redirect_chain[-1][0].startswith("/accounts/login/code/")
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


def test_a_practitioner_turns_it_on_and_off_with_the_password(pat, password):
    client, _ = password_log_in(password, pat.national_id)
    assert "<dt>Two-step verification</dt><dd>Off</dd>" in client.get("/accounts/account/").content.decode()
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=pat)
    client.post("/accounts/two-factor/", {"code": app_code(device)})
    assert TOTPDevice.objects.get(user=pat).confirmed
    assert "<dt>Two-step verification</dt><dd>On</dd>" in client.get("/accounts/account/").content.decode()

    later, response = password_log_in(password, pat.national_id, "/requests/")
    assert later.get("/requests/")["Location"].startswith("/accounts/login/code/")
    later.post("/accounts/login/code/", {"code": app_code(device, steps_ahead=1)})
    wrong = later.post("/accounts/two-factor/change/", {"action": "off", "password": "wrong"})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user=pat).exists()
    later.post("/accounts/two-factor/change/", {"action": "off", "password": password})
    assert not TOTPDevice.objects.filter(user=pat).exists()
    plain, response = password_log_in(password, pat.national_id, "/requests/")
    assert plain.get("/requests/").status_code == 200


def test_staff_cannot_turn_it_off(client, rana, password):
    client.force_login(rana)
    client.post("/accounts/two-factor/change/", {"action": "off", "password": password})
    assert TOTPDevice.objects.filter(user=rana, confirmed=True).exists()


def test_a_superuser_resets_a_staff_members_second_factor_and_never_sees_it(client, rana, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    client.post("/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [rana.pk]})
    assert not TOTPDevice.objects.filter(user=rana).exists()
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
