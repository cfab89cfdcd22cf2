"""Service levels across the apps: the standings of one person's requests on طلباتي, and the
public page's figures (معايير الخدمة)."""

import datetime
from dataclasses import asdict

from django.core.cache import cache

from applications.service_levels import (
    application_decision_times,
    application_forecasts,
    awaits_decision,
    cpd_decision_times,
    service_kind,
)
from core.holidays import holiday_dates
from core.models import CountedFigures
from core.service_levels import ServiceFigures, ServiceKind, service_figures, service_level_facts, start_of
from profiles.models import RequestStatus
from profiles.service_levels import request_decision_times, request_forecasts

# The public page's wording says "the last 90 days".
PUBLISHED_PERIOD_DAYS = 90
PUBLISHED_FIGURES_SECONDS = 5 * 60
PUBLISHED_FIGURES_NAME = "service-levels:published"


def forecasts_of_my_requests(applications, update_requests, today):
    """([(application, standing)], [(update request, standing)]) for those awaiting a decision,
    with the holidays and the queues' figures in one cache read."""
    waiting_applications = [application for application in applications if awaits_decision(application)]
    pending_requests = [request for request in update_requests if request.status == RequestStatus.PENDING]
    kinds = {service_kind(application) for application in waiting_applications}
    if pending_requests:
        kinds.add(ServiceKind.DATA_UPDATE)
    if not kinds:
        return [], []
    facts = service_level_facts(kinds)
    return (
        application_forecasts(waiting_applications, facts, today),
        request_forecasts(pending_requests, facts, today),
    )


def count_published_figures(today):
    """Each service's promise and its decisions of the last 90 days (how many, the median and the
    90th percentile of working days to decision), counted by the hourly job and kept: at a
    million applications this reads for half a minute, which no page may do. Returns what it
    read, {kind: [(day of decision, working days)]}, for the dashboard's weekly figures."""
    holidays = holiday_dates()
    since = start_of(today - datetime.timedelta(days=PUBLISHED_PERIOD_DAYS))
    times = {
        **application_decision_times(since, holidays),
        ServiceKind.DATA_UPDATE: request_decision_times(since, holidays),
        ServiceKind.CPD: cpd_decision_times(since, holidays),
    }
    figures = [
        asdict(service_figures(kind, [days for _decided_on, days in times.get(kind, [])])) for kind in ServiceKind
    ]
    CountedFigures.objects.update_or_create(
        name=PUBLISHED_FIGURES_NAME, defaults={"data": figures, "counted_on": today}
    )
    cache.delete(PUBLISHED_FIGURES_NAME)
    return times


def published_figures():
    """The figures the job counted last, through the cache (before the first count: the promises
    with no record yet)."""
    figures = cache.get(PUBLISHED_FIGURES_NAME)
    if figures is None:
        counted = CountedFigures.objects.filter(name=PUBLISHED_FIGURES_NAME).values_list("data", flat=True).first()
        rows = counted or [asdict(service_figures(kind, [])) for kind in ServiceKind]
        figures = [ServiceFigures(**{**row, "kind": ServiceKind(row["kind"])}) for row in rows]
        cache.set(PUBLISHED_FIGURES_NAME, figures, PUBLISHED_FIGURES_SECONDS)
    return figures
