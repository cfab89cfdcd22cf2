"""The home page, language, terms, error pages and the health check."""

import re

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_home_is_arabic_rtl_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_browser_language_is_ignored(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_english_switch_is_remembered_in_a_cookie(client):
    response = client.post("/language/", {"language": "en", "next": "/terms/"})
    assert response.status_code == 302
    assert response["Location"] == "/terms/"
    assert response.cookies["mumaris_language"].value == "en"
    page = client.get("/terms/")
    assert html_tag(page) == '<html lang="en" dir="ltr">'
    assert "Terms of use" in page.content.decode()


def test_unknown_language_cookie_falls_back_to_arabic(client):
    client.cookies["mumaris_language"] = "fr"
    assert html_tag(client.get("/")) == '<html lang="ar" dir="rtl">'


def test_page_chrome_kept_per_language_never_mixes_languages_or_visitors(client, alice):
    """Header, footer and home cards are rendered once per language and kept: each language
    gets its own, and a visitor never sees another's name, links or CSRF token."""
    arabic = client.get("/").content.decode()
    client.cookies["mumaris_language"] = "en"
    english = client.get("/").content.decode()
    assert "انتقل إلى المحتوى الرئيسي" in arabic
    assert "Skip to main content" not in arabic
    assert "Skip to main content" in english
    assert "انتقل إلى المحتوى الرئيسي" not in english
    assert "Terms of use" in english
    assert "Create a new account" in english
    assert "ممارس: خدمات الممارسين الصحيين" in arabic  # the home page's own kept fragment
    assert "Mumaris: services for health practitioners" in english
    assert "Mumaris: services for health practitioners" not in arabic

    client.force_login(alice)
    signed_in = client.get("/").content.decode()
    assert alice.display_name in signed_in
    assert "Log out" in signed_in
    assert 'href="/accounts/login/">Log in</a></li>' not in signed_in
    client.logout()
    client.cookies["mumaris_language"] = "en"
    visitor = client.get("/").content.decode()
    assert alice.display_name not in visitor
    assert 'href="/accounts/login/">Log in</a></li>' in visitor

    def csrf_tokens(page):
        return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))

    # Masked afresh on every page: a token inside a kept fragment would show up on both.
    assert csrf_tokens(visitor)
    assert csrf_tokens(signed_in)
    assert not csrf_tokens(visitor) & csrf_tokens(signed_in)


def main_actions(content):
    """The addresses of the home page's buttons: each card's main action."""
    return re.findall(r'<a href="([^"]+)" class="button">', content)


def test_home_gives_each_kind_of_visitor_one_main_action(client):
    content = client.get("/").content.decode()
    assert main_actions(content) == ["/accounts/login/", "/accounts/signup/", "/verify/"]
    assert 'href="/eligibility/"' in content
    assert 'href="/accounts/password/reset/"' in content


def test_home_leads_someone_logged_in_to_their_services(client, alice):
    client.force_login(alice)
    content = client.get("/").content.decode()
    assert main_actions(content) == ["/services/", "/verify/"]
    for url in ("/requests/", "/eligibility/"):
        assert f'href="{url}"' in content
    assert 'class="button">Log in' not in content
    assert "/accounts/login/" not in content


def test_home_card_headings_are_not_repeated_as_their_links(client, alice):
    visitor = client.get("/").content.decode()
    client.force_login(alice)
    for content in (visitor, client.get("/").content.decode()):
        cards = re.findall(r'<li class="card">(.*?)</li>', content, re.DOTALL)
        assert len(cards) == 3  # side by side, or one above another: none left alone
        for card in cards:
            heading = re.search(r"<h2>(.*?)</h2>", card).group(1)
            assert heading not in re.findall(r"<a [^>]*>(.*?)</a>", card)


def test_logged_in_header_links_to_services_requests_and_eligibility(client, alice):
    assert "primary-nav" not in client.get("/").content.decode()
    client.force_login(alice)
    content = client.get("/requests/").content.decode()
    nav = re.search(r'<nav class="primary-nav".*?</nav>', content, re.DOTALL).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == ["/services/", "/requests/", "/eligibility/"]
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == ["/requests/"]


