"""The home page in a real browser, in Arabic and English, with no accessibility violation."""

import pytest

from ..factories import PASSWORD
from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_arabic_is_rtl_and_accessible(page):
    page.goto("/", wait_until="networkidle")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("h1").inner_text()
    assert_accessible(page)


def test_switching_to_english_is_ltr_and_accessible(page):
    page.goto("/")
    page.click("header button[value=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("html", "dir") == "ltr"
    assert_accessible(page)
    page.goto("/terms/")
    assert page.get_attribute("html", "lang") == "en"


def test_no_horizontal_scrolling_on_a_phone(page):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/eligibility/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_no_request_leaves_our_host(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto("/accounts/login/", wait_until="networkidle")
    assert hosts == {live_server.url.split("/")[2]}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_service_levels_page_is_accessible_and_fits_a_phone(page, live_server, language):
    page.context.add_cookies([{"name": "mumaris_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/service-levels/", wait_until="networkidle")
    assert page.get_attribute("html", "lang") == language
    assert page.locator("table caption").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_escape_closes_the_account_menu_and_returns_focus_to_it(page, alice):
    log_in(page, alice.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/")
    page.click("details.account-menu summary")
    assert page.get_attribute("details.account-menu", "open") is not None
    page.focus("details.account-menu a")
    page.keyboard.press("Escape")
    assert page.get_attribute("details.account-menu", "open") is None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert_accessible(page)
