"""Who belongs to an organisation, with which role, and the emailed single-use invitations.

An invitation's link carries a random token; only its SHA-256 is stored, so a copy of the
database opens no invitation. The link works once (a conditional update marks it accepted),
until it expires, and only for the account whose email it was sent to.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.emails import queue_email
from core.fixed_reads import LARGEST_ID, fixed_read
from core.site import absolute_reverse

from .models import Invitation, MemberRole, Membership

security_log = logging.getLogger("mumaris.security")
INVITATION_DAYS = 7


class InvitationError(Exception):
    message = _("This invitation cannot be used.")


class InvitationUnknown(InvitationError):
    message = _("This invitation link is not valid. Ask the organisation's administrator for a new one.")


class InvitationUsed(InvitationError):
    message = _("This invitation has already been used. Ask the organisation's administrator for a new one.")


class InvitationExpired(InvitationError):
    message = _("This invitation has expired. Ask the organisation's administrator for a new one.")


class InvitationForAnother(InvitationError):
    message = _(
        "This invitation was sent to another email address. Log in with the account that has that address,"
        " or ask for an invitation to yours."
    )


class LastAdministrator(Exception):
    """An organisation keeps at least one administrator."""

    message = _("The organisation must keep at least one administrator.")


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def membership_of(user, organisation_id):
    """The user's membership of the organisation (with the organisation), or None: read on every
    organisation page, by a statement compiled once a process (core/fixed_reads.py)."""
    if not user.is_authenticated or organisation_id > LARGEST_ID:
        return None
    found = _membership(user.pk, organisation_id)
    return found[0] if found else None


@fixed_read
def _membership(user_id, organisation_id):
    return Membership.objects.select_related("organisation").filter(user=user_id, organisation=organisation_id)


def memberships_of(user):
    """Every organisation the user belongs to, for the organisation switcher."""
    return Membership.objects.select_related("organisation").filter(user=user).order_by("organisation__name_ar")


def invite_member(organisation, *, email, role, invited_by, language):
    """Create an invitation and email its link (in the inviter's transaction); returns it."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=token_hash(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        queue_email(
            "employers/email/invitation",
            {"invitation": invitation, "link": absolute_reverse("employers:invitation", args=[token])},
            email,
            language,
            key=f"organisation-invitation:{invitation.pk}",
        )
    security_log.info("organisation %s invitation %s by user=%s", organisation.pk, invitation.pk, invited_by.pk)
    return invitation


def invitation_for(token, user, now=None):
    """The invitation the token opens for `user`; raises an InvitationError saying why not."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationUnknown
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if (now or timezone.now()) >= invitation.expires_at:
        raise InvitationExpired
    if invitation.email.strip().lower() != user.email.strip().lower():
        raise InvitationForAnother
    return invitation


def accept_invitation(token, user, now=None):
    """Make `user` a member with the invitation's role; the link is spent. Returns the membership.

    Someone who is a member already keeps their membership, with the invitation's role."""
    now = now or timezone.now()
    invitation = invitation_for(token, user, now)
    with transaction.atomic():
        spent = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=now, accepted_by=user
        )
        if not spent:  # another tab or a double click used it first
            raise InvitationUsed
        membership, _created = Membership.objects.update_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
    security_log.info("organisation %s joined by user=%s", invitation.organisation_id, user.pk)
    return membership


def remove_member(membership, by):
    """Take a person out of the organisation; the last administrator stays."""
    with transaction.atomic():
        administrators = list(
            Membership.objects.select_for_update()
            .filter(organisation_id=membership.organisation_id, role=MemberRole.ADMINISTRATOR)
            .values_list("pk", flat=True)
        )
        if administrators == [membership.pk]:
            raise LastAdministrator
        Membership.objects.filter(pk=membership.pk).delete()
    security_log.info(
        "organisation %s member user=%s removed by user=%s", membership.organisation_id, membership.user_id, by.pk
    )
