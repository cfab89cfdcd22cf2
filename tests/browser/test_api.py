"""The API's documentation and an organisation's tokens page in a real browser: both languages,
a phone's width, no accessibility violation; a token made there answers the API."""

import json

import pytest

from .conftest import assert_accessible, log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_the_documentation_reads_in_both_languages_on_a_phone(page, language, direction):
    use_language(page, language)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/api/v1/docs/")
    assert page.get_attribute("html", "dir") == direction
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("table code, table bdi").count() > 10
    assert_accessible(page)


def test_an_administrator_makes_a_token_that_answers_the_api(page, live_server, password):
    from ..factories import MembershipFactory, RegistrationFactory

    membership = MembershipFactory()
    number = RegistrationFactory().profile.membership_number
    log_in(page, membership.user.national_id, password)
    type_app_code(page, membership.user)
    use_language(page, "en")
    page.goto(f"/employers/{membership.organisation_id}/api-tokens/")
    page.fill("#id_name", "HR system")
    page.click("main form button[type=submit]")
    token = page.locator("#issued pre").inner_text().strip()
    assert_accessible(page)
    answer = page.request.get(f"/api/v1/registrations/{number}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    assert json.loads(answer.body())["membership_number"].replace("-", "") == number
    page.click("text=Revoke this token now")
    refused = page.request.get(f"/api/v1/registrations/{number}", headers={"Authorization": f"Bearer {token}"})
    assert json.loads(refused.body())["error"]["code"] == "token_revoked"
