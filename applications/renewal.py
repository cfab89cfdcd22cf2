"""تجديد التسجيل: when a practitioner may apply to renew, and the renewal application's draft.

A renewal is the second kind of application: the same reference numbers (REN-…), drafts,
documents, statuses, timeline and return for correction, judged by the same rules plus the
continuing-education hours (facts.application_checklist). It may be applied for from
RENEWAL_OPENS_DAYS before the registration's last valid day until RENEWAL_GRACE_DAYS after it,
while the registration is not suspended or revoked.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from registry.models import RegistrationStatus
from registry.public import registration_of
from registry.validity import RenewalWindow, renewal_closes_on, renewal_opens_on, renewal_window

from .applications import CannotApply, create_draft, open_application_of
from .models import Application, ApplicationKind, ApplicationStatus

# What a renewal's draft starts with: the person's last approved application, then the profile.
FROM_LAST_APPLICATION = ("nationality", "date_of_birth", "iqama_number", "iqama_expiry")
FROM_PROFILE = ("profession", "specialty", "employer")


class CannotRenew(Exception):
    """`reason`: "not_registered", "not_yet", "closed", "suspended", "revoked" or "open_application"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RenewalState:
    registration: object
    window: str
    opens_on: datetime.date
    closes_on: datetime.date
    open_application: Application | None

    @property
    def refusal(self):
        """Why a renewal cannot be started now, or None."""
        if self.registration.status in (RegistrationStatus.SUSPENDED, RegistrationStatus.REVOKED):
            return self.registration.status
        if self.open_application is not None:
            return "open_application"
        if self.window != RenewalWindow.OPEN:
            return self.window
        return None


def renewal_state(user, today=None):
    """The practitioner's renewal situation (None for someone without a registration)."""
    registration = registration_of(user)
    if registration is None:
        return None
    today = today or timezone.localdate()
    return RenewalState(
        registration=registration,
        window=renewal_window(registration.valid_until, today, settings.RENEWAL_GRACE_DAYS),
        opens_on=renewal_opens_on(registration.valid_until),
        closes_on=renewal_closes_on(registration.valid_until, settings.RENEWAL_GRACE_DAYS),
        open_application=open_application_of(user),
    )


def start_renewal(user, today=None):
    """The practitioner's renewal draft, filled in from what they gave before; raises CannotRenew."""
    state = renewal_state(user, today)
    if state is None:
        raise CannotRenew("not_registered")
    if state.refusal:
        raise CannotRenew(state.refusal)
    last = Application.objects.filter(applicant=user, status=ApplicationStatus.APPROVED).order_by("-decided_at").first()
    profile = user.practitioner_profile
    data = {name: getattr(last, name) for name in FROM_LAST_APPLICATION} if last else {}
    data |= {name: getattr(profile, name) for name in FROM_PROFILE}
    try:
        return create_draft(user, data, ApplicationKind.RENEWAL)
    except CannotApply as error:  # the same start posted twice at once
        raise CannotRenew("open_application") from error
