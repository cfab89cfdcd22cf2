"""Lockout: five failures of one user name from one address lock that pair for a while."""

import datetime
import hashlib

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY

from devtools.demo import APPLICANT, SUBMITTED

from ..conftest import login_data
from .test_two_factor import app_code, password_log_in

pytestmark = pytest.mark.django_db


def fail(client, times, username=APPLICANT.national_id, **extra):
    for _ in range(times):
        client.post("/accounts/login/", login_data(username, "Wrong-Password-1"), **extra)


def test_sixth_attempt_after_five_failures_is_locked_even_with_the_right_password(client, alice, password):
    fail(client, 5)
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "15" in content


def test_lock_page_says_when_to_try_again_in_english_too(client, alice, password):
    client.cookies["mumaris_language"] = "en"
    fail(client, 5)
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert "Try again after" in response.content.decode()


def test_lock_is_for_that_user_name_only(client, alice, bob, password):
    fail(client, 5)
    response = client.post("/accounts/login/", login_data(SUBMITTED.national_id, password))
    assert response.status_code == 302


def test_lock_is_for_that_address_only(client, alice, password):
    fail(client, 5, REMOTE_ADDR="10.0.0.1")
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_forwarded_for_header_is_not_trusted_by_default(client, alice, password):
    fail(client, 5, HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = client.post(
        "/accounts/login/", login_data(APPLICANT.national_id, password), HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429


def test_wrong_captchas_lock_too(client, alice, password):
    for _ in range(5):
        client.post("/accounts/login/", login_data(APPLICANT.national_id, password, captcha="WRONG"))
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off(client, alice, password, settings):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME * 2)
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("failures_before", "failures_after", "status"),
    [
        (4, 4, 302),  # the success reset the first four
        (0, 5, 429),  # a success with nothing to reset changes nothing for the failures after it
    ],
)
@pytest.mark.usefixtures("alice")
def test_success_resets_the_count(client, password, failures_before, failures_after, status):
    fail(client, failures_before)
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    client.post("/accounts/logout/")
    fail(client, failures_after)
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == status


def test_the_log_in_at_the_code_step_resets_the_failures_before_it(client, rana, password):
    fail(client, 2, username=rana.national_id)
    client, _ = password_log_in(password, rana.national_id)
    assert AccessAttempt.objects.filter(username=rana.national_id).exists()  # the password does not reset them
    client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})
    assert int(client.session[SESSION_KEY]) == rana.pk
    assert not AccessAttempt.objects.filter(username=rana.national_id).exists()


def test_every_log_in_is_in_the_access_log_with_its_session_until_log_out(client, alice, password):
    client.post("/accounts/login/", login_data("alice@example.sa", password), REMOTE_ADDR="10.0.0.7")
    entry = AccessLog.objects.get(username=APPLICANT.national_id)
    assert entry.ip_address == "10.0.0.7"
    assert entry.session_hash == hashlib.sha256(client.session.session_key.encode()).hexdigest()
    client.post("/accounts/logout/", REMOTE_ADDR="10.0.0.7")
    entry.refresh_from_db()
    assert entry.logout_time is not None


def test_lockout_is_logged(client, alice, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    fail(client, 5)
    assert "lockout username=1000000008" in caplog.text


@pytest.mark.parametrize("other_form", ["alice@example.sa", "ALICE@Example.SA", "١٠٠٠٠٠٠٠٠٨", " 1000000008 "])
def test_every_form_of_the_user_name_counts_for_the_same_account(client, alice, password, other_form):
    fail(client, 4)
    fail(client, 1, username=other_form)
    for username in (APPLICANT.national_id, other_form):
        assert client.post("/accounts/login/", login_data(username, password)).status_code == 429


def test_an_account_refuses_log_in_after_too_many_failures_from_any_address(client, alice, password, settings):
    settings.ACCOUNT_FAILURE_RATE = "20/h"
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        fail(client, 5, REMOTE_ADDR=address)
    client.cookies["mumaris_language"] = "en"
    response = client.post("/accounts/login/", login_data("alice@example.sa", password), REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "too many failed log-in attempts on this account" in response.content.decode()
    # Another account is not affected, and neither is this one once its owner resets the password.
    bob_response = client.post("/accounts/login/", login_data("bob@example.sa", password), REMOTE_ADDR="10.0.0.5")
    assert bob_response.status_code == 200
    alice.set_password("A-New-Password-2026")
    alice.save()
    response = client.post(
        "/accounts/login/", login_data(APPLICANT.national_id, "A-New-Password-2026"), REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 302


def test_the_account_limit_does_not_tell_which_accounts_exist(client, settings):
    settings.ACCOUNT_FAILURE_RATE = "3/h"
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        fail(client, 1, username="nobody@example.sa", REMOTE_ADDR=address)
    client.cookies["mumaris_language"] = "en"
    response = client.post("/accounts/login/", login_data("nobody@example.sa", "x"), REMOTE_ADDR="10.0.0.5")
    assert "too many failed log-in attempts on this account" in response.content.decode()
