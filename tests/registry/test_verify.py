"""التحقق من الممارس: what anyone sees, what they never see, and how the pages are sent."""

import datetime

import pytest
from django.utils import timezone

from registry.codes import format_code
from registry.workflow import issue_certificate, suspend_registration

from ..factories import RegistrationFactory, nursing

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return RegistrationFactory(
        profile__user__full_name_ar="سارة الأحمدي",
        profile__user__full_name_en="Sara Al-Ahmadi",
        profile__user__national_id="1000000503",
        profile__user__email="sara@example.sa",
        profile__mobile="+966501112233",
        profile__membership_number="2600000077",
        profile__specialty=nursing(),
    )


@pytest.fixture
def code(registration):
    return registration.certificates.get().code


PRIVATE = ("1000000503", "sara@example.sa", "+966501112233", "1990")


def assert_public_only(response):
    page = response.content.decode()
    for private in PRIVATE:
        assert private not in page


def test_the_qr_address_shows_the_live_card_to_an_anonymous_visitor(client, code):
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("سارة الأحمدي", "Sara Al-Ahmadi", "26-0000-0077", "تمريض", "نشط"):
        assert shown in page
    assert_public_only(response)


def test_public_pages_send_no_cookie_and_may_be_cached_for_seconds(client, code, settings):
    for url in (f"/verify/{code}/", "/verify/", "/verify/?q=26-0000-0077", f"/verify/{code}/?lang=en"):
        response = client.get(url)
        assert response.cookies == {}, url
        assert response["Cache-Control"] == f"public, max-age={settings.VERIFY_CACHE_SECONDS}", url
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_language_comes_from_the_address_without_a_cookie(client, code):
    response = client.get(f"/verify/{code}/?lang=en")
    assert response["Content-Language"] == "en"
    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert "Registered and active" in response.content.decode()
    assert 'href="?lang=ar"' in response.content.decode()


def test_a_logged_in_person_gets_a_private_page(client, pat, code):
    client.force_login(pat)
    response = client.get(f"/verify/{code}/")
    assert "private" in response["Cache-Control"]


def test_search_by_membership_number_in_any_common_form(client, registration):
    for typed in ("26-0000-0077", "2600000077", "٢٦٠٠٠٠٠٠٧٧", " 26 0000 0077 "):
        response = client.get("/verify/", {"q": typed})
        assert "سارة الأحمدي" in response.content.decode(), typed
        assert_public_only(response)


def test_search_by_certificate_code_goes_to_its_page(client, code):
    response = client.get("/verify/", {"q": format_code(code).lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{format_code(code).lower()}/"
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_number_or_code_says_not_found(client, registration):
    response = client.get("/verify/", {"q": "26-9999-9999"})
    assert response.status_code == 200
    assert "لا يوجد ممارس مسجل بهذا الرقم" in response.content.decode()
    response = client.get("/verify/ABCD-EFGH-JKMN-PQRS/")
    assert response.status_code == 404
    assert "لا يطابق هذا الرمز" in response.content.decode()
    empty = client.get("/verify/", {"q": ""})
    assert empty.status_code == 200
    assert "خطأ:" in empty.content.decode()


def test_a_suspended_registration_cannot_be_missed(client, registration, code, rana):
    suspend_registration(registration, rana, "complaint under investigation")
    page = client.get(f"/verify/{code}/").content.decode()
    assert "موقوف: لا يجوز لهذا الممارس مزاولة المهنة حاليًا" in page
    assert 'role="alert"' in page
    assert "verify-card--suspended" in page
    assert "complaint under investigation" not in page  # the reason is the practitioner's


def test_an_expired_registration_says_so(client, registration, code):
    registration.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    registration.save()
    page = client.get(f"/verify/{code}/").content.decode()
    assert "منتهي: لم يعد هذا التسجيل ساريًا" in page


def test_an_old_certificate_says_a_newer_one_exists(client, registration, code):
    issue_certificate(registration)
    page = client.get(f"/verify/{code}/").content.decode()
    assert "صدرت شهادة أحدث لهذا التسجيل" in page
    assert "نشط" in page


def test_public_pages_are_rate_limited_per_client_address(client, code, settings):
    settings.VERIFY_RATE = "3/m"
    statuses = [client.get(f"/verify/{code}/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "429" not in client.get(f"/verify/{code}/", REMOTE_ADDR="10.0.0.9").content.decode()[:0]
    assert client.get(f"/verify/{code}/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_verification_link_is_in_the_footer(client):
    assert 'href="/verify/"' in client.get("/").content.decode()


def test_a_kept_page_is_forgotten_when_the_status_changes_or_a_certificate_replaces_it(
    client, registration, code, rana, django_capture_on_commit_callbacks
):
    assert "verify-card--active" in client.get(f"/verify/{code}/").content.decode()
    assert "verify-card--active" in client.get("/verify/", {"q": "26-0000-0077"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        suspend_registration(registration, rana, "complaint")
    assert "verify-card--suspended" in client.get(f"/verify/{code}/").content.decode()
    assert "verify-card--suspended" in client.get("/verify/", {"q": "2600000077"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(registration)
    assert "صدرت شهادة أحدث" in client.get(f"/verify/{code}/").content.decode()


def test_a_logged_in_visitor_never_gets_or_leaves_a_kept_page(client, pat, code):
    client.force_login(pat)
    page = client.get(f"/verify/{code}/").content.decode()
    assert "csrfmiddlewaretoken" in page  # the header's log-out form: this page is theirs alone
    client.logout()
    assert "csrfmiddlewaretoken" not in client.get(f"/verify/{code}/").content.decode()
