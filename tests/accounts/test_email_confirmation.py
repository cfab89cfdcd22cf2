"""Email verification links, resending them, and password reset: nothing reveals who exists."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing

from accounts.email_confirmation import make_verification_key
from devtools.demo import APPLICANT

from ..conftest import login_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(alice):
    alice.is_active = False
    alice.email_verified_at = None
    alice.save()
    return alice


def test_opening_the_link_does_not_activate(client, unverified):
    response = client.get(f"/accounts/verify/{make_verification_key(unverified)}/")
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    unverified.refresh_from_db()
    assert not unverified.is_active


def test_confirming_activates_and_allows_log_in(client, unverified, password):
    response = client.post(f"/accounts/verify/{make_verification_key(unverified)}/")
    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.is_active
    assert unverified.email_verified_at is not None
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert SESSION_KEY in client.session


def test_a_used_link_says_so_and_offers_no_button(client, unverified):
    key = make_verification_key(unverified)
    client.post(f"/accounts/verify/{key}/")
    response = client.get(f"/accounts/verify/{key}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "استُخدم هذا الرابط من قبل" in content
    assert "<form" not in content.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/accounts/login/"' in content


def test_expired_link_is_refused(client, unverified, monkeypatch, settings):
    key = make_verification_key(unverified)
    later = time.time() + settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(f"/accounts/verify/{key}/")
    assert response.status_code == 400
    unverified.refresh_from_db()
    assert not unverified.is_active


def test_tampered_link_is_refused(client, unverified):
    key = make_verification_key(unverified)
    response = client.get(f"/accounts/verify/{key[:-2]}xx/")
    assert response.status_code == 400


def test_link_stops_working_when_the_email_changes(client, unverified):
    key = make_verification_key(unverified)
    unverified.email = "new@example.sa"
    unverified.save()
    assert client.post(f"/accounts/verify/{key}/").status_code == 400


def test_resend_answers_the_same_for_unknown_and_known_emails(
    client, unverified, outbox, django_capture_on_commit_callbacks
):
    data = {"captcha_0": "k", "captcha_1": "PASSED"}
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/verify/resend/", {**data, "email": "alice@example.sa"}, follow=True)
        unknown = client.post("/accounts/verify/resend/", {**data, "email": "nobody@example.sa"}, follow=True)
    known_messages = [str(message) for message in known.context["messages"]]
    unknown_messages = [str(message) for message in unknown.context["messages"]]
    assert known_messages == unknown_messages
    assert len(outbox) == 1
    assert outbox[0].to == ["alice@example.sa"]


def test_resend_sends_nothing_to_an_active_account(client, alice, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/verify/resend/", {"email": "alice@example.sa", "captcha_0": "k", "captcha_1": "PASSED"})
    assert outbox == []


def test_resend_with_a_bad_email_shows_the_error(client):
    response = client.post("/accounts/verify/resend/", {"email": "nope", "captcha_0": "k", "captcha_1": "PASSED"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_password_reset_answers_the_same_and_mails_only_real_accounts(
    client, alice, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "alice@example.sa"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.sa"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(outbox) == 1
    assert "/accounts/password/reset/" in outbox[0].body


def test_password_reset_link_sets_a_new_password(client, alice, outbox, django_capture_on_commit_callbacks):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "alice@example.sa"})
    path = re.search(r"http://127.0.0.1:8000(/accounts/password/reset/\S+/)", outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "Brand-New-Password-77"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_password_reset_is_logged(client, alice, outbox, caplog, django_capture_on_commit_callbacks):
    import re

    caplog.set_level("INFO", logger="mumaris.security")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "alice@example.sa"})
    path = re.search(r"http://127.0.0.1:8000(/accounts/password/reset/\S+/)", outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Brand-New-77x", "new_password2": "Brand-New-77x"})
    assert f"password reset user={alice.pk}" in caplog.text
    assert "Brand-New-77x" not in caplog.text


def test_password_reset_mails_are_throttled_per_email(
    client, alice, outbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_SENDING_RATE = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                "/accounts/password/reset/", {"email": "Alice@example.sa"}, REMOTE_ADDR=f"10.0.0.{n}"
            ).status_code
            for n in range(4)
        ]
    assert statuses == [302, 302, 429, 429]
    assert len(outbox) == 2


def test_resend_is_throttled_per_address(client, settings):
    settings.EMAIL_SENDING_RATE = "2/h"
    statuses = [
        client.post(
            "/accounts/verify/resend/", {"email": f"person{n}@example.sa", "captcha_0": "k", "captcha_1": "PASSED"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
