"""An organisation's journey in headless Chromium, checked with axe at each step: it signs up, staff
approve it in the admin, its administrator uploads a list and reads it in Arabic and English, and
a practitioner on the list sees the organisation on their access-log page."""

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from employers.models import Organisation, OrganisationStatus, WatchedPractitioner

from ..factories import PASSWORD, UserFactory
from .conftest import assert_accessible, log_in, log_out, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organisation_signs_up_is_approved_uploads_its_list_and_the_practitioner_sees_it(page, pat, tmp_path):
    hind = UserFactory(email="hind@care.example.sa", full_name_ar="هند سالم", full_name_en="Hind Salem")
    TOTPDevice.objects.create(user=hind, name="app", confirmed=True)  # an administrator's second factor
    log_in(page, hind.national_id, PASSWORD)
    type_app_code(page, hind)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # Sign-up: the captcha first (nothing else judged behind a wrong one), then the request.
    page.goto("/employers/signup/")
    assert_accessible(page)
    page.fill("#id_name_ar", "مستشفى الرعاية")
    page.fill("#id_name_en", "Care Hospital")
    page.fill("#id_commercial_registration", "١٠١٠٢٠٣٠٤٠")
    page.fill("#id_facility_licence", "MOH-4455")
    page.fill("#id_city", "الرياض")
    page.fill("#id_contact_email", "hr@care.example.sa")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/employers/signup/done/")
    assert_accessible(page)
    organisation = Organisation.objects.get(commercial_registration="1010203040")

    # Until approved it can do nothing.
    page.goto(f"/employers/{organisation.pk}/")
    assert page.locator("main .message--warning").count() == 1
    assert_accessible(page)
    log_out(page)

    # Staff approve it in the admin.
    staff = UserFactory(is_staff=True, email="decider@example.sa")
    staff.user_permissions.add(
        Permission.objects.get(codename="decide_organisation"), Permission.objects.get(codename="view_organisation")
    )
    log_in(page, staff.national_id, PASSWORD)
    type_app_code(page, staff)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/admin/employers/organisation/{organisation.pk}/change/")
    assert_accessible(page)
    page.click("button[name=action][value=approve]")
    page.wait_for_load_state()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    log_out(page)

    # The administrator uploads a list: one number known, one not, one that is no number.
    # Her app's next code: her first was used in this time step. django-otp centres its window on the
    # drift it learnt from that first code, which a code typed across a step boundary sets to -1; the
    # next step's code then falls outside it (CI failed on it once), so the learnt drift is cleared.
    TOTPDevice.objects.filter(user=hind).update(drift=0)
    log_in(page, hind.national_id, PASSWORD)
    type_app_code(page, hind, steps_ahead=1)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    listed = tmp_path / "staff.csv"
    number = pat.practitioner_profile.display_membership_number
    listed.write_text(f"رقم العضوية\n{number}\n2699999999\nfoo\n", encoding="utf-8")
    page.goto(f"/employers/{organisation.pk}/upload/")
    assert_accessible(page)
    page.set_input_files("#id_file", str(listed))
    page.click("main form button[type=submit]")
    page.wait_for_selector("main table")
    assert page.locator("main tbody tr").count() == 3
    assert_accessible(page)
    assert WatchedPractitioner.objects.filter(organisation=organisation).count() == 1

    # The list, in Arabic then in English.
    for language, name in (("ar", pat.full_name_ar), ("en", pat.full_name_en)):
        use_language(page, language)
        page.goto(f"/employers/{organisation.pk}/")
        assert page.get_attribute("html", "lang") == language
        assert name in page.inner_text("main table")
        assert number in page.inner_text("main table")
        assert_accessible(page)
    log_out(page)

    # The practitioner sees who watches them.
    use_language(page, "ar")
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/my-data/access-log/")
    assert "مستشفى الرعاية" in page.inner_text("main")
    assert_accessible(page)
    use_language(page, "en")
    page.goto("/my-data/access-log/")
    assert "Care Hospital" in page.inner_text("main")
    assert_accessible(page)
