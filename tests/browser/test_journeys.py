"""The main journeys, end to end in headless Chromium, checked with axe at each step."""

import datetime
import os
import re
import subprocess

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from devtools.demo import APPLICANT, PRACTITIONER, REVIEWER
from profiles.models import PractitionerProfile

from ..factories import PASSWORD, PDF_BYTES, SpecialtyFactory
from .conftest import app_code_for_key, assert_accessible, log_in, log_out, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_sign_up_verify_log_in_with_arabic_digits_and_log_out(page, language):
    use_language(page, language)
    page.goto("/accounts/signup/")
    assert page.get_attribute("html", "lang") == language
    assert_accessible(page)

    # Failed attempts first: without a solved captcha nothing else is judged; with one, the
    # error summary lists the problem. Nothing typed is lost either time.
    page.fill("#id_full_name_ar", "ليلى حسن")
    page.fill("#id_national_id", "1012345673")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary a").count() == 1
    assert page.locator(".error-summary a[href='#id_captcha_1']").count() == 1
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")
    assert page.locator(".error-summary a[href='#id_national_id']").count() == 1
    assert page.input_value("#id_full_name_ar") == "ليلى حسن"
    assert_accessible(page)

    page.fill("#id_full_name_en", "Layla Hassan")
    page.fill("#id_national_id", "١٠١٢٣٤٥٦٧٢")
    page.fill("#id_email", "layla@example.sa")
    page.fill("#id_password1", "Sunrise-Over-Riyadh-42")
    page.fill("#id_password2", "Sunrise-Over-Riyadh-42")
    page.check("#id_accept_terms")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/signup/done/")
    assert_accessible(page)

    # The link is on SITE_URL; the test server listens elsewhere, so follow its path.
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)

    log_in(page, "١٠١٢٣٤٥٦٧٢", "Sunrise-Over-Riyadh-42")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "Layla Hassan" in page.inner_text("header") or "ليلى حسن" in page.inner_text("header")
    log_out(page)
    assert "/accounts/login/" in page.inner_html("header")


def fill_in_and_submit_an_application(page, letter):
    """A Saudi physician's answers on the two question pages, then the declaration, each page
    checked with axe; ends on the confirmation."""
    SpecialtyFactory()
    page.goto("/applications/new/")
    assert_accessible(page)
    page.check("input[name=nationality][value=saudi]")
    page.fill("#id_date_of_birth", "1990-01-15")
    page.select_option("#id_profession", "physician")
    page.click("button[value=continue]")
    page.wait_for_url(re.compile(r"/applications/REG-\d{4}-\d+/edit/work/$"))
    assert page.locator("#id_iqama_number, #id_medical_report").count() == 0
    assert_accessible(page)
    page.select_option("#id_specialty", label="طب الأسرة")
    page.fill("#id_employer", "مستشفى الملك فيصل")
    page.fill("#id_employer_letter_date", timezone.localdate().isoformat())
    page.set_input_files("#id_employer_letter", str(letter))
    page.click("button[value=continue]")
    page.wait_for_url(re.compile(r"/applications/REG-\d{4}-\d+/check/$"))
    assert_accessible(page)
    page.check("#id_declaration")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/applications/REG-\d{4}-\d+/submitted/$"))
    assert_accessible(page)


