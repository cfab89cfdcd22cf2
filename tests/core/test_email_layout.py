"""Every email: the portal's name and colour, the page it is about (from SITE_URL), the name the
reader uses in their language, and `lang`/`dir` set for mail clients."""

import datetime
import re
from types import SimpleNamespace

import pytest

from applications.models import ApplicationStatus
from applications.workflow import what_approval_gives
from core.emails import render_email
from registry.models import RegistrationEvent

from ..factories import (
    ApplicationFactory,
    CPDActivityFactory,
    DataUpdateRequestFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SITE = "https://mumaris.example.sa"


def application_decided(user):
    application = ApplicationFactory(applicant=user, status=ApplicationStatus.RETURNED, decision_reason="x")
    return {"application": application, "user": user}, f"/applications/{application.reference}/"


def application_submitted(user):
    application = ApplicationFactory(applicant=user, status=ApplicationStatus.SUBMITTED)
    return {"application": application, "user": user}, f"/applications/{application.reference}/"


def data_update_decided(user):
    update_request = DataUpdateRequestFactory(profile__user=user, status="rejected", reason="x")
    return {"update_request": update_request, "user": user}, f"/services/requests/{update_request.number}/"


def cpd_decided(user):
    return {"activity": CPDActivityFactory(profile__user=user), "user": user}, "/services/cpd/"


def registration_status_changed(user):
    registration = RegistrationFactory(profile__user=user)
    event = RegistrationEvent(registration=registration, kind="suspended", reason="x")
    return {"registration": registration, "event": event, "user": user}, "/services/"


def renewal_reminder(user):
    registration = RegistrationFactory(profile__user=user)
    hours = SimpleNamespace(enough=True, missing=0, required=30)
    context = {
        "user": user,
        "registration": registration,
        "days_left": 30,
        "hours": hours,
        "hijri_until": "",
        "renewal_url": f"{SITE}/services/renewal/",
        "cpd_url": f"{SITE}/services/cpd/",
    }
    return context, "/services/renewal/"


def answer_reminder(user):
    application = ApplicationFactory(applicant=user, status=ApplicationStatus.RETURNED, decision_reason="x")
    context = {
        "application": application,
        "user": user,
        "returned_on": datetime.date(2026, 12, 1),
        "answer_deadline": datetime.date(2026, 12, 31),
        "days_left": 5,
    }
    return context, f"/applications/{application.reference}/"


def application_closed(user):
    application = ApplicationFactory(applicant=user, status=ApplicationStatus.CLOSED)
    context = {
        "application": application,
        "user": user,
        "returned_on": datetime.date(2026, 12, 1),
        "answer_deadline": datetime.date(2026, 12, 31),
    }
    return context, "/applications/new/"


def draft_warning(user):
    application = ApplicationFactory(applicant=user)
    context = {
        "application": application,
        "user": user,
        "last_touched_on": datetime.date(2026, 6, 1),
        "deletion_day": datetime.date(2026, 11, 28),
    }
    return context, f"/applications/{application.reference}/"


def verify(user):
    return {"user": user, "link": f"{SITE}/accounts/verify/key/", "days": 3}, "/accounts/verify/key/"


def password_reset(user):
    return {"user": user, "uid": "MQ", "token": "set-token"}, "/accounts/password/reset/MQ/set-token/"


def recovery_code_used(user):
    return {"user": user, "remaining": 9, "link": f"{SITE}/accounts/two-factor/"}, "/accounts/two-factor/"


def enrolment_link(user):
    return {
        "user": user,
        "link": f"{SITE}/accounts/two-factor/enrol/key/",
        "hours": 24,
    }, "/accounts/two-factor/enrol/key/"


def second_factor_changed(user):
    return {"user": user, "change": "codes", "link": f"{SITE}/accounts/two-factor/"}, "/accounts/two-factor/"


def signup_exists(user):
    return {"user": user, "reset_link": f"{SITE}/accounts/password/reset/"}, "/accounts/password/reset/"


def confirm_email(user):
    return {"user": user, "link": f"{SITE}/services/confirm-email/key/"}, "/services/confirm-email/key/"


EMAILS = {
    "applications/email/decided": application_decided,
    "applications/email/submitted": application_submitted,
    "profiles/email/decided": data_update_decided,
    "applications/email/cpd_decided": cpd_decided,
    "registry/email/status_changed": registration_status_changed,
    "applications/email/renewal_reminder": renewal_reminder,
    "applications/email/answer_reminder": answer_reminder,
    "applications/email/closed": application_closed,
    "applications/email/draft_warning": draft_warning,
    "accounts/email/verify": verify,
    "accounts/email/password_reset": password_reset,
    "accounts/email/recovery_code_used": recovery_code_used,
    "accounts/email/enrolment_link": enrolment_link,
    "accounts/email/second_factor_changed": second_factor_changed,
    "accounts/email/signup_exists": signup_exists,
    "profiles/email/confirm_email": confirm_email,
}


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE


@pytest.mark.parametrize("template_prefix", EMAILS)
@pytest.mark.parametrize(
    ("language", "direction", "name"), [("ar", "rtl", "ريم العتيبي"), ("en", "ltr", "Reem Alotaibi")]
)
def test_email_links_to_its_page_in_the_readers_language(site, template_prefix, language, direction, name):
    user = UserFactory(full_name_ar="ريم العتيبي", full_name_en="Reem Alotaibi")
    context, path = EMAILS[template_prefix](user)

    subject, text_body, html_body = render_email(template_prefix, context, language)

    assert f'<html lang="{language}" dir="{direction}">' in html_body
    assert f'href="{SITE}{path}"' in html_body
    assert f"{SITE}{path}" in text_body
    assert f'href="{SITE}/"' in html_body, "the portal's name links to its home page"
    assert "#006c35" in html_body, "the portal's colour"
    assert name in html_body
    assert name in text_body
    other_name = "Reem Alotaibi" if language == "ar" else "ريم العتيبي"
    assert other_name not in html_body + text_body


def test_english_reader_without_an_english_name_is_greeted_by_the_arabic_one(site):
    user = UserFactory(full_name_ar="ريم العتيبي", full_name_en="")
    context, _path = verify(user)

    _subject, text_body, _html_body = render_email("accounts/email/verify", context, "en")

    assert text_body.startswith("Hello ريم العتيبي,")


def test_password_reset_link_comes_from_site_url_not_the_requests_host(
    site, client, alice, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": alice.email}, HTTP_HOST="localhost")

    (email,) = outbox
    assert f"{SITE}/accounts/password/reset/" in email.body
    assert "http://localhost" not in email.body


WRITTEN_OUT_LINK = re.compile(r"<a ([^>]*)>(https?://[^<]*)</a>")


@pytest.mark.parametrize("template_prefix", EMAILS)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_written_out_address_reads_left_to_right_and_wraps_on_a_phone(site, template_prefix, language):
    """In Arabic an address without dir="ltr" reads reversed («/http://…»); unbroken, a long one
    widened the message to 1,047 px on a 360 px phone."""
    user = UserFactory()
    context, _path = EMAILS[template_prefix](user)
    if "link" in context:
        context["link"] = f"{SITE}/accounts/verify/{'x' * 300}/"

    _subject, _text_body, html_body = render_email(template_prefix, context, language)

    links = WRITTEN_OUT_LINK.findall(html_body)
    assert links, "the footer writes out the portal's address"
    for attributes, _address in links:
        assert 'dir="ltr"' in attributes
        assert "word-break:break-all" in attributes
        assert "overflow-wrap:anywhere" in attributes


@pytest.mark.parametrize(
    ("status", "is_renewal", "expected"),
    [
        (ApplicationStatus.APPROVED, False, "تمت الموافقة على طلب تسجيلك المهني رقم"),
        (ApplicationStatus.RETURNED, False, "أُعيد إليك طلب تسجيلك المهني رقم"),
        (ApplicationStatus.REJECTED, False, "رُفض طلب تسجيلك المهني رقم"),
        (ApplicationStatus.APPROVED, True, "تمت الموافقة على طلب تجديد تسجيلك المهني رقم"),
        (ApplicationStatus.REJECTED, True, "رُفض طلب تجديد تسجيلك المهني رقم"),
    ],
)
def test_the_decision_email_says_what_happened_in_words(site, status, is_renewal, expected):
    user = UserFactory()
    kind = "renewal" if is_renewal else "registration"
    application = ApplicationFactory(applicant=user, status=status, kind=kind, decision_reason="x")
    context = {"application": application, "user": user}
    if status == ApplicationStatus.APPROVED:  # what the workflow adds: the registration it gives
        context |= what_approval_gives(RegistrationFactory(profile__user=user))

    _subject, text_body, html_body = render_email("applications/email/decided", context, "ar")

    assert f"{expected} {application.reference}" in text_body
    assert f"{expected} {application.reference}" in html_body
    assert "أصبحت حالة طلبك" not in text_body + html_body


@pytest.mark.parametrize(
    ("status", "expected"),
    [("approved", "تمت الموافقة على طلب تحديث بياناتك رقم"), ("rejected", "رُفض طلب تحديث بياناتك رقم")],
)
def test_the_data_update_decision_email_says_what_happened_in_words(site, status, expected):
    user = UserFactory()
    update_request = DataUpdateRequestFactory(profile__user=user, status=status, reason="x")

    _subject, text_body, html_body = render_email(
        "profiles/email/decided", {"update_request": update_request, "user": user}, "ar"
    )

    assert f"{expected} {update_request.number}" in text_body
    assert "أصبحت حالة" not in text_body + html_body
