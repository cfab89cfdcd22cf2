"""Data-update requests: create, approve (apply), reject. One transaction each.

Approval locks the profile row and refuses when the profile changed after the request was
made (its version moved on), instead of silently overwriting. A new email address is not
applied with the others: a link is sent to it and the address takes effect when opened
(email_change.py).
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.decisions import (
    Decision,
    DecisionError,
    DecisionTone,
    available_decisions,
    check_transition,
    record_decision,
    refuse_own_file,
    required_reason,
)
from core.emails import queue_email
from core.fixed_reads import fixed_read
from core.numbering import assign_yearly_number
from core.queue import refuse_held_by_another, release

from .email_change import send_email_change_link
from .membership import make_membership_number
from .models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus
from .queue import UPDATE_REQUESTS

security_log = logging.getLogger("mumaris.security")


class PendingRequestExists(Exception):
    def __init__(self, pending):
        super().__init__(pending.number)
        self.pending = pending


class RequestAlreadyDecided(DecisionError):
    """Someone decided this request first."""

    message = _("This request has already been decided; nothing was done.")


class ProfileChangedSinceRequest(DecisionError):
    """The profile was changed after the request was made; approving would overwrite that."""

    message = _(
        "The practitioner's data changed after this request was made. Approving would overwrite it; "
        "reject the request and ask for a new one."
    )


ALLOWED_TRANSITIONS = {RequestStatus.PENDING: {RequestStatus.APPROVED, RequestStatus.REJECTED}}


def create_practitioner_profile(*, user, profession, specialty, employer):
    """Create the profile of a newly registered practitioner, with a unique membership number.

    The number is derived from the row's own id, which the database hands out uniquely even
    when two reviewers approve at the same moment. Call inside the approval's transaction.
    """
    profile = PractitionerProfile.objects.create(
        user=user, profession=profession, specialty=specialty, employer=employer, email=user.email
    )
    profile.membership_number = make_membership_number(timezone.localdate().year, profile.pk)
    profile.save(update_fields=["membership_number"])
    return profile


def requests_of(profile):
    """A practitioner's data-update requests, newest first, with what their list shows (none
    for someone without a profile)."""
    if profile is None:
        return []
    return _requests_of_profile(profile.pk)


@fixed_read
def _requests_of_profile(profile_id):
    requests = DataUpdateRequest.objects.filter(profile=profile_id)
    return requests.only("number", "status", "created_at").order_by("-created_at")


def pending_request_of(profile):
    return DataUpdateRequest.objects.filter(profile=profile, status=RequestStatus.PENDING).first()


def create_update_request(profile, changes, base_version):
    """Record the request with a number. Refused while another is pending or if `changes` is empty."""
    if not changes:
        raise ValueError("a data update request needs at least one change")
    with transaction.atomic():
        locked = PractitionerProfile.objects.select_for_update().get(pk=profile.pk)
        pending = pending_request_of(locked)
        if pending is not None:
            raise PendingRequestExists(pending)
        update_request = DataUpdateRequest.objects.create(profile=locked, changes=changes, base_version=base_version)
        assign_yearly_number(update_request, "number", "UPD")
    security_log.info("update request %s created profile=%s", update_request.number, profile.pk)
    return update_request


def _lock_for_decision(update_request, reviewer, to_status):
    locked = DataUpdateRequest.objects.select_for_update().get(pk=update_request.pk)
    check_transition(ALLOWED_TRANSITIONS, locked.status, to_status, RequestAlreadyDecided)
    owner_id = PractitionerProfile.objects.filter(pk=locked.profile_id).values_list("user_id", flat=True).get()
    refuse_own_file(reviewer, owner_id, locked.number)
    refuse_held_by_another(locked, reviewer, UPDATE_REQUESTS.supervise_permission)
    return locked


def _record_decision(locked, reviewer, status, reason=""):
    record_decision(locked, reviewer, status, reason, also=release(locked))
    security_log.info("update request %s %s by user=%s", locked.number, status, reviewer.pk)


def _email_practitioner(update_request):
    user = update_request.profile.user
    queue_email(
        "profiles/email/decided",
        {"update_request": update_request, "user": user},
        user.email,
        user.preferred_language,
        key=f"update-request-decided:{update_request.pk}",
    )


def approve_update_request(update_request, reviewer, reason=""):
    """Apply every change to the locked profile and record each in its history."""
    with transaction.atomic():
        locked = _lock_for_decision(update_request, reviewer, RequestStatus.APPROVED)
        profile = PractitionerProfile.objects.select_for_update().get(pk=locked.profile_id)
        if profile.version != locked.base_version:
            raise ProfileChangedSinceRequest
        for field, change in locked.changes.items():
            if field == "email":
                continue
            # By the column's own name: the specialty's change is its id (specialty_id).
            setattr(profile, PractitionerProfile._meta.get_field(field).attname, change["new"])
            ProfileChange.objects.create(
                profile=profile,
                field=field,
                old_value=change["old"] if change["old"] is not None else "",
                new_value=change["new"],
                request=locked,
                reviewer=reviewer,
            )
        profile.version += 1
        # An approved update is a review of the data: the periodic prompt starts over.
        profile.data_confirmed_at = timezone.now()
        profile.data_review_postponements = 0
        profile.save()
        _record_decision(locked, reviewer, RequestStatus.APPROVED)
        if "email" in locked.changes:
            send_email_change_link(locked)
        _email_practitioner(locked)
    return locked


def reject_update_request(update_request, reviewer, reason=""):
    reason = required_reason(reason)
    with transaction.atomic():
        locked = _lock_for_decision(update_request, reviewer, RequestStatus.REJECTED)
        _record_decision(locked, reviewer, RequestStatus.REJECTED, reason)
        _email_practitioner(locked)
    return locked


DECISIONS = {
    "approve": Decision(
        _("Approve"),
        RequestStatus.APPROVED,
        approve_update_request,
        tone=DecisionTone.PRIMARY,
        consequence=_(
            "Writes the changes listed on the request into the practitioner's file (a new email address "
            "only once its owner confirms it). The practitioner is emailed."
        ),
    ),
    "reject": Decision(
        _("Reject"),
        RequestStatus.REJECTED,
        reject_update_request,
        needs_reason=True,
        tone=DecisionTone.DESTRUCTIVE,
        consequence=_("Leaves the practitioner's file as it is. The practitioner is emailed your reason."),
    ),
}


def decisions_for(update_request):
    """The keys of the decisions a reviewer may take on the request now."""
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, update_request.status)
