"""Check your answers, the confirmation and withdrawal in headless Chromium, in Arabic and
English, checked with axe on every page."""

import re

import pytest

from applications.models import Application, ApplicationStatus
from devtools.demo import APPLICANT

from ..factories import PASSWORD, ApplicationFactory
from .conftest import assert_accessible, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ar": {"gaps": "أكمل النواقص", "withdrawn": "مسحوب", "submitted": "تم تقديم الطلب"},
    "en": {"gaps": "Complete what is missing", "withdrawn": "Withdrawn", "submitted": "Application submitted"},
}


def logged_in(page, language):
    use_language(page, language)
    log_in(page, APPLICANT.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_check_answers_lists_the_gaps_with_links_and_offers_no_submit(page, alice, language):
    application = ApplicationFactory(applicant=alice, nationality="", employer_letter=None)
    logged_in(page, language)
    page.goto(f"/applications/{application.reference}/check/")
    assert page.get_attribute("html", "lang") == language
    gaps = page.locator(".gaps li")
    assert gaps.count() == 2
    assert page.locator(".gaps li a[href$='/edit/#id_nationality']").count() == 1
    assert page.locator(".gaps li a[href$='/edit/work/#id_employer_letter']").count() == 1
    assert WORDS[language]["gaps"] in page.inner_text(".gaps")
    assert page.locator("#id_declaration").count() == 0
    assert page.locator(".answers__change a").count() == 7
    assert_accessible(page)

    # The gap's link lands on the question, on its page.
    page.click(".gaps li a[href$='#id_nationality']")
    page.wait_for_url(re.compile(r"/edit/#id_nationality$"))
    assert page.locator("input[name=nationality]").count() == 2


@pytest.mark.parametrize("language", ["ar", "en"])
def test_declare_submit_see_the_confirmation_then_withdraw(page, alice, language):
    application = ApplicationFactory(applicant=alice)
    logged_in(page, language)
    page.goto(f"/applications/{application.reference}/check/")
    assert_accessible(page)

    # Without the declaration: one error, in the summary, linked to the box, which gets focus.
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#id_declaration']").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert_accessible(page)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT

    page.check("#id_declaration")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/submitted/$"))
    panel = page.inner_text(".confirmation-panel")
    assert WORDS[language]["submitted"] in panel
    assert application.reference in panel
    assert alice.email in page.inner_text("main")
    assert page.locator(".service-level").count() == 1
    assert_accessible(page)

    page.click(f"a[href='/applications/{application.reference}/withdraw/']")
    page.wait_for_url(re.compile(r"/withdraw/$"))
    assert_accessible(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/applications/{application.reference}/$"))
    assert WORDS[language]["withdrawn"] in page.inner_text("main .badge")
    assert_accessible(page)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
