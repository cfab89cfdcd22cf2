import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from devtools.demo import DEMO_PASSWORD, SUPERVISOR, REVIEWER

from .conftest import log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screens(page):
    call_command("load_demo")
    person = get_user_model().objects.get(national_id=SUPERVISOR.national_id)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    use_language(page, "ar")
    log_in(page, person.national_id, DEMO_PASSWORD)
    type_app_code(page, person)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for language in ("ar", "en"):
        use_language(page, language)
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/admin/dashboard/")
            page.screenshot(path=f"/tmp/s24-dash-{language}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/admin/")
        page.screenshot(path=f"/tmp/s24-index-{language}.png")
    # a reviewer's held requests
    page.goto("/admin/applications/application/")
    page.get_by_role("button", name="Take the next request").click()
    page.goto("/admin/my-requests/")
    page.screenshot(path="/tmp/s24-held-en.png", full_page=True)
    page.goto("/admin/applications/application/")
    page.screenshot(path="/tmp/s24-list-en.png")
