"""Create an account: fields, every error code, terms recorded, inactive until verified."""

import pytest

from accounts.forms import CAPTCHA_ERROR, SignupForm
from accounts.models import User
from devtools.demo import RENEWING

pytestmark = pytest.mark.django_db

VALID = {
    "full_name_ar": "ليلى حسن",
    "full_name_en": "Layla Hassan",
    "national_id": "1012345672",
    "email": "Layla@Example.SA",
    "password1": "Sunrise-Over-Riyadh-42",
    "password2": "Sunrise-Over-Riyadh-42",
    "accept_terms": "on",
    "captcha_0": "test-key",
    "captcha_1": "PASSED",
}


def error_codes(data):
    form = SignupForm(data)
    assert not form.is_valid()
    return {field: [error.code for error in errors] for field, errors in form.errors.as_data().items()}


def test_signup_page_has_the_labels_users_know(client):
    content = client.get("/accounts/signup/").content.decode()
    for label in (
        "الاسم",
        "رقم الهوية",
        "البريد الإلكتروني",
        "كلمة المرور",
        "تأكيد كلمة المرور",
        "شروط الاستخدام",
        "إنشاء حساب",
    ):
        assert label in content
    assert 'href="/terms/"' in content


def test_signup_creates_an_inactive_account_and_sends_the_link(
    client, outbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done/"
    user = User.objects.get(national_id="1012345672")
    assert not user.is_active
    assert user.email == "layla@example.sa"
    assert user.check_password("Sunrise-Over-Riyadh-42")
    assert user.terms_version == settings.TERMS_VERSION
    assert user.terms_accepted_at is not None
    assert len(outbox) == 1
    assert outbox[0].to == ["layla@example.sa"]
    assert "/accounts/verify/" in outbox[0].body
    assert outbox[0].alternatives[0][1] == "text/html"


def test_no_email_when_the_transaction_does_not_commit(client, outbox):
    # Without running on-commit callbacks, nothing is sent.
    client.post("/accounts/signup/", VALID)
    assert outbox == []


def test_email_is_in_the_language_of_the_signup(client, outbox, django_capture_on_commit_callbacks):
    client.cookies["mumaris_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", VALID)
    assert outbox[0].subject == "Mumaris: verify your email address"
    assert User.objects.get(national_id="1012345672").preferred_language == "en"


def test_arabic_indic_id_number_is_accepted(client):
    client.post("/accounts/signup/", {**VALID, "national_id": "١٠١٢٣٤٥٦٧٢"})
    assert User.objects.filter(national_id="1012345672").exists()


@pytest.mark.parametrize(
    ("national_id", "code"),
    [("12345", "length"), ("3012345678", "prefix"), ("1012345673", "checksum")],
)
def test_invalid_id_numbers(national_id, code):
    assert error_codes({**VALID, "national_id": national_id})["national_id"] == [code]


def test_id_number_already_used(alice):
    assert error_codes({**VALID, "national_id": alice.national_id})["national_id"] == ["national_id_taken"]


def test_a_registered_email_gets_the_same_answer_and_its_owner_a_notice(
    client, alice, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/accounts/signup/", {**VALID, "email": "ALICE@example.sa"})
        new = client.post(
            "/accounts/signup/", {**VALID, "national_id": RENEWING.national_id, "email": "new@example.sa"}
        )
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == "/accounts/signup/done/"
    assert not User.objects.filter(national_id=VALID["national_id"]).exists()
    notice = next(message for message in outbox if message.to == ["alice@example.sa"])
    assert "http://127.0.0.1:8000/accounts/password/reset/" in notice.body
    assert User.objects.get(pk=alice.pk).check_password(VALID["password1"]) is False


def test_invalid_email():
    assert error_codes({**VALID, "email": "not-an-email"})["email"] == ["invalid"]


def test_passwords_must_match():
    assert error_codes({**VALID, "password2": "Something-Else-42"})["password2"] == ["password_mismatch"]


def test_common_password_is_refused():
    codes = error_codes({**VALID, "password1": "password123", "password2": "password123"})
    assert "password_too_common" in codes["password1"]


def test_short_password_is_refused():
    codes = error_codes({**VALID, "password1": "Ab1-x", "password2": "Ab1-x"})
    assert "password_too_short" in codes["password1"]


def test_password_containing_the_id_number_is_refused():
    password = "x1012345672-Strong"
    codes = error_codes({**VALID, "password1": password, "password2": password})
    assert "password_contains_id" in codes["password1"]


def test_password_containing_the_email_local_part_is_refused():
    password = "Layla-Strong-Pass-9"
    codes = error_codes({**VALID, "password1": password, "password2": password})
    assert "password_contains_email" in codes["password1"] or "password_too_similar" in codes["password1"]


def test_terms_must_be_accepted():
    data = {key: value for key, value in VALID.items() if key != "accept_terms"}
    assert error_codes(data)["accept_terms"] == ["required"]


def test_wrong_captcha_is_refused():
    form = SignupForm({**VALID, "captcha_1": "WRONG"})
    assert not form.is_valid()
    assert form.errors["captcha"] == [str(CAPTCHA_ERROR)]


def test_name_is_required():
    assert error_codes({**VALID, "full_name_ar": ""})["full_name_ar"] == ["required"]


def test_failed_signup_keeps_what_was_typed_except_passwords(client):
    response = client.post("/accounts/signup/", {**VALID, "national_id": "12"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="ليلى حسن"' in content
    assert "Sunrise-Over-Riyadh-42" not in content
    assert not User.objects.exists()


def test_errors_are_tied_to_their_fields(client):
    content = client.post("/accounts/signup/", {**VALID, "national_id": "12"}).content.decode()
    assert 'aria-describedby="id_national_id_hint id_national_id_error"' in content
    assert 'id="id_national_id_error"' in content
    assert 'href="#id_national_id"' in content


def test_account_taken_between_check_and_insert_is_an_error_not_a_500(client, alice, monkeypatch):
    # The form's own check passes (as for the second of two simultaneous clicks) ...
    monkeypatch.setattr(SignupForm, "clean_national_id", lambda form: form.cleaned_data["national_id"])
    response = client.post("/accounts/signup/", {**VALID, "national_id": alice.national_id})
    # ... and the database's unique constraint decides, with the same message as the form.
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["national_id"]] == ["national_id_taken"]
    assert User.objects.count() == 1


def test_email_taken_between_check_and_insert(client, alice, monkeypatch, outbox, django_capture_on_commit_callbacks):
    from accounts.models import UserManager

    # The first look finds no account (as for the second of two simultaneous clicks) ...
    looks = iter([User.objects.none(), User.objects.filter(pk=alice.pk)])
    monkeypatch.setattr(UserManager, "with_email", lambda manager, email: next(looks))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {**VALID, "email": "ALICE@example.sa"})
    # ... the unique constraint decides, and the answer is the same as for a new email.
    assert response["Location"] == "/accounts/signup/done/"
    assert [message.to for message in outbox] == [["alice@example.sa"]]


def test_a_wrong_or_missing_captcha_is_judged_before_anything_else(alice):
    taken = {**VALID, "national_id": alice.national_id, "email": alice.email, "captcha_1": "WRONG"}
    assert error_codes(taken) == {"captcha": ["invalid"]}
    invalid = {**VALID, "national_id": "123", "email": "x", "password2": "other", "captcha_1": "WRONG"}
    assert error_codes(invalid) == {"captcha": ["invalid"]}
    without_captcha = {key: value for key, value in taken.items() if not key.startswith("captcha")}
    assert error_codes(without_captcha) == {"captcha": ["required"]}


def test_a_refused_captcha_keeps_what_was_typed(client):
    content = client.post("/accounts/signup/", {**VALID, "captcha_1": "WRONG"}).content.decode()
    assert 'value="ليلى حسن"' in content
    assert 'value="1012345672"' in content


def test_signup_posts_are_throttled_per_address(client, settings):
    settings.SIGNUP_RATE = "3/h"
    statuses = [
        client.post("/accounts/signup/", {**VALID, "national_id": national_id, "captcha_1": "WRONG"}).status_code
        for national_id in ("1000000040", "1000000057", "1000000065", "1000000073")
    ]
    assert statuses == [200, 200, 200, 429]


def test_signup_posts_are_throttled_per_id_number_from_any_address(client, settings):
    settings.SIGNUP_RATE = "3/h"
    statuses = [
        client.post("/accounts/signup/", {**VALID, "captcha_1": "WRONG"}, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(1, 5)
    ]
    assert statuses == [200, 200, 200, 429]
    english = client.post("/accounts/signup/", VALID, REMOTE_ADDR="10.0.0.9", HTTP_COOKIE="mumaris_language=en")
    assert english.status_code == 429


def test_expired_unverified_accounts_are_deleted_and_free_their_id(client, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from ..factories import UserFactory

    old = timezone.now() - settings.EMAIL_VERIFICATION_MAX_AGE - timedelta(minutes=1)
    expired = UserFactory(is_active=False, email_verified_at=None, date_joined=old)
    fresh = UserFactory(is_active=False, email_verified_at=None)
    disabled = UserFactory(is_active=False, date_joined=old)
    call_command("delete_unverified_accounts")
    call_command("delete_unverified_accounts")  # a second server, or the next hour: nothing more
    assert set(User.objects.values_list("pk", flat=True)) == {fresh.pk, disabled.pk}
    response = client.post("/accounts/signup/", {**VALID, "national_id": expired.national_id, "email": expired.email})
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["full_name_ar", "full_name_en"])
@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_names_with_bidi_controls_are_refused(field, control):
    assert error_codes({**VALID, field: f"ليلى{control}حسن"})[field] == ["bidi_control"]


def test_plain_text_emails_are_not_html_escaped(client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {**VALID, "full_name_ar": "ليلى <O'Neil> & حسن"})
    assert "ليلى <O'Neil> & حسن" in outbox[0].body
    assert "&lt;O&#x27;Neil&gt; &amp;" in outbox[0].alternatives[0][0]
