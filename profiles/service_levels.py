"""Data-update requests against their service level: the clock runs from the request until its
decision (there is no return for correction), and the queue is every pending request."""

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.queue import created_before_overdue, standing_from
from core.service_levels import (
    RATE_WINDOW_WORKING_DAYS,
    QueueFigures,
    ServiceKind,
    clocks_started_on,
    counts_queue,
    forecast,
    rate_window,
    service_level_facts,
    target_days,
    working_days_to_decision,
)

from .models import DataUpdateRequest, RequestStatus


def request_forecast(update_request, today, facts=None):
    """Where a pending request stands, with the queue's expected decision (None once decided)."""
    if update_request.status != RequestStatus.PENDING:
        return None
    facts = facts or service_level_facts([ServiceKind.DATA_UPDATE])
    requested_on = timezone.localdate(update_request.created_at)
    return forecast(((requested_on, None),), ServiceKind.DATA_UPDATE, requested_on, facts, today)


def request_forecasts(update_requests, facts, today):
    """[(request, standing)] for the pending ones of `update_requests`."""
    return [
        (update_request, request_forecast(update_request, today, facts))
        for update_request in update_requests
        if update_request.status == RequestStatus.PENDING
    ]


DECIDED = (RequestStatus.APPROVED, RequestStatus.REJECTED)


def request_decision_times(since, holidays):
    """[(day of decision, working days from the request to it)] of the requests decided since `since`."""
    decided = DataUpdateRequest.objects.filter(status__in=DECIDED, decided_at__gte=since).values_list(
        "created_at", "decided_at"
    )
    return [
        (timezone.localdate(decided_at), working_days_to_decision(created_at, decided_at, holidays))
        for created_at, decided_at in decided
    ]


def request_reviewer_decisions():
    """Reviewers' decisions on data-update requests, as `decision_by` and `decision_at`."""
    return DataUpdateRequest.objects.filter(status__in=DECIDED, decided_by__isnull=False).annotate(
        decision_by=F("decided_by_id"), decision_at=F("decided_at")
    )


def request_waiting_clocks():
    """The pending requests' clocks (from the request, never paused), counted by day."""
    return clocks_started_on(DataUpdateRequest.objects.filter(status=RequestStatus.PENDING), "created_at")


@counts_queue(ServiceKind.DATA_UPDATE)
def count_data_update_queue(today, holidays):
    waiting = (
        DataUpdateRequest.objects.filter(status=RequestStatus.PENDING)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    start, end = rate_window(today, holidays)
    decided = DataUpdateRequest.objects.filter(decided_at__gte=start, decided_at__lt=end).count()
    return QueueFigures(tuple((row["day"], row["count"]) for row in waiting), decided / RATE_WINDOW_WORKING_DAYS)


def queue_standings(update_requests, today, holidays):
    """{pk: standing} of the pending ones of `update_requests`: their clock is their own dates."""
    days = target_days(ServiceKind.DATA_UPDATE)
    return {
        update_request.pk: standing_from(update_request.created_at, days, today, holidays)
        for update_request in update_requests
        if update_request.status == RequestStatus.PENDING
    }


def overdue_requests(today, holidays):
    days = target_days(ServiceKind.DATA_UPDATE)
    return Q(status=RequestStatus.PENDING) & created_before_overdue(days, today, holidays)