def test_only_staff_have_the_review_link_in_their_menu(client, alice, rana):
    client.force_login(alice)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(rana)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_terms_page_shows_its_version(client, settings):
    assert settings.TERMS_VERSION in client.get("/terms/").content.decode()


def test_unknown_page_is_a_404_in_the_portal_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert html_tag(response) == '<html lang="ar" dir="rtl">'
    assert 'class="site-header"' in response.content.decode()


def test_csrf_failure_page_is_friendly(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert 'class="site-header"' in response.content.decode()


def test_a_csrf_failure_is_logged_by_the_urls_name_not_its_path(db, caplog):
    """A reset link's path carries its token: the security line names the view instead."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level("INFO", logger="mumaris.security"):
        client.post("/accounts/password/reset/MQ/secret-token-abc/", {"new_password1": "x"})
    lines = [record.getMessage() for record in caplog.records if record.name == "mumaris.security"]
    assert any(line.startswith("csrf failure view=") for line in lines)
    assert not any("secret-token-abc" in line for line in lines)


def test_server_error_page_is_in_the_portal_look(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert 'class="site-header"' in content
    assert "Traceback" not in content


def test_healthz_answers_200_without_cookies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def failing_execute(self, sql, params=None):
        raise DatabaseError("database is down")

    monkeypatch.setattr(CursorWrapper, "execute", failing_execute)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.cookies


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/eligibility/", "/terms/"])
def test_security_headers_on_every_page(client, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"]).group(1)) >= 31536000
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/requests/", "/services/", "/accounts/account/", "/eligibility/"])
def test_every_page_for_a_logged_in_person_is_private_and_not_stored(pat, client, path):
    client.force_login(pat)
    response = client.get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_public_pages_for_visitors_are_not_marked_private(client):
    assert "private" not in client.get("/").get("Cache-Control", "")


def test_cookies_are_secure_and_http_only(client):
    response = client.post("/language/", {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies["mumaris_language"]
    assert cookie["secure"]
    assert cookie["httponly"]
    login_page = client.get("/accounts/login/", secure=True)
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]


def test_pages_load_nothing_from_other_hosts(client):
    content = client.get("/accounts/login/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', content)


def test_database_outage_is_a_friendly_503_without_traceback(alice_client, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def failing_execute(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", failing_execute)
    alice_client.raise_request_exception = False
    response = alice_client.get("/accounts/account/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "Traceback" not in content
    assert "OperationalError" not in content
    assert '<a class="site-name" href="/">' in content  # the way home, without the database


def test_the_chrome_links_where_its_names_say(alice_client):
    content = alice_client.get("/requests/").content.decode()
    for path in ("/", "/services/", "/accounts/account/", "/employers/", "/accounts/logout/", "/language/"):
        assert f'="{path}"' in content, path
    assert '<a href="/requests/" aria-current="page">' in content


def page_title(content):
    return re.search(r"<title>(.*?)</title>", content, re.DOTALL).group(1).strip()


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "403_csrf.html", "404.html", "413.html", "429.html", "500.html", "503.html"]
)
def test_every_error_page_title_starts_with_error(template, db):
    from django.template.loader import render_to_string
    from django.utils import translation

    for language, prefix in (("ar", "خطأ:"), ("en", "Error:")):
        with translation.override(language):
            assert page_title(render_to_string(template)).startswith(prefix), (template, language)


def test_a_form_returned_with_errors_says_so_in_the_title(client):
    assert not page_title(client.get("/accounts/password/reset/").content.decode()).startswith("خطأ:")
    response = client.post("/accounts/password/reset/", {"email": "not an address"})
    assert page_title(response.content.decode()).startswith("خطأ: ")


def test_pages_have_a_description(client):
    content = client.get("/").content.decode()
    assert re.search(r'<meta name="description" content="ممارس[^"]+">', content)
