"""Lockout: five failures of one user name from one address lock that pair for a while."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def fail(client, times, username="1000000008", **extra):
    for _ in range(times):
        client.post("/accounts/login/", login_data(username, "Wrong-Password-1"), **extra)


def test_sixth_attempt_after_five_failures_is_locked_even_with_the_right_password(client, alice, password):
    fail(client, 5)
    response = client.post("/accounts/login/", login_data("1000000008", password))
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "15" in content


def test_lock_page_says_when_to_try_again_in_english_too(client, alice, password):
    client.cookies["mumaris_language"] = "en"
    fail(client, 5)
    response = client.post("/accounts/login/", login_data("1000000008", password))
    assert "Try again after" in response.content.decode()


def test_lock_is_for_that_user_name_only(client, alice, bob, password):
    fail(client, 5)
    response = client.post("/accounts/login/", login_data("1000000016", password))
    assert response.status_code == 302


def test_lock_is_for_that_address_only(client, alice, password):
    fail(client, 5, REMOTE_ADDR="10.0.0.1")
    response = client.post("/accounts/login/", login_data("1000000008", password), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_forwarded_for_header_is_not_trusted_by_default(client, alice, password):
    fail(client, 5, HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = client.post("/accounts/login/", login_data("1000000008", password), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_wrong_captchas_lock_too(client, alice, password):
    for _ in range(5):
        client.post("/accounts/login/", login_data("1000000008", password, captcha="WRONG"))
    response = client.post("/accounts/login/", login_data("1000000008", password))
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off(client, alice, password, settings):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME * 2)
    response = client.post("/accounts/login/", login_data("1000000008", password))
    assert response.status_code == 302


def test_success_resets_the_count(client, alice, password):
    fail(client, 4)
    client.post("/accounts/login/", login_data("1000000008", password))
    client.post("/accounts/logout/")
    fail(client, 4)
    response = client.post("/accounts/login/", login_data("1000000008", password))
    assert response.status_code == 302


def test_lockout_is_logged(client, alice, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    fail(client, 5)
    assert "lockout username=1000000008" in caplog.text
