"""The captcha in a browser: another code with and without JavaScript, and the spoken code."""

import re

import pytest

from devtools.demo import APPLICANT

from .conftest import assert_accessible, use_language, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def challenge_key(page):
    return page.get_attribute("input[name=captcha_0]", "value")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_another_code_swaps_image_key_and_audio_in_place_keeping_what_was_typed(page, language):
    use_language(page, language)
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.fill("#id_username", APPLICANT.national_id)
    old_key = challenge_key(page)
    page.click(".captcha-refresh")
    wait_until(page, f"document.querySelector('input[name=captcha_0]').value !== '{old_key}'")
    new_key = challenge_key(page)
    assert new_key in page.get_attribute(".captcha img", "src")
    assert page.get_attribute(".captcha-audio", "href") == f"/captcha/audio/{new_key}.wav"
    assert page.input_value("#id_username") == APPLICANT.national_id
    assert page.evaluate("document.activeElement.id") == "id_captcha_1"
    # The new image, once loaded, is drawn at 2× the size it takes on the page.
    wait_until(page, "document.querySelector('.captcha img').complete")
    assert page.evaluate("document.querySelector('.captcha img').naturalWidth") == 300
    audio = page.request.get(page.get_attribute(".captcha-audio", "href"))
    assert audio.headers["content-type"] == "audio/wav"
    assert audio.body()[:4] == b"RIFF"
    assert_accessible(page)


def test_another_code_without_javascript_reloads_the_page_with_a_new_challenge(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/?next=/services/")
    old_key = challenge_key(page)
    page.click(".captcha-refresh")
    page.wait_for_load_state()
    assert re.search(r"/accounts/login/\?next=/services/$", page.url)
    assert challenge_key(page) != old_key
    context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_code_plays_in_place_and_follows_another_code(page, language):
    use_language(page, language)
    page.goto("/accounts/login/")
    player = ".captcha-player"
    assert page.get_attribute(player, "controls") is not None
    assert page.evaluate("document.querySelector('.captcha-player').preload") == "none"
    assert page.is_visible(player)
    assert not page.is_visible(".captcha-audio"), "the link is only the fallback inside <audio>"
    assert_accessible(page)
    old_key = challenge_key(page)
    page.click(".captcha-refresh")
    wait_until(page, f"document.querySelector('input[name=captcha_0]').value !== '{old_key}'")
    assert page.get_attribute(player, "src") == f"/captcha/audio/{challenge_key(page)}.wav"
    # The page's Content-Security-Policy lets the player load its sound (media-src 'self').
    page.evaluate("document.querySelector('.captcha-player').load()")
    wait_until(page, "document.querySelector('.captcha-player').readyState >= 1", timeout_ms=15000)
    assert page.evaluate("document.querySelector('.captcha-player').error") is None
    assert page.url.endswith("/accounts/login/")
