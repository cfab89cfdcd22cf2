"""On a 360 px phone, in Arabic and English: every table shows all its cells, and the header
stays compact with a menu that works without JavaScript.

Pat, a practitioner with a long name, has an application, data update requests, continuing-
education hours and staff looks at her file: every table in the portal has rows to show.
"""

import re

import pytest

from applications.models import ApplicationStatus
from core.models import AccessAction, AccessRecord
from tests.factories import PASSWORD, ApplicationFactory, CPDActivityFactory, DataUpdateRequestFactory

from .conftest import assert_accessible, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
LONG_NAME_EN = "Abdulrahman bin Abdulaziz bin Mohammed Al Abdullah"
LONG_NAME_AR = "عبدالرحمن بن عبدالعزيز بن محمد آل عبدالله"
LONG_EMPLOYER = "King Fahad Medical City — Department of Emergency Medicine and Critical Care, Riyadh"

# Each visible cell whose content is wider than the cell, or that reaches past the screen's edges.
CUT_CELLS = """() => {
  const cells = [...document.querySelectorAll("main td, main th")].filter(cell => cell.getClientRects().length);
  const cut = cells.filter(cell => {
    const box = cell.getBoundingClientRect();
    return cell.scrollWidth > cell.clientWidth || box.left < 0 || box.right > window.innerWidth;
  });
  return {shown: cells.length, cut: cut.map(cell => cell.textContent.trim())};
}"""


@pytest.fixture
def pat(pat, rana):
    pat.full_name_ar, pat.full_name_en = LONG_NAME_AR, LONG_NAME_EN
    pat.save()
    profile = pat.practitioner_profile
    ApplicationFactory(applicant=pat, status=ApplicationStatus.APPROVED)
    DataUpdateRequestFactory(profile=profile, status="rejected")
    CPDActivityFactory(profile=profile, title="Advanced Cardiovascular Life Support (ACLS) for Emergency Teams")
    AccessRecord.objects.create(staff=rana, owner=pat, action=AccessAction.VIEWED_PROFILE)
    return pat


def assert_no_cell_is_cut(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    cells = page.evaluate(CUT_CELLS)
    assert cells["shown"] > 0, page.url
    assert cells["cut"] == [], page.url


@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_table_cell_is_cut_on_a_phone(page, pat, language):
    use_language(page, language)
    page.set_viewport_size(PHONE)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url("**/services/")

    # The summary before إكمال الطلب: the new value is the one to check.
    page.goto("/services/update-member-data/")
    page.wait_for_url("**/update-member-data/data/")
    page.fill("#id_employer", LONG_EMPLOYER)
    page.fill("#id_mobile", "0559876543")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/update-member-data/summary/")
    assert LONG_EMPLOYER in page.inner_text("main")
    assert_no_cell_is_cut(page)
    assert_accessible(page)

    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/services/requests/UPD-\d{4}-\d+/$"))
    assert_no_cell_is_cut(page)

    for path in ("/requests/", "/services/cpd/", "/my-data/access-log/"):
        page.goto(path)
        assert_no_cell_is_cut(page)
        assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_references_and_dates_keep_to_their_lines_in_my_requests(page, pat, language):
    use_language(page, language)
    page.set_viewport_size(PHONE)
    log_in(page, pat.national_id, PASSWORD)
    page.goto("/requests/")
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main td')).lineHeight)")
    references = page.locator("main td bdi")
    assert references.count() == 2
    for index in range(references.count()):
        assert references.nth(index).bounding_box()["height"] < 1.5 * line_height
    for date in page.locator("main td time").all() + page.locator("main td .hijri").all():
        assert date.bounding_box()["height"] < 1.5 * line_height


@pytest.mark.parametrize("language", ["ar", "en"])
def test_header_with_a_long_name_stays_compact_on_a_phone(page, pat, language):
    use_language(page, language)
    page.set_viewport_size(PHONE)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url("**/services/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 130
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    links = page.locator("header .primary-nav a")
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert hrefs == ["/services/", "/requests/", "/eligibility/"]
    for index in range(3):
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    assert links.nth(0).get_attribute("aria-current") == "page"
    page.click("header .account-menu summary")
    assert page.locator("header .account-menu__list").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_account_menu_opens_and_logs_out_without_javascript(browser, live_server, pat, language, width):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    use_language(page, language)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url("**/services/")
    log_out_button = page.locator("header form[action='/accounts/logout/'] button")
    assert not log_out_button.is_visible()
    page.click("header .account-menu summary")
    assert log_out_button.is_visible()
    box = page.locator("header .account-menu__list").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    log_out_button.click()
    page.wait_for_url("**/")
    assert "/accounts/login/" in page.inner_html("header")
    context.close()
