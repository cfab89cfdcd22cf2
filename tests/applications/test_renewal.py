"""تجديد التسجيل: when a renewal can start, each renewal rule, and the dates approval gives."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.facts import application_checklist
from applications.models import ActivityStatus, ApplicationKind, ApplicationStatus, Nationality
from applications.renewal import CannotRenew, renewal_state, start_renewal
from applications.workflow import NotReadyToSubmit, approve_application, start_review, submit_application
from registry.models import RegistrationEventKind, RegistrationStatus
from registry.validity import period_end
from registry.workflow import suspend_registration

from ..factories import ApplicationFactory, CPDActivityFactory, ResidentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def expiring(user, days_left):
    registration = user.practitioner_profile.registration
    registration.valid_until = TODAY() + datetime.timedelta(days=days_left)
    registration.save()
    return registration


def with_hours(profile, hours="30"):
    return CPDActivityFactory(profile=profile, hours=Decimal(hours), status=ActivityStatus.ACCEPTED)


def test_a_renewal_starts_from_ninety_days_before_the_last_valid_day(pat):
    expiring(pat, 91)
    with pytest.raises(CannotRenew) as refusal:
        start_renewal(pat)
    assert refusal.value.reason == "not_yet"
    expiring(pat, 90)
    application = start_renewal(pat)
    assert application.kind == ApplicationKind.RENEWAL
    assert application.reference.startswith("REN-")
    assert application.status == ApplicationStatus.DRAFT
    profile = pat.practitioner_profile
    assert (application.profession, application.specialty, application.employer) == (
        profile.profession,
        profile.specialty,
        profile.employer,
    )
    with pytest.raises(CannotRenew) as refusal:
        start_renewal(pat)
    assert refusal.value.reason == "open_application"


def test_the_draft_starts_from_the_last_approved_application(pat):
    ApplicationFactory(applicant=pat, status=ApplicationStatus.APPROVED, decided_at=timezone.now())
    expiring(pat, 10)
    application = start_renewal(pat)
    assert application.nationality == Nationality.SAUDI
    assert application.date_of_birth == datetime.date(1990, 1, 15)
    assert not application.employer_letter  # a new letter is needed


def test_no_renewal_after_the_grace_period_or_while_suspended(pat, rana, settings):
    settings.RENEWAL_GRACE_DAYS = 90
    registration = expiring(pat, -91)
    assert renewal_state(pat).refusal == "closed"
    registration.valid_until = TODAY() - datetime.timedelta(days=90)
    registration.save()
    assert renewal_state(pat).refusal is None
    suspend_registration(registration, rana, "complaint")
    registration.refresh_from_db()
    with pytest.raises(CannotRenew) as refusal:
        start_renewal(pat)
    assert refusal.value.reason == "suspended"


@pytest.fixture
def renewal(pat):
    """A complete renewal draft of a Saudi practitioner 30 days before the last valid day."""
    expiring(pat, 30)
    return ApplicationFactory(applicant=pat, kind=ApplicationKind.RENEWAL, reference="REN-2026-000001")


def failed_rules(application):
    return {result.code for result in application_checklist(application) if not result.passed}


def test_renewal_needs_the_hours(renewal, pat, settings):
    settings.CPD_HOURS_REQUIRED = 30
    with_hours(pat.practitioner_profile, "29.5")
    assert failed_rules(renewal) == {"cpd_hours"}
    explanation = next(result for result in application_checklist(renewal) if result.code == "cpd_hours").explanation
    assert "0.5" in explanation or "0٫5" in explanation or "0,5" in explanation
    with_hours(pat.practitioner_profile, "0.5")
    assert failed_rules(renewal) == set()


def test_renewal_needs_a_recent_employer_letter(renewal, pat):
    with_hours(pat.practitioner_profile)
    renewal.employer_letter_date = TODAY() - datetime.timedelta(days=100)
    assert failed_rules(renewal) == {"employer_letter"}


def test_renewal_of_a_resident_needs_a_valid_iqama(settings):
    from ..factories import RegistrationFactory

    resident = RegistrationFactory(profile__user=ResidentFactory()).profile.user
    expiring(resident, 30)
    with_hours(resident.practitioner_profile)
    application = ApplicationFactory(
        applicant=resident,
        kind=ApplicationKind.RENEWAL,
        nationality=Nationality.NON_SAUDI,
        iqama_number=resident.national_id,
        iqama_expiry=TODAY() - datetime.timedelta(days=1),
    )
    assert failed_rules(application) == {"residence"}


def test_renewal_over_sixty_five_needs_a_medical_report(renewal, pat):
    with_hours(pat.practitioner_profile)
    renewal.date_of_birth = TODAY().replace(year=TODAY().year - 70)
    assert failed_rules(renewal) == {"medical_report"}


def test_a_renewal_that_cannot_pass_cannot_be_submitted(renewal, pat):
    with pytest.raises(NotReadyToSubmit) as refusal:
        submit_application(renewal, pat, declared=True)
    assert any("الساعات" in str(problem) or "hours" in str(problem) for problem in refusal.value.problems)
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.DRAFT


def approve(application, practitioner, reviewer):
    submit_application(application, practitioner, declared=True)
    return approve_application(start_review(application, reviewer), reviewer)


def test_renewed_in_time_the_period_follows_on_and_a_new_certificate_is_issued(
    renewal, pat, rana, outbox, django_capture_on_commit_callbacks
):
    with_hours(pat.practitioner_profile)
    registration = pat.practitioner_profile.registration
    old_until, old_certificate = registration.valid_until, registration.certificates.get()
    with django_capture_on_commit_callbacks(execute=True):
        approve(renewal, pat, rana)
    registration.refresh_from_db()
    start = old_until + datetime.timedelta(days=1)
    assert (registration.period_start, registration.valid_until) == (start, period_end(start, 24))  # the default
    old_certificate.refresh_from_db()
    assert old_certificate.replaced_at is not None
    assert registration.certificates.filter(replaced_at__isnull=True).count() == 1
    assert registration.events.last().kind == RegistrationEventKind.RENEWED
    assert "جُدّد تسجيلك." in outbox[-1].body
    assert "التسجيل ساري حتى:" in outbox[-1].body


def test_renewed_late_the_period_starts_on_approval(pat, rana, settings):
    settings.REGISTRATION_VALIDITY_MONTHS = 24
    expiring(pat, -20)
    with_hours(pat.practitioner_profile)
    renewal = ApplicationFactory(applicant=pat, kind=ApplicationKind.RENEWAL, reference="REN-2026-000002")
    approve(renewal, pat, rana)
    registration = pat.practitioner_profile.registration
    registration.refresh_from_db()
    assert (registration.period_start, registration.valid_until) == (TODAY(), period_end(TODAY(), 24))
    assert registration.status == RegistrationStatus.ACTIVE


def test_the_reviewer_sees_lateness_and_the_hours(client, pat, rana):
    expiring(pat, -20)
    with_hours(pat.practitioner_profile, "12")
    renewal = ApplicationFactory(applicant=pat, kind=ApplicationKind.RENEWAL, reference="REN-2026-000003")
    renewal.status, renewal.submitted_at = ApplicationStatus.SUBMITTED, timezone.now()
    renewal.save()
    client.force_login(rana)
    page = client.get(f"/admin/applications/application/{renewal.pk}/change/").content.decode()
    assert "بعد آخر يوم للصلاحية بـ 20 يومًا" in page
    assert "المقبولة 12 من 30" in page
    listing = client.get("/admin/applications/application/?kind__exact=renewal").content.decode()
    assert "REN-2026-000003" in listing
    assert client.get("/admin/applications/application/?q=REN-2026-000003").status_code == 200


def test_the_renewal_page_starts_the_draft(client, pat):
    expiring(pat, 30)
    client.force_login(pat)
    page = client.get("/services/renewal/").content.decode()
    assert "بدء طلب التجديد" in page
    response = client.post("/services/renewal/")
    assert response.status_code == 302
    assert "/applications/REN-" in response["Location"]
    assert "فتح طلب التجديد" in client.get("/services/renewal/").content.decode()


def test_the_services_page_and_my_requests_show_a_banner_from_ninety_days(client, pat):
    client.force_login(pat)
    expiring(pat, 91)
    assert "renewal-banner" not in client.get("/services/").content.decode()
    expiring(pat, 90)
    for url in ("/services/", "/requests/"):
        page = client.get(url).content.decode()
        assert "renewal-banner" in page
        assert "بقي 90 يومًا" in page
    expiring(pat, -5)
    assert "ما زال بإمكانك تجديده" in client.get("/services/").content.decode()


def test_the_renewal_form_and_page_are_titled_as_a_renewal(client, pat):
    expiring(pat, 30)
    client.force_login(pat)
    reference = client.post("/services/renewal/")["Location"].split("/")[2]
    form_page = client.get(f"/applications/{reference}/edit/").content.decode()
    assert "<p>تجديد التسجيل — " in form_page  # the step's title is the heading
    detail_page = client.get(f"/applications/{reference}/").content.decode()
    assert "<h1>تجديد التسجيل</h1>" in detail_page
    for page in (form_page, detail_page):
        assert "<h1>طلب التسجيل المهني</h1>" not in page
        assert "<p>طلب التسجيل المهني — " not in page


def test_the_home_page_tells_a_practitioner_near_expiry_to_renew(client, pat, alice):
    client.force_login(pat)
    expiring(pat, 25)
    page = client.get("/").content.decode()
    assert "renewal-banner" in page
    assert "بقي 25 يومًا" in page
    assert 'href="/services/renewal/"' in page
    expiring(pat, 200)
    assert "renewal-banner" not in client.get("/").content.decode()
    client.force_login(alice)  # an applicant: nothing to renew
    assert "renewal-banner" not in client.get("/").content.decode()
    client.logout()
    assert "renewal-banner" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("days_left", "said", "not_said"),
    [
        (120, "يُفتح باب التجديد في", "فُتح باب التجديد في"),
        (30, "فُتح باب التجديد في", "يُفتح باب التجديد في"),
    ],
)
def test_the_renewal_page_says_whether_renewal_opens_or_has_opened(client, pat, days_left, said, not_said):
    expiring(pat, days_left)
    client.force_login(pat)
    page = client.get("/services/renewal/").content.decode()
    assert said in page
    assert not_said not in page


def test_after_the_grace_period_the_renewal_page_says_when_it_was_open(client, pat, settings):
    expiring(pat, -settings.RENEWAL_GRACE_DAYS - 1)
    client.force_login(pat)
    page = client.get("/services/renewal/").content.decode()
    assert "كان باب التجديد مفتوحًا من" in page
    assert "ويبقى مفتوحًا" not in page
