"""Log-in as stages: the password (with the captcha), then the code or a staff member's set-up.

Until the last stage the session holds only a pending log-in: the person is not logged in, and
nothing — not `last_login`, the log, the header of any page — says who they are.
"""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.login_stages import PENDING_LOGIN_KEY

from ..conftest import login_data
from .test_two_factor import app_code, password_log_in

pytestmark = pytest.mark.django_db


def test_the_password_alone_logs_no_one_in(rana, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    client, response = password_log_in(password, rana.national_id, "/admin/")
    assert response["Location"] == "/accounts/login/code/"
    assert SESSION_KEY not in client.session
    rana.refresh_from_db()
    assert rana.last_login is None
    assert f"login user={rana.pk}" not in caplog.text
    for path in ("/accounts/login/code/", "/no-such-page/", "/"):
        page = client.get(path)
        assert page.wsgi_request.user.is_anonymous, path
        assert rana.full_name_ar not in page.content.decode(), path
        assert rana.full_name_en not in page.content.decode(), path
    assert client.get("/admin/").status_code == 302

    assert client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})["Location"] == "/admin/"
    assert int(client.session[SESSION_KEY]) == rana.pk
    rana.refresh_from_db()
    assert rana.last_login is not None
    assert f"login user={rana.pk}" in caplog.text
    assert rana.full_name_en in client.get("/").content.decode()
    assert client.get("/admin/").status_code == 200


def test_the_session_key_rotates_when_the_pending_log_in_starts_and_at_log_in(rana, password):
    client = Client()
    session = client.session
    session["marker"] = "x"
    session.save()
    anonymous_key = session.session_key
    client.post("/accounts/login/", login_data(rana.national_id, password))
    pending_key = client.session.session_key
    assert pending_key != anonymous_key
    client.post("/accounts/login/code/", {"code": app_code(rana.otp_device, steps_ahead=1)})
    assert client.session.session_key not in {anonymous_key, pending_key}
    assert PENDING_LOGIN_KEY not in client.session


def test_a_pending_log_in_expires(rana, password, settings):
    client, _ = password_log_in(password, rana.national_id)
    session = client.session
    session[PENDING_LOGIN_KEY]["started"] = time.time() - settings.LOGIN_STAGE_TIMEOUT.total_seconds() - 1
    session.save()
    response = client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session
    assert PENDING_LOGIN_KEY not in client.session


def test_a_password_reset_between_the_stages_ends_the_pending_log_in(rana, password):
    client, _ = password_log_in(password, rana.national_id)
    rana.set_password("A-New-Password-After-Reset-7")
    rana.save()
    response = client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session


def test_the_code_step_without_a_pending_log_in_sends_to_the_password(client):
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_keep_me_logged_in_unticked_ends_the_session_with_the_browser(rana, password):
    client, _ = password_log_in(password, rana.national_id)
    client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})
    assert client.session.get_expire_at_browser_close()

    remembered = Client()
    remembered.post("/accounts/login/", {**login_data(rana.national_id, password), "remember": "on"})
    remembered.post("/accounts/login/code/", {"code": app_code(rana.otp_device, steps_ahead=1)})
    assert SESSION_KEY in remembered.session
    assert not remembered.session.get_expire_at_browser_close()


def test_without_a_second_factor_the_password_logs_in_at_once(client, alice, password):
    response = client.post("/accounts/login/", login_data(alice.national_id, password))
    assert response["Location"] == "/requests/"
    assert int(client.session[SESSION_KEY]) == alice.pk
    assert PENDING_LOGIN_KEY not in client.session


def test_the_code_step_is_locked_out_by_the_id_number(rana, password):
    client, _ = password_log_in(password, rana.national_id)
    for number in range(5):
        client.post("/accounts/login/code/", {"code": f"00000{number}"})
    assert client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)}).status_code == 429
    assert SESSION_KEY not in client.session
    assert TOTPDevice.objects.filter(user=rana, confirmed=True).exists()
