"""التحقق من الممارس: what anyone sees, what they never see, and how the pages are sent."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from registry.codes import format_code
from registry.models import RegistrationEvent
from registry.workflow import issue_certificate, reinstate_registration, revoke_registration, suspend_registration

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
    for shown in ("سارة الأحمدي", "Sara Al-Ahmadi", "26-0000-0077", "التمريض", "ساري حتى"):
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
    assert "Valid until" in response.content.decode()
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
    assert "لا يجوز لهذا الممارس مزاولة المهنة حاليًا" in status_line(page)
    assert 'role="alert"' in page
    assert "verify-card--suspended" in page
    assert "complaint under investigation" not in page  # the reason is the practitioner's


def test_an_expired_registration_says_so(client, registration, code):
    registration.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    registration.save()
    page = client.get(f"/verify/{code}/").content.decode()
    assert "انتهى في" in status_line(page)


def test_an_old_certificate_says_a_newer_one_exists(client, registration, code):
    issue_certificate(registration)
    page = client.get(f"/verify/{code}/").content.decode()
    assert "صدرت شهادة أحدث لهذا التسجيل" in page
    assert "ساري حتى" in status_line(page)


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


def status_line(page):
    """The card's one statement of the registration's state, as text."""
    line = re.search(r'<p class="verify-status[^"]*"[^>]*>(.*?)</p>', page, re.DOTALL)
    return re.sub(r"<[^>]+>", "", line.group(1)) if line else ""


def status_date(page):
    """The date the state line gives (its Gregorian `<time>`)."""
    line = re.search(r'<p class="verify-status[^"]*"[^>]*>.*?<time datetime="([0-9-]+)">', page, re.DOTALL)
    return datetime.date.fromisoformat(line.group(1))


@pytest.mark.parametrize("language", ["ar", "en"])
def test_each_state_has_one_label_with_its_own_date(client, registration, code, rana, language):
    """Never «موقوف» beside «ساري حتى 2028»: one line per state, and no other validity date."""
    today = timezone.localdate()
    labels = {
        "ar": ("ساري حتى", "موقوف منذ", "ملغى منذ", "انتهى في"),
        "en": ("Valid until", "Suspended since", "Revoked on", "Expired after"),
    }[language]
    valid, suspended, revoked, expired = labels

    def look():
        page = client.get(f"/verify/{code}/", {"lang": language}).content.decode()
        shown = [label for label in labels if label in page]
        return page, shown

    page, shown = look()
    assert shown == [valid]
    assert status_date(page) == registration.valid_until

    suspend_registration(registration, rana, "complaint")
    cache.clear()
    page, shown = look()
    assert shown == [suspended]
    assert status_date(page) == today

    reinstate_registration(registration, rana, "cleared")
    registration.refresh_from_db()
    revoke_registration(registration, rana, "struck off")
    cache.clear()
    page, shown = look()
    assert shown == [revoked]
    assert status_date(page) == today

    expired_registration = RegistrationFactory(valid_until=today - datetime.timedelta(days=3))
    page = client.get(f"/verify/{expired_registration.certificates.get().code}/", {"lang": language}).content.decode()
    assert [label for label in labels if label in page] == [expired]
    assert status_date(page) == today - datetime.timedelta(days=3)


def test_the_practitioners_own_panel_has_the_same_one_label(client, registration, rana):
    """Their services page follows /verify/'s rule: «موقوف منذ …» alone, not «موقوف» beside «ساري حتى»."""
    labels = ("ساري حتى", "موقوف منذ", "ملغى منذ", "انتهى في")
    client.force_login(registration.profile.user)

    def panel():
        page = client.get("/services/").content.decode()
        return page[page.index('id="standing-title"') : page.index("</section>", page.index('id="standing-title"'))]

    shown = panel()
    assert [label for label in labels if label in shown] == ["ساري حتى"]
    assert status_date(shown) == registration.valid_until
    suspend_registration(registration, rana, "complaint")
    shown = panel()
    assert [label for label in labels if label in shown] == ["موقوف منذ"]
    assert status_date(shown) == timezone.localdate()
    assert "موقوف<" not in shown  # no status badge beside it


def test_a_suspension_is_dated_by_the_latest_one(client, registration, code, rana):
    suspend_registration(registration, rana, "first")
    RegistrationEvent.objects.filter(kind="suspended").update(at=timezone.now() - datetime.timedelta(days=400))
    reinstate_registration(registration, rana, "cleared")
    suspend_registration(registration, rana, "second")
    page = client.get("/verify/", {"q": "26-0000-0077"}).content.decode()
    assert status_date(page) == timezone.localdate()


def test_the_result_says_when_it_was_read_and_what_was_checked(client, code):
    page = client.get(f"/verify/{code}/").content.decode()
    checked = page[page.index('class="summary verify-checked"') :]
    assert "تم التحقق في" in checked
    assert f'<time datetime="{timezone.localdate().isoformat()}">' in checked
    assert format_code(code) in checked
    assert 'class="button button--secondary js-print" hidden' in page  # shown by the script only
    by_number = client.get("/verify/", {"q": "26-0000-0077"}).content.decode()
    assert "تم التحقق في" in by_number


def test_a_code_typed_into_the_search_keeps_the_language_of_the_address(client, code):
    response = client.get("/verify/", {"q": format_code(code), "lang": "en"})
    assert response["Location"] == f"/verify/{format_code(code)}/?lang=en"
    assert client.get("/verify/", {"q": format_code(code)})["Location"] == f"/verify/{format_code(code)}/"


def test_a_page_read_in_another_language_than_the_visitors_keeps_it_in_its_search_and_links(client, code):
    search = client.get("/verify/", {"lang": "en"}).content.decode()
    assert '<input type="hidden" name="lang" value="en">' in search
    assert 'href="/verify/?lang=en"' in client.get(f"/verify/{code}/", {"lang": "en"}).content.decode()
    assert 'name="lang"' not in client.get("/verify/").content.decode()


def test_a_stop_with_no_recorded_event_is_named_without_a_date(client, registration, code):
    """As `seed_bulk` writes them, or data loaded from an older register."""
    registration.status = "suspended"
    registration.save()
    line = status_line(client.get(f"/verify/{code}/").content.decode())
    assert line.strip() == "✖ موقوف: لا يجوز لهذا الممارس مزاولة المهنة حاليًا"
