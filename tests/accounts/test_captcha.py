"""The captcha: a real challenge solved from the database, single use, and checked first."""

import re

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.contrib.auth import SESSION_KEY

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def real_challenge(client, path="/accounts/login/"):
    """The key of the challenge on the page and its answer, read from the database."""
    content = client.get(path).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', content).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def test_real_challenge_solved_from_the_database_logs_in(client, alice, password):
    key, answer = real_challenge(client)
    data = {"username": "1000000008", "password": password, "captcha_0": key, "captcha_1": answer}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_a_challenge_cannot_be_used_twice(client, alice, password):
    key, answer = real_challenge(client)
    data = {"username": "1000000008", "password": password, "captcha_0": key, "captcha_1": answer}
    client.post("/accounts/login/", data)
    client.post("/accounts/logout/")
    replay = client.post("/accounts/login/", data)
    assert replay.status_code == 200
    assert "captcha" in replay.context["form"].errors
    assert SESSION_KEY not in client.session


def test_wrong_captcha_never_checks_the_password(client, alice, password, monkeypatch):
    from accounts.backends import NationalIdOrEmailBackend

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("the password was checked behind a wrong captcha")

    monkeypatch.setattr(NationalIdOrEmailBackend, "authenticate", must_not_be_called)
    key, _answer = real_challenge(client)
    response = client.post(
        "/accounts/login/", {"username": "1000000008", "password": password, "captcha_0": key, "captcha_1": "WRONG"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["captcha"]
    assert not form.non_field_errors()
    assert SESSION_KEY not in client.session


def test_wrong_captcha_gets_the_same_answer_whether_the_password_is_right_or_not(client, alice, password):
    right = client.post("/accounts/login/", login_data("1000000008", password, captcha="WRONG"))
    wrong = client.post("/accounts/login/", login_data("1000000008", "bad-password", captcha="WRONG"))
    assert right.context["form"].errors == wrong.context["form"].errors


def test_wrong_captcha_counts_as_a_failure(client, alice, password):
    client.post("/accounts/login/", login_data("1000000008", password, captcha="WRONG"))
    assert AccessAttempt.objects.get(username="1000000008").failures_since_start == 1


def test_refresh_needs_the_ajax_header(client):
    assert client.get("/captcha/refresh/").status_code == 404
    response = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert set(response.json()) >= {"key", "image_url"}


def test_widget_has_arabic_text_alternative_and_ltr_answer(client):
    content = client.get("/accounts/login/").content.decode()
    image = re.search(r"<img [^>]*captcha[^>]*>", content).group(0)
    assert 'alt="' in image
    assert 'alt="captcha"' not in image
    answer = re.search(r'<input [^>]*name="captcha_1"[^>]*>', content).group(0)
    assert 'dir="ltr"' in answer
    assert "captcha-refresh" in content
