"""Applications against their service level: an application's clock runs from submission while
it waits for staff (submitted, under review) and stops while it is returned to the applicant;
its expected decision comes from the queue of its kind (registrations, renewals)."""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.holidays import holiday_dates
from core.queue import created_before_overdue, overdue_before, standing_from
from core.service_levels import (
    RATE_WINDOW_WORKING_DAYS,
    QueueFigures,
    ServiceKind,
    clock_spans,
    clocks_started_on,
    counts_queue,
    forecast,
    rate_window,
    service_level_facts,
    standing,
    start_of,
    target_days,
    working_days_to_decision,
    working_days_waited,
)

from .models import (
    WAITING,
    ActivityStatus,
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    CPDActivity,
)

WAITING_STATUSES = frozenset(WAITING)
# What takes an application off the queue: a decision, or its return to the applicant.
LEAVES_THE_QUEUE = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.RETURNED)


def service_kind(application):
    return ServiceKind.RENEWAL if application.is_renewal else ServiceKind.REGISTRATION


def application_spans(events):
    """When the application waited for staff, from its status history (in any order)."""
    ordered = sorted(events, key=lambda event: (event.created_at, event.pk))
    return clock_spans((timezone.localdate(event.created_at), event.to_status in WAITING_STATUSES) for event in ordered)


def awaits_decision(application):
    """Submitted and not yet decided (a returned one waits too, with its clock paused)."""
    return application.is_open and application.status != ApplicationStatus.DRAFT


def application_forecast(application, events, today, facts=None):
    """Where an application stands against its service level, with the queue's expected
    decision (None for a draft or a decided one). `events`: its whole status history."""
    if not awaits_decision(application):
        return None
    kind = service_kind(application)
    facts = facts or service_level_facts([kind])
    submitted_on = timezone.localdate(application.submitted_at)
    return forecast(application_spans(events), kind, submitted_on, facts, today)


def standing_at_submission(application):
    """The standing of an application just submitted (its due day), for its email."""
    today = timezone.localdate(application.submitted_at)
    # The link to the application too: the related manager reads it on every event it sets the
    # application on, one query an event when it is deferred.
    spans = application_spans(application.events.only("application", "to_status", "created_at"))
    return standing(spans, target_days(service_kind(application)), today, holiday_dates())


def application_forecasts(applications, facts, today):
    """[(application, standing)] for those of `applications` awaiting a decision; their status
    histories in one query."""
    waiting = [application for application in applications if awaits_decision(application)]
    if not waiting:
        return []
    events = status_histories(waiting)
    return [
        (application, application_forecast(application, events[application.pk], today, facts))
        for application in waiting
    ]


def application_decision_times(since, holidays):
    """{service kind: [(day of decision, working days from submission to it, pauses left out)]}
    of the applications approved or rejected since `since`, from their status histories."""
    histories = defaultdict(list)
    for event in (
        ApplicationEvent.objects.filter(
            application__status__in=(ApplicationStatus.APPROVED, ApplicationStatus.REJECTED),
            application__decided_at__gte=since,
        )
        .select_related("application")
        .only("application_id", "to_status", "created_at", "application__kind", "application__decided_at")
    ):
        histories[event.application].append(event)
    times = defaultdict(list)
    for application, events in histories.items():
        decided_on = timezone.localdate(application.decided_at)
        waited = working_days_waited(application_spans(events), decided_on, holidays)
        times[service_kind(application)].append((decided_on, waited))
    return dict(times)


def cpd_decision_times(since, holidays):
    """[(day of decision, working days from recording to it)] of the activities accepted or
    rejected since `since`."""
    decided = CPDActivity.objects.filter(
        status__in=(ActivityStatus.ACCEPTED, ActivityStatus.REJECTED), decided_at__gte=since
    ).values_list("created_at", "decided_at")
    return [
        (timezone.localdate(decided_at), working_days_to_decision(created_at, decided_at, holidays))
        for created_at, decided_at in decided
    ]


def application_reviewer_decisions():
    """Reviewers' decisions on applications (approvals, rejections and returns: each is a
    reviewer's work on the file), as `decision_by` and `decision_at` for the dashboard."""
    return ApplicationEvent.objects.filter(to_status__in=LEAVES_THE_QUEUE, actor__isnull=False).annotate(
        decision_by=F("actor_id"), decision_at=F("created_at")
    )


