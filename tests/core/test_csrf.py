"""The pages' CSRF token (core/csrf.py) is Django's: the same form, undone and checked by Django."""

import collections
import re

import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory

from core import csrf

TOKEN_IN_PAGE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def test_a_new_visitor_gets_a_secret_in_the_cookie_that_the_page_token_carries(browser):
    page = browser.get("/eligibility/")
    token = TOKEN_IN_PAGE.search(page.content.decode()).group(1)
    secret = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert len(token) == 64
    assert len(secret) == 32
    assert set(token + secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert "Cookie" in page["Vary"]


@pytest.mark.django_db
def test_every_form_of_a_page_carries_the_same_secret_and_the_next_page_a_new_mask(browser):
    first = TOKEN_IN_PAGE.findall(browser.get("/accounts/login/").content.decode())
    second = TOKEN_IN_PAGE.findall(browser.get("/accounts/login/").content.decode())
    assert len(first) == 3  # the form, the language switch in the header and in the footer
    secret = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(token) for token in first + second} == {secret}
    assert first[0] != second[0]


@pytest.mark.django_db
def test_djangos_middleware_accepts_the_token_and_refuses_a_post_without_it(browser):
    token = TOKEN_IN_PAGE.search(browser.get("/eligibility/").content.decode()).group(1)
    assert browser.post("/eligibility/", {"nationality": "saudi"}).status_code == 403
    assert browser.post("/eligibility/", {"csrfmiddlewaretoken": token, "nationality": "saudi"}).status_code == 200


def test_a_token_from_another_browser_is_refused(browser):
    token = TOKEN_IN_PAGE.search(Client().get("/eligibility/").content.decode()).group(1)
    browser.get("/eligibility/")
    assert browser.post("/eligibility/", {"csrfmiddlewaretoken": token, "nationality": "saudi"}).status_code == 403


def test_a_visitor_with_a_secret_keeps_it():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    assert _unmask_cipher_token(csrf.get_token(request)) == "a" * 32
    assert request.META["CSRF_COOKIE"] == "a" * 32
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_every_character_is_drawn_about_equally_often():
    counts = collections.Counter("".join(csrf.random_string() for _ in range(4000)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 4000 * 32 / len(CSRF_ALLOWED_CHARS)  # about 2,065
    # The bytes above 247 are dropped: kept modulo 62, they would give the first 8 characters 1.25 times the rest.
    assert all(0.85 * expected < count < 1.15 * expected for count in counts.values())


def test_a_short_read_is_topped_up(monkeypatch):
    reads = iter([bytes([255] * 30 + [0] * 10), bytes([1] * 40)])  # 10 usable bytes, then 40
    monkeypatch.setattr(csrf.os, "urandom", lambda length: next(reads))
    assert csrf.random_string() == "a" * 10 + "b" * 22