def test_apply_submit_and_get_approved_in_arabic(page, alice, rana, tmp_path):
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF_BYTES)
    log_in(page, APPLICANT.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    fill_in_and_submit_an_application(page, letter)
    application = Application.objects.get(applicant=alice)
    assert application.status == ApplicationStatus.SUBMITTED
    log_out(page)

    # The reviewer decides in the admin, after the password and a code from the app.
    log_in(page, REVIEWER.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/admin/applications/application/{application.pk}/change/")
    page.click("button[value=start_review]")
    page.wait_for_load_state()
    page.click("button[value=approve]")
    page.click("button[name=confirmed]")  # on the page that says what approving does
    page.wait_for_load_state()
    log_out(page)

    log_in(page, APPLICANT.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/requests/")
    assert_accessible(page)
    number = PractitionerProfile.objects.get(user=alice).display_membership_number
    assert number in page.inner_text("main")
    page.goto(f"/applications/{application.reference}/")
    assert "مقبول" in page.inner_text("main")
    assert number in page.inner_text("main")
    assert_accessible(page)


def test_update_member_data_and_see_it_approved_in_arabic(page, pat, rana):
    profile = pat.practitioner_profile
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/services/")
    assert_accessible(page)
    # A practitioner is not asked their own membership number: the data step comes first.
    page.click("main a[href='/services/update-member-data/']")
    page.wait_for_url("**/update-member-data/data/")
    assert_accessible(page)
    page.fill("#id_mobile", "٠٥٥٩٨٧٦٥٤٣")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/update-member-data/summary/")
    assert "+966559876543" in page.inner_text("main")
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/services/requests/UPD-\d{4}-\d+/$"))
    assert_accessible(page)
    log_out(page)

    log_in(page, REVIEWER.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    request_id = profile.update_requests.get().pk
    page.goto(f"/admin/profiles/dataupdaterequest/{request_id}/change/")
    page.click("button[value=approve]")
    page.click("button[name=confirmed]")  # on the page that says what approving does
    page.wait_for_load_state()
    log_out(page)

    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/update-member-data/")
    page.wait_for_url("**/update-member-data/data/")
    assert page.input_value("#id_mobile") == "+966559876543"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_demo_practitioner_reviews_her_data_at_log_in(page, language):
    from django.core.management import call_command

    from devtools.demo import DEMO_PASSWORD

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    use_language(page, language)
    page.goto("/accounts/login/?next=/requests/")
    page.fill("#id_username", PRACTITIONER.national_id)
    page.fill("#id_password", DEMO_PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")
    page.goto("/requests/")
    page.wait_for_url("**/services/review-data/**")
    assert page.locator("h1").inner_text() == ("مراجعة البيانات" if language == "ar" else "Review your data")
    assert "+966501234567" in page.inner_text("main")
    assert_accessible(page)
    page.click("button[value=confirm]")
    page.wait_for_url("**/requests/")
    assert_accessible(page)
    profile = PractitionerProfile.objects.get(user__national_id=PRACTITIONER.national_id)
    assert timezone.now() - profile.data_confirmed_at < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_staff_enrol_then_log_in_with_a_code_and_a_recovery_code(page, language, alice, tmp_path):
    from ..factories import ApplicationFactory, UserFactory

    staff = UserFactory(national_id="1000000057", is_staff=True, is_superuser=True, second_factor=False)
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    use_language(page, language)
    page.goto("/accounts/login/?next=/admin/")
    page.fill("#id_username", staff.national_id)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")

    # First log-in: a link is emailed; opened, it leads to enrolment (scan or type the key, one
    # code), then the recovery codes once.
    page.wait_for_url("**/accounts/login/set-up/")
    assert_accessible(page)
    link = re.search(r"/accounts/two-factor/enrol/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/login/set-up/")
    assert_accessible(page)
    key = page.inner_text("main code")
    # The QR code as a phone's camera would read it off the screen (zbarimg, from zbar-tools).
    picture = tmp_path / "qr.png"
    page.locator(".qr-code svg").screenshot(path=str(picture))
    zbarimg = ["/usr/bin/zbarimg", "--quiet", "--raw", str(picture)]
    decoded = subprocess.run(zbarimg, capture_output=True, text=True, check=True)  # noqa: S603
    assert decoded.stdout.startswith(f"otpauth://totp/Mumaris%3A{staff.national_id}?secret={key.replace(' ', '')}")
    page.fill("#id_code", app_code_for_key(key))
    page.click("main form button[type=submit]")
    page.locator(".recovery-codes code").first.wait_for()  # the next page, not the one clicked on
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.click("main a.button")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/applications/application/{application.pk}/change/")
    log_out(page)

    # Later: the password, then a code; here a recovery code, typed with spaces in capitals.
    log_in(page, staff.national_id, PASSWORD)
    page.wait_for_url("**/accounts/login/code/**")
    assert_accessible(page)
    page.fill("#id_code", codes[0].upper().replace("-", " "))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/admin/core/accessrecord/")
    assert application.reference in page.inner_text("#result_list")
    log_out(page)

    # The applicant sees that a reviewer opened her file, without the reviewer's name.
    log_in(page, alice.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/accounts/account/")
    page.click("main a[href='/my-data/access-log/']")
    assert application.reference in page.inner_text("main table")
    assert staff.full_name_ar not in page.inner_text("main")
    assert_accessible(page)


def test_a_practitioner_turns_two_step_verification_on_and_off(page, pat):
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/accounts/two-factor/")
    page.fill("#id_code", app_code_for_key(page.inner_text("main code")))
    page.click("main form button[type=submit]")
    page.locator(".recovery-codes code").first.wait_for()  # the next page, not the one clicked on
    assert page.locator(".recovery-codes code").count() == 10
    log_out(page)

    log_in(page, pat.national_id, PASSWORD)
    type_app_code(page, pat, steps_ahead=1)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/accounts/two-factor/")
    page.fill("#id_password", PASSWORD)
    page.click("button[value=off]")
    page.wait_for_url("**/accounts/account/")
    assert_accessible(page)
    log_out(page)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "/accounts/login/code/" not in page.url
