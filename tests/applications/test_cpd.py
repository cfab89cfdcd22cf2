"""الساعات التعليمية: recording activities, the hours that count, and the reviewer's decisions."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.cpd import (
    accept_activity,
    activities_of,
    hours_summary,
    hours_summary_of,
    missing_hours,
    reject_activity,
)
from applications.models import ActivityStatus, CPDActivity
from applications.tasks import sweep_orphans
from core.decisions import OwnFileRefused, ReasonRequired

from ..factories import PDF_BYTES, CPDActivityFactory, PractitionerProfileFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def profile(pat):
    return pat.practitioner_profile


@pytest.fixture
def pat_client(client, pat):
    client.force_login(pat)
    return client


def test_missing_hours_never_goes_below_zero():
    assert missing_hours(30, Decimal("12.5")) == Decimal("17.5")
    assert missing_hours(30, Decimal("30")) == 0
    assert missing_hours(30, Decimal("42")) == 0


def test_only_accepted_hours_within_the_period_count(profile, settings):
    settings.CPD_HOURS_REQUIRED = 30
    registration = profile.registration
    day_in = registration.period_start + datetime.timedelta(days=1)
    CPDActivityFactory(profile=profile, hours=Decimal("12.5"), status=ActivityStatus.ACCEPTED, completed_on=day_in)
    CPDActivityFactory(profile=profile, hours=Decimal("4"), status=ActivityStatus.ACCEPTED, completed_on=day_in)
    CPDActivityFactory(profile=profile, hours=Decimal("3"), status=ActivityStatus.PENDING, completed_on=day_in)
    CPDActivityFactory(profile=profile, hours=Decimal("9"), status=ActivityStatus.REJECTED, completed_on=day_in)
    before = registration.period_start - datetime.timedelta(days=1)
    CPDActivityFactory(profile=profile, hours=Decimal("20"), status=ActivityStatus.ACCEPTED, completed_on=before)
    CPDActivityFactory(hours=Decimal("40"), status=ActivityStatus.ACCEPTED)  # someone else's
    summary = hours_summary(profile, registration)
    assert (summary.accepted, summary.pending, summary.missing) == (Decimal("16.5"), Decimal("3"), Decimal("13.5"))
    assert summary.percent == 55
    assert not summary.enough


@pytest.mark.parametrize("days_past_the_end", [30, -10])  # valid still, or in the grace period
def test_the_summary_counts_the_periods_accepted_and_pending_hours_from_the_list_or_the_database(
    profile, days_past_the_end
):
    """The hours page sums the activities it lists; every other page reads the period's: the same
    figures, from the period's first day to its last (or today, in the grace period), inclusive."""
    registration = profile.registration
    registration.valid_until = TODAY() + datetime.timedelta(days=days_past_the_end)
    registration.save()
    start, end = registration.period_start, max(registration.valid_until, TODAY())
    one_day = datetime.timedelta(days=1)
    for day in (start - one_day, start, start + one_day, end, end + one_day):
        for status in ActivityStatus.values:
            CPDActivityFactory(profile=profile, hours=Decimal("2.5"), status=status, completed_on=day)
    CPDActivityFactory(profile=profile, hours=Decimal("10"), status=ActivityStatus.ACCEPTED, completed_on=start)
    read = hours_summary(profile, registration)
    listed = hours_summary_of(list(activities_of(profile)), registration)
    # Three days inside the period, 2.5 hours each, and the 10 accepted on its first day.
    assert (str(read.accepted), str(read.pending)) == (str(listed.accepted), str(listed.pending)) == ("17.5", "7.5")
    assert hours_summary_of([], registration) == hours_summary(PractitionerProfileFactory(), registration)
    assert hours_summary_of([], registration).accepted == 0


def test_hours_made_up_during_the_grace_period_count(profile):
    registration = profile.registration
    registration.valid_until = TODAY() - datetime.timedelta(days=10)
    registration.save()
    CPDActivityFactory(profile=profile, hours=Decimal("30"), status=ActivityStatus.ACCEPTED, completed_on=TODAY())
    assert hours_summary(profile, registration).enough


def activity_data(**overrides):
    return {
        "title": "دورة الإنعاش القلبي",
        "provider": "جمعية القلب",
        "completed_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
        "hours": "1.5",
        "certificate": SimpleUploadedFile("cert.pdf", PDF_BYTES),
        **overrides,
    }


def test_a_practitioner_records_an_activity(pat_client, profile):
    response = pat_client.post("/services/cpd/", activity_data())
    assert response.status_code == 302
    activity = CPDActivity.objects.get()
    assert (activity.profile, activity.hours, activity.status) == (profile, Decimal("1.5"), ActivityStatus.PENDING)
    assert activity.certificate.name.startswith("documents/")
    assert activity.certificate.name.endswith(".pdf")
    page = pat_client.get("/services/cpd/").content.decode()
    assert "دورة الإنعاش القلبي" in page
    assert "بانتظار المراجع" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "0", "يجب أن تكون الساعات أكثر من 0."),
        ("hours", "50.5", "يُحتسب للنشاط الواحد 50 ساعة على الأكثر."),
        ("hours", "1.25", "اكتب الساعات بمنزلة عشرية واحدة على الأكثر"),
        ("hours", "abc", "اكتب الساعات رقمًا"),
        ("completed_on", (TODAY() + datetime.timedelta(days=1)).isoformat(), "التاريخ في المستقبل"),
        ("certificate", SimpleUploadedFile("cert.pdf", b"not a pdf at all"), "PDF أو JPEG أو PNG"),
        ("title", "", "هذا الحقل مطلوب"),
        ("title", "\u200b\u200c\u200d\u2060\ufeff", "لا يحوي إلا محارف غير مرئية"),
        ("provider", "\u200b", "لا يحوي إلا محارف غير مرئية"),
        ("completed_on", "0001-01-01", "قبل بداية فترة تسجيلك الحالية"),
        # Mathematical double-struck digits: Python's Decimal() reads them as 12.
        ("hours", "\U0001d7d8\U0001d7d9\U0001d7da", "اكتب الساعات رقمًا"),
        ("completed_on", "\U0001d7da\U0001d7d8\U0001d7da\U0001d7de-01-01", "أدخل تاريخًا صحيحًا"),
    ],
)
def test_a_wrong_activity_is_refused_with_its_reason_and_nothing_is_kept(pat_client, field, value, message):
    response = pat_client.post("/services/cpd/", activity_data(**{field: value}))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "خطأ:" in page
    assert CPDActivity.objects.count() == 0


