"""An organisation's sign-up and staff's decision on it: one function each, one transaction each.

Signing up is done from a person's own (verified, logged-in) account, who becomes the
organisation's first administrator: the organisation's members are ordinary accounts, so the
one who asks is one of them from the start, and the sign-up does not repeat the people's sign-up
(its identity checks, its verification email) a second time.

Sign-up does not tell a stranger which commercial registrations are registered: a number that
is taken gets the same answer as a new one, and the organisation that holds it is told by email.
Staff approve or refuse in the admin (DECISIONS): the row is locked, the decision is logged and
emailed, and nobody who is a member of the organisation may decide on it.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.decisions import (
    Decision,
    DecisionError,
    OwnFileRefused,
    available_decisions,
    check_transition,
    record_decision,
    required_reason,
)
from core.emails import queue_email

from .models import MemberRole, Membership, Organisation, OrganisationStatus

security_log = logging.getLogger("mumaris.security")

ALLOWED_TRANSITIONS = {
    OrganisationStatus.PENDING: {OrganisationStatus.APPROVED, OrganisationStatus.REFUSED},
}


class OrganisationDecided(DecisionError):
    """Another member of staff decided first."""

    message = _("This organisation has been decided in the meantime; nothing was done.")


def sign_up_organisation(*, user, name_ar, name_en, commercial_registration, facility_licence, city, contact_email):
    """Ask for an organisation account with `user` as its first administrator; staff decide it.

    Returns the new organisation, or None when the commercial registration is already held: the
    holder's contact address is told instead, and the person signing up sees the same page.
    """
    existing = Organisation.objects.filter(commercial_registration=commercial_registration).first()
    if existing is not None:
        _notify_holder(existing, user)
        return None
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name_ar=name_ar,
                name_en=name_en,
                commercial_registration=commercial_registration,
                facility_licence=facility_licence,
                city=city,
                contact_email=contact_email,
                requested_by=user,
            )
            Membership.objects.create(organisation=organisation, user=user, role=MemberRole.ADMINISTRATOR)
            queue_email(
                "employers/email/signup_received",
                {"organisation": organisation},
                contact_email,
                user.preferred_language,
                key=f"organisation-signup:{organisation.pk}",
            )
    except IntegrityError:
        # Two requests at once: the unique commercial registration decided.
        _notify_holder(Organisation.objects.get(commercial_registration=commercial_registration), user)
        return None
    security_log.info("organisation signed up organisation=%s by user=%s", organisation.pk, user.pk)
    return organisation


def _notify_holder(organisation, user):
    security_log.info("organisation sign-up with a registered CR organisation=%s by user=%s", organisation.pk, user.pk)
    queue_email(
        "employers/email/signup_exists",
        {"organisation": organisation},
        organisation.contact_email,
        user.preferred_language,
    )


def _refuse_member(reviewer, organisation):
    """Segregation of duties: a member of the organisation never decides on it."""
    if Membership.objects.filter(organisation=organisation, user=reviewer).exists():
        security_log.warning("decision refused: own organisation %s user=%s", organisation.pk, reviewer.pk)
        raise OwnFileRefused


def _decide(organisation, reviewer, to_status, reason):
    with transaction.atomic():
        # of=("self",): the requester is an outer join, which PostgreSQL will not lock.
        locked = (
            Organisation.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=organisation.pk)
        )
        _refuse_member(reviewer, locked)
        check_transition(ALLOWED_TRANSITIONS, locked.status, to_status, OrganisationDecided)
        record_decision(locked, reviewer, to_status, reason)
        security_log.info("organisation %s -> %s by user=%s", locked.pk, to_status, reviewer.pk)
        requester = locked.requested_by
        queue_email(
            "employers/email/decided",
            {"organisation": locked},
            locked.contact_email,
            requester.preferred_language if requester else "ar",
            key=f"organisation-decision:{locked.pk}:{to_status}",
        )
    return locked


def approve_organisation(organisation, reviewer, reason=""):
    return _decide(organisation, reviewer, OrganisationStatus.APPROVED, (reason or "").strip())


def refuse_organisation(organisation, reviewer, reason=""):
    return _decide(organisation, reviewer, OrganisationStatus.REFUSED, required_reason(reason))


DECISIONS = {
    "approve": Decision(_("Approve"), OrganisationStatus.APPROVED, approve_organisation),
    "refuse": Decision(_("Refuse"), OrganisationStatus.REFUSED, refuse_organisation, needs_reason=True),
}


def decisions_for(organisation):
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, organisation.status)
