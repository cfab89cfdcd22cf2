"""Renewal reminders: the schedule, once each, and what each says and carries."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from applications.models import ActivityStatus, ApplicationKind, ApplicationStatus
from applications.reminders import send_renewal_reminders
from core.emails import deliver
from core.models import OutboundEmail
from registry.workflow import suspend_registration

from ..factories import ApplicationFactory, CPDActivityFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def registration(pat):
    registration = pat.practitioner_profile.registration
    registration.period_start = datetime.date(2025, 1, 1)
    registration.valid_until = datetime.date(2027, 3, 1)
    registration.save()
    return registration


def reminders():
    return list(OutboundEmail.objects.filter(key__startswith="renewal-reminder:").order_by("id"))


def on(days_before, registration):
    return registration.valid_until - datetime.timedelta(days=days_before)


@pytest.mark.parametrize(("days_before", "sent"), [(91, 0), (90, 1), (30, 1), (7, 1), (0, 1), (-1, 0)])
def test_each_boundary(registration, days_before, sent):
    assert send_renewal_reminders(on(days_before, registration)) == sent
    assert len(reminders()) == sent


def test_one_email_per_stage_however_often_the_job_runs(registration):
    days_sent = []
    day = on(95, registration)
    while day <= registration.valid_until + datetime.timedelta(days=3):
        for _run in range(2):
            if send_renewal_reminders(day):
                days_sent.append((registration.valid_until - day).days)
        day += datetime.timedelta(days=1)
    assert days_sent == [90, 30, 7, 0]
    assert len(reminders()) == 4


def test_after_a_pause_only_the_latest_stage_goes(registration):
    assert send_renewal_reminders(on(20, registration)) == 1
    assert reminders()[0].key.endswith(":30")
    assert send_renewal_reminders(on(19, registration)) == 0


def test_a_renewed_period_is_reminded_again(registration):
    send_renewal_reminders(on(30, registration))
    registration.valid_until += datetime.timedelta(days=730)
    registration.save()
    assert send_renewal_reminders(on(30, registration)) == 1


def test_no_reminder_once_the_renewal_is_submitted_or_the_registration_suspended(registration, pat, rana):
    ApplicationFactory(applicant=pat, kind=ApplicationKind.RENEWAL, status=ApplicationStatus.SUBMITTED)
    assert send_renewal_reminders(on(30, registration)) == 0
    pat.applications.update(status=ApplicationStatus.APPROVED)
    suspend_registration(registration, rana, "complaint")
    assert send_renewal_reminders(on(30, registration)) == 0


def test_the_email_gives_the_date_in_both_calendars_the_missing_hours_a_link_and_a_calendar_entry(
    registration, pat, settings
):
    settings.SITE_URL = "https://mumaris.example.sa"
    settings.CPD_HOURS_REQUIRED = 30
    CPDActivityFactory(
        profile=pat.practitioner_profile,
        hours=Decimal("12"),
        status=ActivityStatus.ACCEPTED,
        completed_on=datetime.date(2026, 6, 1),
    )
    send_renewal_reminders(on(30, registration))
    email = reminders()[0]
    assert "1 مارس 2027" in email.text_body
    assert "1448" in email.text_body  # the Hijri year of 1 March 2027 (22 Ramadan 1448)
    assert "الساعات التعليمية المتبقية للتجديد: 18 من 30" in email.text_body
    assert "https://mumaris.example.sa/services/renewal/" in email.text_body
    assert "https://mumaris.example.sa/services/cpd/" in email.html_body
    event = Calendar.from_ical(email.calendar).walk("VEVENT")[0]
    assert event.decoded("dtstart") == registration.valid_until
    assert "https://mumaris.example.sa/services/renewal/" in str(event.get("url"))
    deliver(email.pk)
    sent = mail.outbox[-1]
    assert sent.to == ["pat@example.sa"]
    assert [attachment[2] for attachment in sent.attachments] == ["text/calendar"]


def test_the_calendar_entry_reminds_a_week_before_the_last_valid_day(registration):
    send_renewal_reminders(on(30, registration))
    event = Calendar.from_ical(reminders()[0].calendar).walk("VEVENT")[0]
    (alarm,) = event.walk("VALARM")
    assert str(alarm.get("action")) == "DISPLAY"
    assert alarm.decoded("trigger") == -datetime.timedelta(days=7)
    assert registration.profile.display_membership_number in str(alarm.get("description"))


def test_the_job_is_registered_daily():
    from core.periodic import JOBS

    assert JOBS["renewal_reminders"][0] == "daily"


def test_today_in_riyadh_is_used_by_the_job(registration, monkeypatch):
    from applications.tasks import renewal_reminders_job

    monkeypatch.setattr(timezone, "localdate", lambda *args: on(7, registration))
    assert renewal_reminders_job.call() == 1


def test_the_command_queues_todays_reminders(registration, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setattr(timezone, "localdate", lambda *args: on(90, registration))
    call_command("send_renewal_reminders")
    assert "1 renewal reminder(s) queued." in capsys.readouterr().out
