"""Service levels across the apps: the standings of one person's requests on طلباتي."""

from applications.service_levels import application_forecasts, awaits_decision, service_kind
from core.service_levels import ServiceKind, service_level_facts
from profiles.models import RequestStatus
from profiles.service_levels import request_forecasts


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
    facts = service_level_facts(kinds, today)
    return (
        application_forecasts(waiting_applications, facts, today),
        request_forecasts(pending_requests, facts, today),
    )
