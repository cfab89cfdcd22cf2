"""Sessions end when idle or too old; changing the password ends the other sessions."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.middleware import LAST_ACTIVITY_KEY, LOGIN_TIME_KEY
from devtools.demo import APPLICANT

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def logged_in_client(password):
    client = Client()
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert SESSION_KEY in client.session
    return client


def shift_session(client, key, seconds_ago):
    session = client.session
    session[key] = time.time() - seconds_ago
    session.save()


def test_active_session_stays(alice, password):
    client = logged_in_client(password)
    assert client.get("/accounts/account/").status_code == 200


def test_session_ends_after_idle_time(alice, password, settings):
    client = logged_in_client(password)
    shift_session(client, LAST_ACTIVITY_KEY, settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5)
    response = client.get("/accounts/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_ends_after_the_absolute_maximum(alice, password, settings):
    client = logged_in_client(password)
    shift_session(client, LOGIN_TIME_KEY, settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() + 5)
    assert client.get("/accounts/account/").status_code == 302


def test_changing_the_password_ends_other_sessions(alice, password):
    phone = logged_in_client(password)
    laptop = logged_in_client(password)
    new_password = "Another-Strong-Pass-31"
    response = laptop.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert laptop.get("/accounts/account/").status_code == 200
    assert phone.get("/accounts/account/").status_code == 302


def test_password_change_with_a_wrong_old_password_is_refused(alice, password):
    client = logged_in_client(password)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": "Another-Strong-Pass-31", "new_password2": "Another-Strong-Pass-31"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_account_page_needs_log_in(client):
    response = client.get("/accounts/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/account/"


def test_admin_login_goes_through_the_portal_log_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_password_change_is_logged_without_the_password(alice, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    client = logged_in_client(password)
    new_password = "Another-Strong-Pass-31"
    client.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert f"password changed user={alice.pk}" in caplog.text
    assert new_password not in caplog.text
    assert password not in caplog.text


def test_a_session_ends_with_the_browser_unless_remembered(alice, password):
    client = Client()
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert client.session.get_expire_at_browser_close()
    remembered = Client()
    remembered.post("/accounts/login/", {**login_data(APPLICANT.national_id, password), "remember": "on"})
    assert not remembered.session.get_expire_at_browser_close()
    assert remembered.cookies["sessionid"]["max-age"] == 12 * 60 * 60


def test_empty_password_change_names_each_field(alice_client):
    response = alice_client.post("/accounts/password/change/", {})
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert "اكتب كلمة المرور الحالية." in summary
    assert "اختر كلمة مرور جديدة." in summary
    assert "أعد كتابة كلمة المرور الجديدة." in summary
    assert "هذا الحقل مطلوب" not in summary


def test_password_rules_are_one_sentence(alice_client):
    for page in (alice_client.get("/accounts/password/change/"), Client().get("/accounts/signup/")):
        content = page.content.decode()
        assert '<bdi dir="ltr">8</bdi> أحرف على الأقل، وألا تكون أرقامًا فقط' in content
        hint = re.search(r'id="id_(?:new_)?password1_hint">(.*?)</div>', content, re.S).group(1)
        assert "<li" not in hint  # not Django's stock list of rules


@pytest.mark.parametrize("cookie", ["abcdefgh\x00ijklmnop", "x" * 5000, "ABCDEFGHIJKLMNOP", "session-clé-étrange"])
def test_a_cookie_no_store_could_have_drawn_is_no_session_and_no_query(client, cookie, django_assert_num_queries):
    """A NUL in the session cookie was a 500 on every page on PostgreSQL (it cannot compare one);
    no such cookie names a session, so none is read."""
    client.cookies["sessionid"] = cookie
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    response = client.get("/accounts/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_cookie_of_a_real_session_still_signs_in(alice_client):
    """The key check lets the keys the store draws through."""
    assert alice_client.get("/accounts/account/").status_code == 200
