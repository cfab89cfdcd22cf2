"""A reviewer works the queue in a browser, in Arabic: "Take the next request" opens the oldest
waiting application assigned to her; both pages pass axe."""

import pytest

from applications.models import Application
from applications.workflow import submit_application

from ..factories import PASSWORD, ApplicationFactory
from .conftest import assert_accessible, log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_takes_the_next_request_in_arabic(page, rana, alice):
    application = submit_application(ApplicationFactory(applicant=alice), alice, declared=True)
    use_language(page, "ar")
    log_in(page, rana.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/admin/applications/application/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "في الموعد" in page.inner_text("#result_list")
    assert_accessible(page)

    page.get_by_role("button", name="خذ الطلب التالي").click()
    page.wait_for_url(f"**/admin/applications/application/{application.pk}/change/")
    assert "مسند إليك منذ" in page.inner_text(".assignment")
    assert page.get_by_role("button", name="إعادة الطلب إلى قائمة الانتظار").is_visible()
    assert Application.objects.get(pk=application.pk).assigned_to_id == rana.pk
    assert_accessible(page)
