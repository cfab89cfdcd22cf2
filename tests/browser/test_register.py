"""The register as people use it: a practitioner's certificate and its QR code, a reviewer's
suspension seen on the same QR page, and a share code given to an employer."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from devtools.demo import REVIEWER
from registry.models import Registration, ShareCode

from ..factories import PASSWORD, PDF_BYTES, CPDActivityFactory
from .conftest import assert_accessible, log_in, log_out, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def qr_address_in(pdf_path, tmp_path):
    """What a phone's camera reads off the printed certificate."""
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf_path, tmp_path / "page"], check=True)  # noqa: S603, S607
    decoded = subprocess.run(  # noqa: S603
        ["zbarimg", "--quiet", "--raw", tmp_path / "page.png"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return decoded.stdout.strip()


def assert_certificate_labels(pdf_path, language):
    """The downloaded certificate: tagged, in the page's language, its labels in both languages and
    the profession as a field of practice."""
    info = subprocess.run(["pdfinfo", pdf_path], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+(شهادة التسجيل|Registration certificate) ", info, re.MULTILINE)
    text = subprocess.run(["pdftotext", pdf_path, "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
    lines = {" ".join(line.replace("\u202b", "").replace("\u202c", "").split()) for line in text.splitlines()}
    expected = {
        "المهنة",
        "Profession",
        "التمريض",
        "Nursing",
        "مكان الإصدار",
        "Place of issue",
        "تاريخ الإصدار",
        "Date of issue",
        settings.CERTIFICATE_AUTHORITY_NAME_AR,
        settings.CERTIFICATE_AUTHORITY_NAME_EN,
        settings.CERTIFICATE_PLACE_OF_ISSUE_AR,
        settings.CERTIFICATE_PLACE_OF_ISSUE_EN,
    }
    assert expected <= lines, (language, expected - lines)


@pytest.fixture
def employer(browser, live_server, settings):
    """Someone with no account, in a browser of their own; the certificate's links lead here."""
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.usefixtures("rana")
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_qr_code_shows_the_live_status_then_the_suspension(page, employer, pat, tmp_path, language):
    use_language(page, language)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("main a[href='/services/certificate/']")
    pdf_path = tmp_path / "certificate.pdf"
    download.value.save_as(pdf_path)
    assert_certificate_labels(pdf_path, language)
    address = qr_address_in(pdf_path, tmp_path)
    registration = Registration.objects.get(profile__user=pat)
    assert address == f"{settings.SITE_URL}/verify/{registration.certificates.get().code}/"

    use_language(employer, language)
    employer.goto(address)
    status = employer.inner_text(".verify-status")
    assert ("ساري حتى" if language == "ar" else "Valid until") in status
    assert employer.context.cookies() == [
        {**cookie} for cookie in employer.context.cookies() if cookie["name"] == "mumaris_language"
    ]
    assert_accessible(employer)

    log_out(page)
    reviewer = User.objects.get(national_id=REVIEWER.national_id)
    log_in(page, reviewer.national_id, PASSWORD)
    type_app_code(page, reviewer)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/admin/registry/registration/{registration.pk}/change/")
    page.fill("#id_reason", "شكوى قيد التحقيق")
    page.click("button[value=suspend]")
    assert "شكوى قيد التحقيق" in page.inner_text(".decision-reason")  # restated before it is made
    page.click("button[name=confirmed]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1

    employer.reload()
    status = employer.inner_text(".verify-status")
    assert ("موقوف منذ" if language == "ar" else "Suspended since") in status
    assert ("ساري حتى" if language == "ar" else "Valid until") not in employer.inner_text("main")
    assert "شكوى قيد التحقيق" not in employer.inner_text("main")
    assert_accessible(employer)


def test_a_share_code_is_created_viewed_counted_and_revoked(page, employer, pat):
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/")
    page.click("main a[href='/services/share/']")
    assert_accessible(page)
    page.fill("#id_label", "الموارد البشرية – مستشفى الملك فهد")
    page.fill("#id_days", "14")
    page.check("#id_shares_timeline")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/services/share/?created=*")
    assert_accessible(page)
    share_code = ShareCode.objects.get()
    assert share_code.display_code in page.inner_text("#new-code")

    employer.goto(f"/verify/{share_code.display_code}/")
    assert "سجل التسجيل" in employer.inner_text("main")
    assert pat.full_name_ar in employer.inner_text("main")
    assert_accessible(employer)

    page.reload()
    assert "فُتح مرة واحدة" in page.inner_text(f"#code-{share_code.pk}")
    assert "آخر فتح" in page.inner_text(f"#code-{share_code.pk}")
    page.click(f"#code-{share_code.pk} a[href$='/openings/']")
    page.wait_for_url(f"**/services/share/{share_code.pk}/openings/")
    assert page.locator("main li time").count() == 1
    assert_accessible(page)
    page.click("main a[href^='/services/share/#code-']")
    page.wait_for_url("**/services/share/#code-*")
    page.click(f"#code-{share_code.pk} form button")
    page.wait_for_url("**/services/share/")
    assert "موقوف" in page.inner_text(f"#code-{share_code.pk}")
    assert_accessible(page)

    employer.reload()
    assert "أوقف الممارس رمز المشاركة هذا" in employer.inner_text("main")
    assert pat.full_name_ar not in employer.inner_text("main")
    assert_accessible(employer)


def test_anyone_searches_by_membership_number_in_english(page, pat):
    use_language(page, "en")
    page.goto("/")
    page.click("footer a[href='/verify/']")
    assert_accessible(page)
    page.fill("#id_q", pat.practitioner_profile.display_membership_number)
    page.click("main form button[type=submit]")
    assert "Valid until" in page.inner_text(".verify-status")
    page.click("header a[hreflang=ar]")
    assert "ساري حتى" in page.inner_text(".verify-status")
    assert_accessible(page)


@pytest.mark.usefixtures("rana")
def test_hours_accepted_then_a_renewal_submitted_approved_and_verified(page, employer, pat, tmp_path):
    """The renewal journey: a practitioner 20 days from the end records hours, a reviewer accepts
    them, the renewal is submitted and approved, and the QR page shows the new validity."""
    registration = Registration.objects.get(profile__user=pat)
    registration.valid_until = timezone.localdate() + datetime.timedelta(days=20)
    registration.save()
    CPDActivityFactory(profile=pat.practitioner_profile, hours=Decimal("25"), status="accepted")
    reviewer = User.objects.get(national_id=REVIEWER.national_id)

    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/")
    assert "بقي 20 يومًا" in page.inner_text(".renewal-banner")
    assert_accessible(page)
    page.click("main a[href='/services/cpd/']")
    page.fill("#id_title", "ورشة مكافحة العدوى")
    page.fill("#id_provider", "وزارة الصحة")
    page.fill("#id_completed_on", (timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    page.fill("#id_hours", "5.5")
    certificate = tmp_path / "attendance.pdf"
    certificate.write_bytes(PDF_BYTES)
    page.set_input_files("#id_certificate", str(certificate))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/services/cpd/")
    assert "بانتظار المراجع" in page.inner_text("main")
    assert_accessible(page)
    log_out(page)

    log_in(page, reviewer.national_id, PASSWORD)
    type_app_code(page, reviewer)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    activity = pat.practitioner_profile.cpd_activities.get(status="pending")
    page.goto(f"/admin/applications/cpdactivity/{activity.pk}/change/")
    page.click("button[value=accept]")
    page.click("button[name=confirmed]")
    page.wait_for_load_state()
    log_out(page)

    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/renewal/")
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/applications/REN-*/edit/")
    # Pat's record came from before the portal: what no earlier application told us, she gives now.
    page.check("input[name=nationality][value=saudi]")
    page.fill("#id_date_of_birth", "1988-04-02")
    page.click("button[value=continue]")
    page.wait_for_url("**/applications/REN-*/edit/work/")
    page.fill("#id_employer_letter_date", (timezone.localdate() - datetime.timedelta(days=5)).isoformat())
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF_BYTES)
    page.set_input_files("#id_employer_letter", str(letter))
    page.click("button[value=continue]")
    page.wait_for_url("**/applications/REN-*/check/")
    assert page.locator(".gaps").count() == 0
    assert_accessible(page)
    page.check("#id_declaration")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/applications/REN-*/submitted/")
    renewal = pat.applications.get(kind="renewal")
    assert renewal.status == "submitted"
    log_out(page)

    log_in(page, reviewer.national_id, PASSWORD)
    type_app_code(page, reviewer, steps_ahead=1)  # the code of the first log-in cannot be used twice
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/admin/applications/application/{renewal.pk}/change/")
    assert "الساعات المقبولة: 30.5 من 30" in page.inner_text("#content")
    page.click("button[value=start_review]")
    page.wait_for_load_state()
    page.click("button[value=approve]")
    page.click("button[name=confirmed]")  # on the page that says what approving does
    page.wait_for_load_state()

    registration.refresh_from_db()
    new_until = registration.valid_until
    assert registration.period_start == timezone.localdate() + datetime.timedelta(days=21)
    employer.goto(f"/verify/{registration.certificates.get(replaced_at__isnull=True).code}/?lang=en")
    assert "Valid until" in employer.inner_text(".verify-status")
    assert f"{new_until.day} {new_until:%B} {new_until.year}" in employer.inner_text("main")
    assert_accessible(employer)
