"""The review queues of this app: applications (first registration and renewal) and
continuing-education activities, as core/queue.py takes and assigns them.

Applications are taken oldest submission first, except renewals near their registration's last
valid day, which come before all others, the nearest first: a late decision there leaves the
practitioner unregistered.
"""

import datetime

from django.db.models import Q

from core.queue import ReviewQueue, register_queue

from .models import ActivityStatus, Application, ApplicationKind, CPDActivity
from .service_levels import (
    WAITING_STATUSES,
    activity_standings,
    overdue_activities,
    overdue_applications,
    queue_standings,
)

# A renewal whose registration's last valid day is this near (or past) jumps the queue.
RENEWAL_NEAR_DAYS = 30
VALID_UNTIL = "applicant__practitioner_profile__registration__valid_until"


def application_order(queryset, today):
    """Renewals near their last valid day first (the nearest first), then oldest submission.

    Two walks, each along a partial index of the unassigned waiting applications: the renewals
    (few), then every kind; one ordering of both would sort every waiting row on each press."""
    near = today + datetime.timedelta(days=RENEWAL_NEAR_DAYS)
    urgent = queryset.filter(kind=ApplicationKind.RENEWAL, **{f"{VALID_UNTIL}__lte": near})
    return [urgent.order_by(VALID_UNTIL, "submitted_at", "pk"), queryset.order_by("submitted_at", "pk")]


def activity_order(queryset, today):
    return [queryset.order_by("created_at", "pk")]


APPLICATIONS = register_queue(
    ReviewQueue(
        name="applications.application",
        model=Application,
        waiting=Q(status__in=WAITING_STATUSES),
        owner_path="applicant_id",
        decision_permission="applications.review_application",
        supervise_permission="applications.assign_application",
        order=application_order,
        standings=queue_standings,
        overdue=overdue_applications,
        label=lambda application: application.reference,
    )
)

ACTIVITIES = register_queue(
    ReviewQueue(
        name="applications.cpdactivity",
        model=CPDActivity,
        waiting=Q(status=ActivityStatus.PENDING),
        owner_path="profile__user_id",
        decision_permission="applications.review_cpdactivity",
        supervise_permission="applications.assign_cpdactivity",
        order=activity_order,
        standings=activity_standings,
        overdue=overdue_activities,
        label=lambda activity: f"CPD-{activity.pk}",
    )
)
