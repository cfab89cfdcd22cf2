"""Data-update requests: create, approve (apply), reject. One transaction each.

Approval locks the profile row and refuses when the profile changed after the request was
made (its version moved on), instead of silently overwriting. A new email address is not
applied with the others: a link is sent to it and the address takes effect when opened.
"""

import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.decisions import Decision, DecisionError, available_decisions, refuse_own_file, required_reason
from portal.emails import send_email_on_commit
from portal.numbering import assign_yearly_number
from portal.site import absolute_reverse

from .models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus

security_log = logging.getLogger("mumaris.security")
EMAIL_CHANGE_SALT = "profiles.email-change"
EMAIL_CHANGE_MAX_AGE_SECONDS = 3 * 24 * 60 * 60


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


def _lock_pending(update_request, reviewer):
    locked = DataUpdateRequest.objects.select_for_update().get(pk=update_request.pk)
    if locked.status != RequestStatus.PENDING:
        raise RequestAlreadyDecided
    owner_id = PractitionerProfile.objects.filter(pk=locked.profile_id).values_list("user_id", flat=True).get()
    refuse_own_file(reviewer, owner_id, locked.number)
    return locked


def _record_decision(locked, reviewer, status, reason=""):
    locked.status = status
    locked.reason = reason
    locked.decided_by = reviewer
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    security_log.info("update request %s %s by user=%s", locked.number, status, reviewer.pk)


def _email_practitioner(update_request):
    user = update_request.profile.user
    send_email_on_commit(
        "profiles/email/decided", {"update_request": update_request, "user": user}, user.email, user.preferred_language
    )


def approve_update_request(update_request, reviewer):
    """Apply every change to the locked profile and record each in its history."""
    with transaction.atomic():
        locked = _lock_pending(update_request, reviewer)
        profile = PractitionerProfile.objects.select_for_update().get(pk=locked.profile_id)
        if profile.version != locked.base_version:
            raise ProfileChangedSinceRequest
        for field, change in locked.changes.items():
            if field == "email":
                continue
            setattr(profile, field, change["new"])
            ProfileChange.objects.create(
                profile=profile,
                field=field,
                old_value=change["old"],
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


def reject_update_request(update_request, reviewer, reason):
    reason = required_reason(reason)
    with transaction.atomic():
        locked = _lock_pending(update_request, reviewer)
        _record_decision(locked, reviewer, RequestStatus.REJECTED, reason)
        _email_practitioner(locked)
    return locked


def send_email_change_link(update_request):
    new_email = update_request.changes["email"]["new"]
    key = signing.dumps({"request": update_request.pk, "email": new_email}, salt=EMAIL_CHANGE_SALT)
    link = absolute_reverse("profiles:confirm_email", args=[key])
    user = update_request.profile.user
    send_email_on_commit(
        "profiles/email/confirm_email", {"user": user, "link": link}, new_email, user.preferred_language
    )


class EmailTaken(Exception):
    """Another account uses the new address; it cannot become this practitioner's."""


def request_for_email_change_key(key):
    """The approved request a key confirms; None when invalid, expired or overtaken.

    A later approved email change makes earlier links useless, so an old link cannot bring
    back an address the practitioner has since replaced.
    """
    try:
        payload = signing.loads(key, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    update_request = (
        DataUpdateRequest.objects.filter(pk=payload.get("request"), status=RequestStatus.APPROVED)
        .select_related("profile")
        .first()
    )
    if update_request is None or update_request.changes.get("email", {}).get("new") != payload.get("email"):
        return None
    later_email_change = DataUpdateRequest.objects.filter(
        profile=update_request.profile_id,
        status=RequestStatus.APPROVED,
        changes__has_key="email",
        decided_at__gt=update_request.decided_at,
    )
    if later_email_change.exists():
        return None
    return update_request


def confirm_email_change(update_request):
    """Make the verified address the practitioner's, on the profile and the account (idempotent).

    The account's address is also the log-in and where every decision is mailed, so both
    change together, in one transaction; an address another account uses is refused.
    """
    new_email = update_request.changes["email"]["new"]
    with transaction.atomic():
        profile = PractitionerProfile.objects.select_for_update().get(pk=update_request.profile_id)
        if profile.email == new_email:
            return profile
        users = get_user_model().objects
        if users.with_email(new_email).exclude(pk=profile.user_id).exists():
            raise EmailTaken(new_email)
        try:
            with transaction.atomic():
                users.filter(pk=profile.user_id).update(email=new_email)
        except IntegrityError as error:
            raise EmailTaken(new_email) from error
        ProfileChange.objects.create(
            profile=profile,
            field="email",
            old_value=profile.email,
            new_value=new_email,
            request=update_request,
            reviewer=update_request.decided_by,
        )
        profile.email = new_email
        profile.version += 1
        profile.save(update_fields=["email", "version", "updated_at"])
    return profile


DECISIONS = {
    "approve": Decision(_("Approve"), RequestStatus.APPROVED, approve_update_request),
    "reject": Decision(_("Reject"), RequestStatus.REJECTED, reject_update_request, needs_reason=True),
}


def decisions_for(update_request):
    """The keys of the decisions a reviewer may take on the request now."""
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, update_request.status)
