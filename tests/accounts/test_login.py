"""Log in: ID or email, Arabic-Indic digits, one generic error, unverified accounts, next."""

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.forms import LoginForm
from devtools.demo import APPLICANT, PRACTITIONER, SUBMITTED

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def test_login_page_has_the_labels_users_know(client):
    content = client.get("/accounts/login/").content.decode()
    for label in ("اسم المستخدم", "كلمة المرور", "رمز التحقق", "تسجيل الدخول", "إنشاء حساب جديد"):
        assert label in content
    assert 'name="captcha_1"' in content
    assert "/accounts/password/reset/" in content


def test_login_with_national_id(client, alice, password):
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_login_with_arabic_indic_digits_and_spaces(client, alice, password):
    response = client.post("/accounts/login/", login_data("  ١٠٠٠٠٠٠٠٠٨ ", password))
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_login_with_persian_digits(client, alice, password):
    client.post("/accounts/login/", login_data("۱۰۰۰۰۰۰۰۰۸", password))
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_login_with_email_in_any_case(client, alice, password):
    client.post("/accounts/login/", login_data("ALICE@Example.SA", password))
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_wrong_password_and_unknown_user_get_the_same_error(client, alice):
    wrong_password = client.post("/accounts/login/", login_data(APPLICANT.national_id, "not-the-password"))
    unknown_user = client.post("/accounts/login/", login_data(SUBMITTED.national_id, "not-the-password"))
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert SESSION_KEY not in client.session
    wrong_errors = wrong_password.context["form"].non_field_errors().as_data()
    unknown_errors = unknown_user.context["form"].non_field_errors().as_data()
    assert [error.code for error in wrong_errors] == [error.code for error in unknown_errors] == ["invalid_login"]
    assert wrong_errors[0].message == unknown_errors[0].message


def test_unverified_account_cannot_log_in_and_is_offered_a_new_link(client, alice, password):
    alice.is_active = False
    alice.email_verified_at = None
    alice.save()
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert SESSION_KEY not in client.session
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["unverified"]
    assert "/accounts/verify/resend/" in response.content.decode()


def test_disabled_account_cannot_log_in(client, alice, password):
    alice.is_active = False
    alice.save()
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert SESSION_KEY not in client.session
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["inactive"]


def test_missing_fields_are_errors_on_their_fields(client):
    response = client.post("/accounts/login/", {})
    form = response.context["form"]
    assert set(form.errors) == {"username", "password", "captcha"}


def test_session_key_rotates_at_login(client, alice, password):
    client.get("/accounts/login/")
    client.session["marker"] = "x"
    session = client.session
    session.save()
    before = session.session_key
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert client.session.session_key != before


def test_next_is_followed_on_our_site(client, alice, password):
    response = client.post("/accounts/login/?next=/eligibility/", login_data(APPLICANT.national_id, password))
    assert response["Location"] == "/eligibility/"


def test_applicant_without_next_lands_on_my_requests(client, alice, password):
    assert 'name="next" value=""' in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert response["Location"] == "/requests/"


def test_practitioner_without_next_lands_on_the_services_page(client, pat, password):
    response = client.post("/accounts/login/", login_data(pat.national_id, password))
    assert response["Location"] == "/services/"


def test_staff_without_next_land_on_the_home_page(client, rana, password):
    from .test_two_factor import app_code

    response = client.post("/accounts/login/", login_data(rana.national_id, password))
    assert response["Location"] == "/accounts/login/code/"
    assert client.post("/accounts/login/code/", {"code": app_code(rana.otp_device)})["Location"] == "/"


def test_practitioners_next_wins_over_the_services_page(client, pat, password):
    response = client.post("/accounts/login/?next=/requests/", login_data(pat.national_id, password))
    assert response["Location"] == "/requests/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "https:///evil.example"],
)
def test_next_to_another_site_is_ignored(client, alice, password, target):
    response = client.post("/accounts/login/", {**login_data(APPLICANT.national_id, password), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/requests/"


def test_logout_needs_post(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_login_and_logout_are_logged_without_the_password(client, alice, password, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    client.post("/accounts/login/", login_data(APPLICANT.national_id, "Wrong-Password-1"))
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    client.post("/accounts/logout/")
    text = caplog.text
    assert "login failed username=1000000008" in text
    assert f"login user={alice.pk}" in text
    assert f"logout user={alice.pk}" in text
    assert password not in text
    assert "Wrong-Password-1" not in text


def test_login_form_normalises_the_username(rf):
    form = LoginForm(rf.post("/"), data=login_data(" ٢٠٠٠٠٠٠٠٠٦ ", "x"))
    form.is_valid()
    assert form.cleaned_data["username"] == PRACTITIONER.national_id


@pytest.mark.parametrize("target", ["requests", "a\x00b", "/requests/\x00", "portal:home"])
def test_next_that_is_not_a_path_is_ignored(client, alice, password, target):
    response = client.post("/accounts/login/", {**login_data(APPLICANT.national_id, password), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/requests/"


def test_the_error_summary_comes_with_errors_only(client):
    assert 'class="error-summary"' not in client.get("/accounts/login/").content.decode()
    failed = client.post("/accounts/login/", {}).content.decode()
    summary = failed.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_username"' in summary