def cpd_reviewer_decisions():
    return CPDActivity.objects.filter(
        status__in=(ActivityStatus.ACCEPTED, ActivityStatus.REJECTED), decided_by__isnull=False
    ).annotate(decision_by=F("decided_by_id"), decision_at=F("decided_at"))


def cpd_waiting_clocks():
    """The pending activities' clocks (from their recording, never paused), counted by day."""
    return clocks_started_on(CPDActivity.objects.filter(status=ActivityStatus.PENDING), "created_at")


def application_waiting_clocks(kind, today, holidays):
    """The clocks of `kind`'s waiting applications: [((day the clock last started, working days
    waited before it), count)]. Those never returned are counted by day of submission in the
    database; the few ever returned are read against their own histories (their pauses)."""
    waiting = Application.objects.filter(kind=kind, status__in=WAITING_STATUSES, submitted_at__isnull=False)
    ever_returned = Exists(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=ApplicationStatus.RETURNED)
    )
    clocks = clocks_started_on(waiting.exclude(ever_returned), "submitted_at")
    for events in status_histories(waiting.filter(ever_returned).values_list("pk", flat=True)).values():
        spans = application_spans(events)
        if spans and spans[-1][1] is None:
            clocks.append(((spans[-1][0], working_days_waited(spans[:-1], today, holidays)), 1))
    return clocks


def status_histories(applications):
    """{application id: [its status changes]} of `applications` (rows or ids), in one query."""
    events = defaultdict(list)
    for event in ApplicationEvent.objects.filter(application__in=applications).only(
        "application_id", "to_status", "created_at"
    ):
        events[event.application_id].append(event)
    return events


def count_application_queue(kind, today, holidays):
    waiting = (
        # (submitted_at is nullable; a waiting application without one has no place to count)
        Application.objects.filter(kind=kind, status__in=WAITING_STATUSES, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    start, end = rate_window(today, holidays)
    left = ApplicationEvent.objects.filter(
        application__kind=kind, to_status__in=LEAVES_THE_QUEUE, created_at__gte=start, created_at__lt=end
    ).count()
    return QueueFigures(tuple((row["day"], row["count"]) for row in waiting), left / RATE_WINDOW_WORKING_DAYS)


@counts_queue(ServiceKind.REGISTRATION)
def count_registration_queue(today, holidays):
    return count_application_queue(ApplicationKind.REGISTRATION, today, holidays)


@counts_queue(ServiceKind.RENEWAL)
def count_renewal_queue(today, holidays):
    return count_application_queue(ApplicationKind.RENEWAL, today, holidays)


def queue_standings(applications, today, holidays):
    """{pk: standing} of those of `applications` waiting for staff; their histories in one query."""
    waiting = [application for application in applications if application.status in WAITING_STATUSES]
    if not waiting:
        return {}
    events = status_histories(waiting)
    return {
        application.pk: standing(
            application_spans(events[application.pk]), target_days(service_kind(application)), today, holidays
        )
        for application in waiting
    }


def overdue_applications(today, holidays):
    """The waiting applications past their due day, as a condition on their ids. A clock never
    starts before the application was made, so only those made before the cut-off can be late;
    each of those is then read against its own history (its returns move its due day)."""
    overdue_ids = []
    for kind in ApplicationKind:
        days = target_days(ServiceKind.RENEWAL if kind == ApplicationKind.RENEWAL else ServiceKind.REGISTRATION)
        candidates = Application.objects.filter(
            kind=kind,
            status__in=WAITING_STATUSES,
            created_at__lt=start_of(overdue_before(today, days, holidays)),
        ).only("pk", "kind", "status")
        standings = queue_standings(list(candidates), today, holidays)
        overdue_ids += [pk for pk, result in standings.items() if result is not None and result.overdue]
    return Q(pk__in=overdue_ids)


def activity_standings(activities, today, holidays):
    """{pk: standing} of the pending ones of `activities`: their clock is their own dates."""
    days = target_days(ServiceKind.CPD)
    return {
        activity.pk: standing_from(activity.created_at, days, today, holidays)
        for activity in activities
        if activity.status == ActivityStatus.PENDING
    }


def overdue_activities(today, holidays):
    return Q(status=ActivityStatus.PENDING) & created_before_overdue(target_days(ServiceKind.CPD), today, holidays)
