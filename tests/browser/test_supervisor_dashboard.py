"""A supervisor opens the dashboard from the admin's index, in Arabic then in English: the charts
are drawn, their numbers are in the tables, and axe finds nothing on either page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from devtools.demo import DEMO_PASSWORD, SUPERVISOR

from .conftest import assert_accessible, log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def supervisor():
    """The demo's supervisor, with twelve weeks of decisions (load_demo) and an authenticator."""
    call_command("load_demo")
    person = get_user_model().objects.get(national_id=SUPERVISOR.national_id)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return person


def test_supervisor_reads_the_dashboard_in_arabic_and_english(page, supervisor):
    use_language(page, "ar")
    log_in(page, supervisor.national_id, DEMO_PASSWORD)
    type_app_code(page, supervisor)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/admin/")
    page.get_by_role("link", name="لوحة المشرفين").click()
    page.wait_for_url("**/admin/dashboard/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("svg[role=img]").count() == 4
    assert page.get_by_role("img", name="الطلبات المنتظرة حسب النوع والعمر").is_visible()
    waiting = page.inner_text("#waiting-caption + thead + tbody")
    assert "التسجيل" in waiting
    assert "خالد إبراهيم الدوسري" in page.inner_text("#reviewers-heading ~ .dashboard-figure table")
    assert_accessible(page)

    use_language(page, "en")
    page.reload()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Supervisors' dashboard").is_visible()
    assert page.get_by_role("img", name="Median working days to decision per week").is_visible()
    assert "Khalid Aldosari" in page.inner_text("#reviewers-heading ~ .dashboard-figure table")
    assert_accessible(page)
