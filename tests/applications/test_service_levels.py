"""An application's clock from its status history: it runs while staff have the file and
pauses while the applicant corrects it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import ApplicationEvent
from applications.service_levels import application_forecast, count_application_queue, standing_at_submission
from applications.workflow import (
    approve_application,
    return_application,
    start_review,
    submit_application,
)
from core.service_levels import QueueFigures, ServiceLevelFacts

from ..factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_HOLIDAYS = frozenset()
# No decision history: the standing alone, with no expected day.
NO_QUEUE = ServiceLevelFacts(
    holidays=NO_HOLIDAYS, queues={"registration": QueueFigures((), 0.0), "renewal": QueueFigures((), 0.0)}
)


def on(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def dated(application, day):
    """The application's latest event, moved to `day` (the workflow stamps it now)."""
    latest = application.events.order_by("-id").first()
    ApplicationEvent.objects.filter(pk=latest.pk).update(created_at=on(day))
    return application


def standing_on(application, today):
    application.refresh_from_db()
    return application_forecast(application, list(application.events.all()), today, NO_QUEUE)


def test_the_clock_pauses_across_a_return_and_resumes_on_resubmission(alice, rana):
    application = ApplicationFactory(applicant=alice)
    dated(submit_application(application, alice, declared=True), datetime.date(2020, 12, 6))  # Sunday
    dated(start_review(application, rana), datetime.date(2020, 12, 7))
    dated(return_application(application, rana, "The letter is unreadable"), datetime.date(2020, 12, 8))

    paused = standing_on(application, datetime.date(2020, 12, 17))
    assert (paused.paused, paused.waited_days, paused.due) == (True, 2, None)

    application.refresh_from_db()
    dated(submit_application(application, alice, declared=True), datetime.date(2020, 12, 13))  # Sunday, a week later
    running = standing_on(application, datetime.date(2020, 12, 15))
    assert (running.paused, running.waited_days) == (False, 2 + 2)
    # 10 working days from Sunday 6 would be Sunday 20; the three working days of the pause
    # (9, 10, 13 December) move it to Wednesday 23.
    assert running.due == datetime.date(2020, 12, 23)
    assert not standing_on(application, datetime.date(2020, 12, 23)).overdue
    assert standing_on(application, datetime.date(2020, 12, 24)).overdue


def test_a_renewal_has_its_own_service_level(pat, settings):
    settings.SERVICE_LEVEL_DAYS = {**settings.SERVICE_LEVEL_DAYS, "renewal": 3}
    renewal = ApplicationFactory(applicant=pat, kind="renewal", status="submitted")
    ApplicationEvent.objects.create(application=renewal, from_status="draft", to_status="submitted", actor=pat)
    dated(renewal, datetime.date(2020, 12, 6))
    assert standing_on(renewal, datetime.date(2020, 12, 6)).due == datetime.date(2020, 12, 9)


def test_drafts_and_decided_applications_have_no_standing(alice, rana):
    application = ApplicationFactory(applicant=alice)
    assert standing_on(application, datetime.date(2020, 12, 6)) is None
    submit_application(application, alice, declared=True)
    start_review(application, rana)
    approve_application(application, rana)
    application.refresh_from_db()
    assert standing_on(application, datetime.date(2020, 12, 6)) is None


def submitted_on(day, applicant, kind="registration"):
    application = ApplicationFactory(applicant=applicant, kind=kind, status="submitted", submitted_at=on(day))
    ApplicationEvent.objects.create(application=application, from_status="draft", to_status="submitted")
    return dated(application, day)


def left_the_queue_on(day, to_status, kind="registration"):
    application = ApplicationFactory(kind=kind, status=to_status)
    ApplicationEvent.objects.create(application=application, from_status="under_review", to_status=to_status)
    return dated(application, day)


def test_the_queue_counts_waiting_applications_by_day_and_decisions_over_twenty_working_days(alice, bob):
    today = datetime.date(2020, 12, 17)  # Thursday
    submitted_on(datetime.date(2020, 12, 13), alice)
    submitted_on(datetime.date(2020, 12, 14), bob)
    submitted_on(datetime.date(2020, 12, 14), UserFactory())
    submitted_on(datetime.date(2020, 12, 14), UserFactory(), kind="renewal")  # another queue
    # The last 20 working days before Thursday 17 December start on Thursday 19 November.
    left_the_queue_on(datetime.date(2020, 11, 19), "approved")
    left_the_queue_on(datetime.date(2020, 12, 1), "returned")
    left_the_queue_on(datetime.date(2020, 12, 16), "rejected")
    left_the_queue_on(datetime.date(2020, 11, 18), "approved")  # before the window
    left_the_queue_on(datetime.date(2020, 12, 17), "approved")  # today: not over yet
    left_the_queue_on(datetime.date(2020, 12, 10), "approved", kind="renewal")

    figures = count_application_queue("registration", today, NO_HOLIDAYS)
    assert figures.waiting_by_day == ((datetime.date(2020, 12, 13), 1), (datetime.date(2020, 12, 14), 2))
    assert figures.decisions_per_working_day == 3 / 20


def test_the_standing_at_submission_reads_the_history_in_one_query(alice, rana):
    """However long the history: its events come with their link to the application, never read
    back one at a time."""
    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice, declared=True)
    start_review(application, rana)
    return_application(application, rana, "The letter is unreadable")
    application.refresh_from_db()
    submit_application(application, alice, declared=True)
    application.refresh_from_db()
    assert application.events.count() >= 4
    with CaptureQueriesContext(connection) as captured:
        standing = standing_at_submission(application)
    assert [query["sql"] for query in captured if "applicationevent" in query["sql"]] == [captured[0]["sql"]]
    assert standing.due is not None
