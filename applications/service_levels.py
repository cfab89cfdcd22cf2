"""An application against its service level: its clock runs from submission while it waits for
staff (submitted, under review) and stops while it is returned to the applicant."""

from django.utils import timezone

from core.service_levels import ServiceKind, clock_spans, standing, target_days

from .models import ApplicationStatus

WAITING_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW})


def service_kind(application):
    return ServiceKind.RENEWAL if application.is_renewal else ServiceKind.REGISTRATION


def application_spans(events):
    """When the application waited for staff, from its status history (in any order)."""
    ordered = sorted(events, key=lambda event: (event.created_at, event.pk))
    return clock_spans((timezone.localdate(event.created_at), event.to_status in WAITING_STATUSES) for event in ordered)


def application_standing(application, events, today, holidays):
    """Where an application that is not yet decided stands (None once decided, or never submitted)."""
    if not application.is_open:
        return None
    return standing(application_spans(events), target_days(service_kind(application)), today, holidays)
