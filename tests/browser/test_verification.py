"""What an employer reads on /verify/: one dated label per state, when it was read, a printable
result; and the practitioner's new share code, first on the page with its link, copy button and
QR code. In Arabic and English, each page checked with axe."""

import datetime

import pytest
from django.utils import timezone

from registry.workflow import revoke_registration, suspend_registration

from ..factories import PASSWORD, RegistrationFactory
from .conftest import assert_accessible, log_in, use_language, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = {
    "ar": {"active": "ساري حتى", "suspended": "موقوف منذ", "revoked": "ملغى منذ", "expired": "انتهى في"},
    "en": {
        "active": "Valid until",
        "suspended": "Suspended since",
        "revoked": "Revoked on",
        "expired": "Expired after",
    },
}


@pytest.fixture
def cards(rana):
    """A certificate code for each state a registration can be in."""
    today = timezone.localdate()
    active = RegistrationFactory()
    suspended = RegistrationFactory()
    suspend_registration(suspended, rana, "complaint")
    revoked = RegistrationFactory()
    revoke_registration(revoked, rana, "struck off")
    expired = RegistrationFactory(
        registered_on=today - datetime.timedelta(days=800), valid_until=today - datetime.timedelta(days=30)
    )
    registrations = {"active": active, "suspended": suspended, "revoked": revoked, "expired": expired}
    return {state: registration.certificates.get().code for state, registration in registrations.items()}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_each_state_reads_as_one_dated_label_with_the_time_it_was_read(page, cards, language):
    for state, code in cards.items():
        page.goto(f"/verify/{code}/?lang={language}")
        status = page.inner_text(".verify-status")
        main = page.inner_text("main")
        shown = [label for label in LABELS[language].values() if label in main]
        assert shown == [LABELS[language][state]], (state, shown)
        assert any(character.isdigit() for character in status), status  # the label carries its date
        checked = page.inner_text(".verify-checked")
        assert ("تم التحقق في" if language == "ar" else "Checked on") in checked
        assert code[:4] in checked
        assert page.locator(".js-print").is_visible()  # shown by the script
        assert_accessible(page)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_printed_result_keeps_the_result_the_time_and_the_code_and_drops_the_rest(page, cards, language):
    page.goto(f"/verify/?lang={language}")
    page.fill("#id_q", cards["suspended"])
    page.click("main form button[type=submit]")
    page.wait_for_selector(".verify-status")
    page.emulate_media(media="print")
    for kept in (".verify-status", ".verify-checked", "h1"):
        assert page.locator(kept).is_visible(), kept
    for dropped in (".site-footer", ".js-print", "main a[href^='/verify/']"):
        assert not page.locator(dropped).first.is_visible(), dropped
    page.emulate_media(media="screen")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_search_result_is_dated_and_accessible(page, cards, language):
    page.goto(f"/verify/?lang={language}")
    assert_accessible(page)
    page.fill("#id_q", cards["expired"])
    page.click("main form button[type=submit]")
    assert LABELS[language]["expired"] in page.inner_text(".verify-status")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("form[role=search]").is_visible()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_new_share_code_comes_first_with_its_link_copy_button_and_qr_code(page, pat, language):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    use_language(page, language)
    log_in(page, pat.national_id, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/services/share/")
    page.check("#id_shares_work_history")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/services/share/?created=*")
    panel = page.locator("#new-code")
    assert panel.is_visible()
    assert panel.bounding_box()["y"] < page.locator("#new-code-title").bounding_box()["y"]
    assert page.locator(".share-panel__qr").is_visible()
    link = page.inner_text("#new-code-link")
    page.click(".js-copy")
    wait_until(page, "document.getElementById('copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
