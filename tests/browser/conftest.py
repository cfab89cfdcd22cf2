"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, and axe-core."""

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    """On SQLite the live server runs one request's Django work at a time. Its threads share the
    test's one in-memory connection (Django hands it to them), so two requests writing at once — a
    document's page pictures, each recording the look in the access log — fail with "database
    table is locked", which no deployment has (a file database, a connection a thread, a busy
    timeout). Connections are still accepted by a thread each: Chromium opens some it sends
    nothing on, which would stall a server reading one connection at a time."""
    from django.conf import settings
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATimeServer(ThreadedWSGIServer):
        django_work = threading.Lock()

        def set_app(self, application):
            def one_at_a_time(environ, start_response):
                with self.django_work:
                    return application(environ, start_response)

            super().set_app(one_at_a_time)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        threaded, LiveServerThread.server_class = LiveServerThread.server_class, OneRequestAtATimeServer
        yield
        LiveServerThread.server_class = threaded
    else:
        yield


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def use_language(page, language):
    page.context.add_cookies(
        [{"name": "mumaris_language", "value": language, "url": page.context._impl_obj._options["baseURL"]}]
    )


def assert_accessible(page):
    """axe-core finds no WCAG 2 A/AA violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def wait_until(page, expression, timeout_ms=5000):
    """Poll `expression` from the test: Playwright's wait_for_function evaluates a string with
    eval() in the page, which our Content-Security-Policy (script-src 'self') refuses."""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("#id_captcha_1", "PASSED")
    page.click("main form button[type=submit]")


def app_code_for_key(key, steps_ahead=0):
    """What an authenticator app shows for a base32 key (as printed on the enrolment page)."""
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def type_app_code(page, user, steps_ahead=0):
    """The code step after the password, answered as the user's app would."""
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url("**/accounts/login/code/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.fill("#id_code", app_code_for_key(b32encode(device.bin_key).decode(), steps_ahead))
    page.click("main form button[type=submit]")


def log_out(page):
    """From the header's account menu (a <details>: opened first)."""
    page.goto("/")
    page.click("header .account-menu summary")
    page.click("header form[action='/accounts/logout/'] button")
    page.wait_for_load_state()
