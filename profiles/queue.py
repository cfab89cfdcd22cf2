"""The review queue of data-update requests, as core/queue.py takes and assigns them: the oldest
request first."""

from django.db.models import Q

from core.queue import ReviewQueue, register_queue

from .models import DataUpdateRequest, RequestStatus
from .service_levels import overdue_requests, queue_standings


def request_order(queryset, today):
    return [queryset.order_by("created_at", "pk")]


UPDATE_REQUESTS = register_queue(
    ReviewQueue(
        name="profiles.dataupdaterequest",
        model=DataUpdateRequest,
        waiting=Q(status=RequestStatus.PENDING),
        owner_path="profile__user_id",
        decision_permission="profiles.review_dataupdaterequest",
        supervise_permission="profiles.assign_dataupdaterequest",
        order=request_order,
        standings=queue_standings,
        overdue=overdue_requests,
        label=lambda update_request: update_request.number,
    )
)