def test_arabic_indic_and_persian_digits_are_read_as_digits(pat_client):
    assert pat_client.post("/services/cpd/", activity_data(hours="١٫٥".replace("٫", "."))).status_code == 302
    assert pat_client.post("/services/cpd/", activity_data(hours="۲", title="ب")).status_code == 302
    assert sorted(CPDActivity.objects.values_list("hours", flat=True)) == [Decimal("1.5"), Decimal("2")]


def test_the_same_activity_twice_is_refused_but_a_rejected_one_may_be_sent_again(pat_client, profile, rana):
    assert pat_client.post("/services/cpd/", activity_data()).status_code == 302
    again = pat_client.post("/services/cpd/", activity_data())
    assert again.context["form"].has_error("__all__", code="duplicate")
    assert "سبق أن سجّلت هذا النشاط" in again.content.decode()
    reject_activity(CPDActivity.objects.get(), rana, "The certificate cannot be read")
    assert pat_client.post("/services/cpd/", activity_data()).status_code == 302
    assert CPDActivity.objects.count() == 2


def test_activities_are_capped_per_registration_period(pat_client, profile, settings):
    settings.CPD_ACTIVITIES_PER_PERIOD = 3
    before_period = profile.registration.period_start - datetime.timedelta(days=1)
    CPDActivityFactory(profile=profile, completed_on=before_period)  # an earlier period's: not counted
    CPDActivityFactory.create_batch(2, profile=profile, status=ActivityStatus.REJECTED)  # rejected ones count
    assert pat_client.post("/services/cpd/", activity_data()).status_code == 302
    refused = pat_client.post("/services/cpd/", activity_data(title="دورة أخرى"))
    assert refused.context["form"].has_error("__all__", code="too_many")
    assert "الحد الأعلى" in refused.content.decode()
    assert CPDActivity.objects.count() == 4


def test_an_upload_racing_past_the_forms_check_is_refused_under_the_lock(pat_client, profile, settings, monkeypatch):
    settings.CPD_ACTIVITIES_PER_PERIOD = 1
    CPDActivityFactory(profile=profile)
    # As if a parallel upload was recorded between the form's check and this one's insert.
    monkeypatch.setattr("applications.forms.check_activity_allowed", lambda *args: None)
    refused = pat_client.post("/services/cpd/", activity_data())
    assert refused.context["form"].has_error("__all__", code="too_many")
    assert CPDActivity.objects.count() == 1


def test_the_page_is_for_practitioners(client, alice):
    client.force_login(alice)
    response = client.get("/services/cpd/")
    assert response.status_code == 302
    assert response["Location"] == "/services/"


def test_a_reviewer_accepts_or_rejects_with_a_reason_and_the_practitioner_is_told(
    rana, profile, outbox, django_capture_on_commit_callbacks
):
    first, second = CPDActivityFactory(profile=profile), CPDActivityFactory(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        accept_activity(first, rana)
    with pytest.raises(ReasonRequired):
        reject_activity(second, rana, " ")
    with django_capture_on_commit_callbacks(execute=True):
        reject_activity(second, rana, "The certificate has no hours on it")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == (ActivityStatus.ACCEPTED, rana)
    assert (second.status, second.reason) == (ActivityStatus.REJECTED, "The certificate has no hours on it")
    assert [email.to for email in outbox] == [["pat@example.sa"], ["pat@example.sa"]]
    assert "The certificate has no hours on it" in outbox[-1].body


def test_nobody_accepts_their_own_hours(rana):
    own = CPDActivityFactory(profile=RegistrationFactory(profile__user=rana).profile)
    with pytest.raises(OwnFileRefused):
        accept_activity(own, rana)


def test_reviewers_decide_in_the_admin(client, rana, profile):
    activity = CPDActivityFactory(profile=profile)
    client.force_login(rana)
    page = client.get(f"/admin/applications/cpdactivity/{activity.pk}/change/").content.decode()
    assert f"/services/cpd/{activity.pk}/certificate/" in page
    assert 'value="accept"' in page
    client.post(f"/admin/applications/cpdactivity/{activity.pk}/decide/", {"action": "accept", "confirmed": "yes"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACCEPTED


def test_the_certificate_goes_to_its_practitioner_and_reviewers_only(client, pat, bob, rana, profile):
    activity = CPDActivityFactory(profile=profile)
    url = f"/services/cpd/{activity.pk}/certificate/"
    client.force_login(pat)
    assert client.get(url).status_code == 200
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(rana)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_orphan_sweep_keeps_activity_certificates(profile):
    activity = CPDActivityFactory(profile=profile)
    storage = activity.certificate.storage
    assert sweep_orphans(older_than=datetime.timedelta(0)) == []
    assert storage.exists(activity.certificate.name)
