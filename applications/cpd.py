"""Continuing-education hours (الساعات التعليمية): recording activities, the reviewer's decisions,
and the hours that count towards renewal.

Hours count when accepted and done within the registration's current period: from its first day
to its last valid day, or to today during the grace period after it (so hours made up late count
for a late renewal).
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import floatformat
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
from core.queue import refuse_held_by_another, release
from profiles.models import PractitionerProfile

from .models import ActivityStatus, CPDActivity
from .queue import ACTIVITIES

security_log = logging.getLogger("mumaris.security")
ZERO = Decimal("0.0")


@dataclass(frozen=True)
class HoursSummary:
    required: Decimal
    accepted: Decimal
    pending: Decimal

    @property
    def missing(self):
        return missing_hours(self.required, self.accepted)

    @property
    def percent(self):
        """Accepted hours as a whole percentage of the requirement, at most 100."""
        if self.required <= 0:
            return 100
        return min(int(self.accepted * 100 / self.required), 100)

    @property
    def enough(self):
        return self.missing == 0


def missing_hours(required, accepted):
    return max(Decimal(required) - accepted, ZERO)


def period_of(registration, today=None):
    """(first day, last day) in which activities count for the registration's renewal."""
    today = today or timezone.localdate()
    return registration.period_start, max(registration.valid_until, today)


def hours_summary(profile, registration, today=None):
    """Accepted and pending hours of the current period against CPD_HOURS_REQUIRED, in one query
    (the period's counted activities, added up by `hours_summary_of`: one rule for both)."""
    start, end = period_of(registration, today)
    return hours_summary_of(_counted_activities(profile.pk, start, end), registration, today)


@fixed_read
def _counted_activities(profile_id, start, end):
    return CPDActivity.objects.filter(
        profile=profile_id,
        completed_on__range=(start, end),
        status__in=(ActivityStatus.ACCEPTED, ActivityStatus.PENDING),
    ).only("status", "hours", "completed_on")


def hours_summary_of(activities, registration, today=None):
    """Accepted and pending hours of the registration's current period among `activities` (of any
    period and status): for a page that lists them anyway, no query of its own."""
    start, end = period_of(registration, today)
    totals = {ActivityStatus.ACCEPTED: ZERO, ActivityStatus.PENDING: ZERO}
    for activity in activities:
        if activity.status in totals and start <= activity.completed_on <= end:
            totals[activity.status] += activity.hours
    return HoursSummary(
        Decimal(settings.CPD_HOURS_REQUIRED), totals[ActivityStatus.ACCEPTED], totals[ActivityStatus.PENDING]
    )


def accepted_hours_subquery(profile_path):
    """For a list: each row's accepted hours in its registration's period (from its first day),
    as one subquery; `profile_path` leads from the row to the practitioner's profile."""
    activities = CPDActivity.objects.filter(
        profile=OuterRef(profile_path),
        status=ActivityStatus.ACCEPTED,
        completed_on__gte=OuterRef(f"{profile_path}__registration__period_start"),
    )
    total = activities.order_by().values("profile").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(total), ZERO)


REFUSALS = {
    "too_many": _(
        "You have recorded %(limit)s activities in this registration period, the most allowed. "
        "Contact us if you need to record more."
    ),
    "duplicate": _("You have already recorded this activity (the same name, provider, date and hours)."),
}


def check_activity_allowed(profile, registration, data):
    """Raise ValidationError when `data` (the form's values) may not be recorded: the period's
    cap (every activity of the period counts, rejected ones too: each is a stored upload), or the
    same activity already recorded and not rejected (a rejected one may be sent again, with a
    better certificate)."""
    recorded = CPDActivity.objects.filter(profile=profile, completed_on__gte=registration.period_start)
    limit = settings.CPD_ACTIVITIES_PER_PERIOD
    if recorded.count() >= limit:
        raise ValidationError(REFUSALS["too_many"], code="too_many", params={"limit": limit})
    same = {name: data[name] for name in ("title", "provider", "completed_on", "hours")}
    if recorded.filter(**same).exclude(status=ActivityStatus.REJECTED).exists():
        raise ValidationError(REFUSALS["duplicate"], code="duplicate")


def record_activity(profile, registration, data):
    """Record one activity; checked again under the practitioner's row lock, so parallel uploads
    cannot pass the cap together."""
    with transaction.atomic():
        PractitionerProfile.objects.select_for_update().filter(pk=profile.pk).first()
        check_activity_allowed(profile, registration, data)
        activity = CPDActivity.objects.create(profile=profile, **data)
    security_log.info("cpd activity %s recorded profile=%s", activity.pk, profile.pk)
    return activity


def activities_of(profile):
    return CPDActivity.objects.filter(profile=profile).order_by("-completed_on", "-id")


@fixed_read
def activity_list_of(profile_id):
    """The practitioner's activities as the hours page lists them (`activities_of`, compiled once)."""
    return activities_of(profile_id)


class ActivityAlreadyDecided(DecisionError):
    message = _("This activity has already been decided; nothing was done.")


ALLOWED_TRANSITIONS = {ActivityStatus.PENDING: {ActivityStatus.ACCEPTED, ActivityStatus.REJECTED}}


def _decide(activity, reviewer, status, reason=""):
    with transaction.atomic():
        locked = CPDActivity.objects.select_for_update().select_related("profile__user").get(pk=activity.pk)
        check_transition(ALLOWED_TRANSITIONS, locked.status, status, ActivityAlreadyDecided)
        refuse_own_file(reviewer, locked.profile.user_id, f"CPD-{locked.pk}")
        refuse_held_by_another(locked, reviewer, ACTIVITIES.supervise_permission)
        record_decision(locked, reviewer, status, reason, also=release(locked))
        security_log.info("cpd activity %s %s by user=%s", locked.pk, status, reviewer.pk)
        user = locked.profile.user
        queue_email(
            "applications/email/cpd_decided",
            {"activity": locked, "user": user},
            user.email,
            user.preferred_language,
            key=f"cpd-decided:{locked.pk}",
        )
    return locked


def accept_activity(activity, reviewer, reason=""):
    return _decide(activity, reviewer, ActivityStatus.ACCEPTED)


def reject_activity(activity, reviewer, reason=""):
    return _decide(activity, reviewer, ActivityStatus.REJECTED, required_reason(reason))


def acceptance_consequence(activity):
    return _(
        "Counts this activity's hours towards the practitioner's renewal (hours: %(hours)s). "
        "The practitioner is emailed."
    ) % {"hours": floatformat(activity.hours, -1)}


DECISIONS = {
    "accept": Decision(
        _("Accept the hours"),
        ActivityStatus.ACCEPTED,
        accept_activity,
        tone=DecisionTone.PRIMARY,
        consequence=acceptance_consequence,
    ),
    "reject": Decision(
        _("Reject"),
        ActivityStatus.REJECTED,
        reject_activity,
        needs_reason=True,
        tone=DecisionTone.DESTRUCTIVE,
        consequence=_("The hours are not counted. The practitioner is emailed your reason."),
    ),
}


def decisions_for(activity):
    return available_decisions(DECISIONS, ALLOWED_TRANSITIONS, activity.status)
