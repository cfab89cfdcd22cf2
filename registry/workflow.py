"""Changes to a registration: one function each, one transaction each, recorded in its timeline.

Registering happens inside the approval of an application. Suspending, lifting a suspension and
revoking are staff decisions, declared once in DECISIONS: the registration's row is locked, the
change is refused on the practitioner's own file, logged, recorded as an event and emailed.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.decisions import (
    Decision,
    DecisionError,
    DecisionTone,
    available_decisions,
    check_transition,
    refuse_own_file,
    required_reason,
)
from core.emails import queue_email
from core.fixed_reads import fixed_read
from core.hijri import hijri_text

from .codes import new_code
from .models import Certificate, Registration, RegistrationEvent, RegistrationEventKind, RegistrationStatus
from .public import forget_public_pages
from .validity import period_end, renewed_period

security_log = logging.getLogger("mumaris.security")

ALLOWED_TRANSITIONS = {
    RegistrationStatus.ACTIVE: {RegistrationStatus.SUSPENDED, RegistrationStatus.REVOKED},
    RegistrationStatus.SUSPENDED: {RegistrationStatus.ACTIVE, RegistrationStatus.REVOKED},
}
EVENT_FOR_STATUS = {
    RegistrationStatus.SUSPENDED: RegistrationEventKind.SUSPENDED,
    RegistrationStatus.ACTIVE: RegistrationEventKind.REINSTATED,
    RegistrationStatus.REVOKED: RegistrationEventKind.REVOKED,
}


class RegistrationStatusChanged(DecisionError):
    """Someone changed the registration's status first."""

    message = _("This registration's status has changed in the meantime; nothing was done.")


@fixed_read
def _current_certificates(registration_id):
    return Certificate.objects.filter(registration=registration_id, replaced_at__isnull=True)


def current_certificate_of(registration):
    """The registration's certificate in force (there is always one: a constraint keeps it to one),
    linked to the registration already read, and so to its profile, user and specialty."""
    (current,) = _current_certificates(registration.pk)
    current.registration = registration
    return current


def issue_certificate(registration):
    """A new certificate with a fresh code; the current one, if any, is marked replaced."""
    now = timezone.now()
    registration.certificates.filter(replaced_at__isnull=True).update(replaced_at=now)
    certificate = Certificate.objects.create(registration=registration, code=new_code())
    transaction.on_commit(lambda: forget_public_pages(registration))
    return certificate


def register_practitioner(profile, on_date, actor=None):
    """Open the practitioner's registration for one validity period from `on_date`, with its
    first certificate. Call inside the approval's transaction."""
    valid_until = period_end(on_date, settings.REGISTRATION_VALIDITY_MONTHS)
    registration = Registration.objects.create(
        profile=profile, registered_on=on_date, period_start=on_date, valid_until=valid_until
    )
    RegistrationEvent.objects.create(
        registration=registration, kind=RegistrationEventKind.REGISTERED, valid_until=valid_until, actor=actor
    )
    issue_certificate(registration)
    return registration


def renew_registration(registration, approved_on, actor):
    """Extend the registration by one period (see validity.renewed_period) and issue a new
    certificate; the old one's page says a newer one exists. Call inside the approval's
    transaction. Returns the locked, renewed registration."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    refuse_own_file(actor, locked.profile.user_id, locked.profile.membership_number)
    if locked.status != RegistrationStatus.ACTIVE:
        raise RegistrationStatusChanged
    start, valid_until = renewed_period(locked.valid_until, approved_on, settings.REGISTRATION_VALIDITY_MONTHS)
    locked.period_start, locked.valid_until = start, valid_until
    locked.version += 1
    locked.save(update_fields=["period_start", "valid_until", "version", "updated_at"])
    RegistrationEvent.objects.create(
        registration=locked, kind=RegistrationEventKind.RENEWED, valid_until=valid_until, actor=actor
    )
    issue_certificate(locked)
    security_log.info(
        "registration %s renewed until %s by user=%s", locked.profile.membership_number, valid_until, actor.pk
    )
    return locked


def _email_practitioner(registration, event):
    user = registration.profile.user
    queue_email(
        "registry/email/status_changed",
        {"registration": registration, "event": event, "user": user},
        user.email,
        user.preferred_language,
        key=f"registration-event:{event.pk}",
    )


def _change_status(registration, reviewer, to_status, reason):
    reason = required_reason(reason)
    with transaction.atomic():
        locked = Registration.objects.select_for_update().select_related("profile__user").get(pk=registration.pk)
        refuse_own_file(reviewer, locked.profile.user_id, locked.profile.membership_number)
        check_transition(ALLOWED_TRANSITIONS, locked.status, to_status, RegistrationStatusChanged)
        from_status = locked.status
        locked.status = to_status
        locked.status_reason = reason
        locked.version += 1
        locked.save(update_fields=["status", "status_reason", "version", "updated_at"])
        event = RegistrationEvent.objects.create(
            registration=locked,
            kind=EVENT_FOR_STATUS[to_status],
            valid_until=locked.valid_until,
            reason=reason,
            actor=reviewer,
        )
        security_log.info(
            "registration %s %s -> %s by user=%s", locked.profile.membership_number, from_status, to_status, reviewer.pk
        )
        _email_practitioner(locked, event)
        transaction.on_commit(lambda: forget_public_pages(locked))
    return locked


def suspend_registration(registration, reviewer, reason=""):
    return _change_status(registration, reviewer, RegistrationStatus.SUSPENDED, reason)


def reinstate_registration(registration, reviewer, reason=""):
    return _change_status(registration, reviewer, RegistrationStatus.ACTIVE, reason)


def revoke_registration(registration, reviewer, reason=""):
    return _change_status(registration, reviewer, RegistrationStatus.REVOKED, reason)


def reinstatement_consequence(registration):
    return _(
        "Makes the registration valid again until %(until)s, on the verification page at once. "
        "The practitioner is emailed your reason."
    ) % {"until": hijri_text(registration.valid_until)}


DECISIONS = {
    "suspend": Decision(
        _("Suspend"),
        RegistrationStatus.SUSPENDED,
        suspend_registration,
        needs_reason=True,
        tone=DecisionTone.DESTRUCTIVE,
        consequence=_(
            "The verification page shows the registration as suspended at once, and its certificate is not "
            "valid until the suspension is lifted. The practitioner is emailed your reason."
        ),
    ),
    "reinstate": Decision(
        _("Lift the suspension"),
        RegistrationStatus.ACTIVE,
        reinstate_registration,
        needs_reason=True,
        tone=DecisionTone.PRIMARY,
        consequence=reinstatement_consequence,
    ),
    "revoke": Decision(
        _("Revoke"),
        RegistrationStatus.REVOKED,
        revoke_registration,
        needs_reason=True,
        tone=DecisionTone.DESTRUCTIVE,
        consequence=_(
            "Ends the registration for good: the verification page shows it revoked and it cannot be "
            "reinstated. The practitioner is emailed your reason."
        ),
    ),
}


def decisions_for(registration):
    """The keys of the decisions a reviewer may take on the registration now."""
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, registration.status)
