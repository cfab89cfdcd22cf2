"""An application's clock from its status history: it runs while staff have the file and
pauses while the applicant corrects it."""

import datetime

import pytest
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.service_levels import application_standing
from applications.workflow import (
    approve_application,
    return_application,
    start_review,
    submit_application,
)

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NO_HOLIDAYS = frozenset()


def on(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def dated(application, day):
    """The application's latest event, moved to `day` (the workflow stamps it now)."""
    latest = application.events.order_by("-id").first()
    ApplicationEvent.objects.filter(pk=latest.pk).update(created_at=on(day))
    return application


def standing_on(application, today):
    return application_standing(application, list(application.events.all()), today, NO_HOLIDAYS)


def test_the_clock_pauses_across_a_return_and_resumes_on_resubmission(alice, rana):
    application = ApplicationFactory(applicant=alice)
    dated(submit_application(application, alice), datetime.date(2026, 12, 6))  # Sunday
    dated(start_review(application, rana), datetime.date(2026, 12, 7))
    dated(return_application(application, rana, "The letter is unreadable"), datetime.date(2026, 12, 8))

    paused = standing_on(application, datetime.date(2026, 12, 17))
    assert (paused.paused, paused.waited_days, paused.due) == (True, 2, None)

    application.refresh_from_db()
    dated(submit_application(application, alice), datetime.date(2026, 12, 13))  # Sunday, a week later
    running = standing_on(application, datetime.date(2026, 12, 15))
    assert (running.paused, running.waited_days) == (False, 2 + 2)
    # 10 working days from Sunday 6 would be Sunday 20; the three working days of the pause
    # (9, 10, 13 December) move it to Wednesday 23.
    assert running.due == datetime.date(2026, 12, 23)
    assert not running.is_overdue(datetime.date(2026, 12, 23))
    assert running.is_overdue(datetime.date(2026, 12, 24))


def test_a_renewal_has_its_own_service_level(pat, settings):
    settings.SERVICE_LEVEL_DAYS = {**settings.SERVICE_LEVEL_DAYS, "renewal": 3}
    renewal = ApplicationFactory(applicant=pat, kind="renewal", status="submitted")
    ApplicationEvent.objects.create(application=renewal, from_status="draft", to_status="submitted", actor=pat)
    dated(renewal, datetime.date(2026, 12, 6))
    assert standing_on(renewal, datetime.date(2026, 12, 6)).due == datetime.date(2026, 12, 9)


def test_drafts_and_decided_applications_have_no_standing(alice, rana):
    application = ApplicationFactory(applicant=alice)
    assert standing_on(application, datetime.date(2026, 12, 6)) is None
    submit_application(application, alice)
    start_review(application, rana)
    approve_application(application, rana)
    application.refresh_from_db()
    assert standing_on(application, datetime.date(2026, 12, 6)) is None
