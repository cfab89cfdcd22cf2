"""Share codes: a practitioner lets an employer see their registration for a few days.

Stopping a code is "stop" everywhere the practitioner or the employer reads it («إيقاف», a
stopped code is «موقوف»), as a suspended registration is: one verb for "it works no more until
someone acts", never «سحب» on one page and «ملغى» on another. (The model keeps its `revoked_at`.)
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fixed_reads import LARGEST_ID, fixed_read
from profiles.models import ProfileChange
from profiles.specialties import readable_value

from .codes import new_code
from .models import ShareCode, ShareCodeView

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 90, 30
WORK_HISTORY_FIELDS = ("employer", "specialty")


class ShareState:
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LABELS = {ACTIVE: _("Active"), EXPIRED: _("Expired"), REVOKED: _("Stopped")}


def share_state(share_code, now=None):
    if share_code.revoked_at is not None:
        return ShareState.REVOKED
    if (now or timezone.now()) >= share_code.expires_at:
        return ShareState.EXPIRED
    return ShareState.ACTIVE


def create_share_code(registration, *, days, label="", shares_work_history=False, shares_timeline=False):
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"a share code lasts {MIN_DAYS} to {MAX_DAYS} days")
    return ShareCode.objects.create(
        registration=registration,
        code=new_code(),
        label=label,
        shares_work_history=shares_work_history,
        shares_timeline=shares_timeline,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )


def revoke_share_code(share_code):
    """Stop the code at once; stopping it twice keeps the first time."""
    ShareCode.objects.filter(pk=share_code.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def record_view(share_code):
    """Count one opening of a live code: its time, the count and the last time, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        ShareCodeView.objects.create(share_code=share_code, at=now)
        ShareCode.objects.filter(pk=share_code.pk).update(view_count=F("view_count") + 1, last_viewed_at=now)


def work_history(profile):
    """Employer and specialty changes, oldest first, as (when, field label, old, new)."""
    changes = ProfileChange.objects.filter(profile=profile, field__in=WORK_HISTORY_FIELDS).order_by("changed_at", "id")
    labels = {name: profile._meta.get_field(name).verbose_name for name in WORK_HISTORY_FIELDS}
    return [
        (
            change.changed_at,
            labels[change.field],
            readable_value(change.field, change.old_value),
            readable_value(change.field, change.new_value),
        )
        for change in changes
    ]


@dataclass(frozen=True)
class CurrentWork:
    label: str
    value: str
    since: datetime.date


def current_work(profile, registered_on):
    """The employer and specialty now, each with the day it started: the day of its latest change,
    or the registration's first day when it has not changed since (as the employer needs it, even
    with no history to show)."""
    changes = ProfileChange.objects.filter(profile=profile, field__in=WORK_HISTORY_FIELDS)
    latest = dict(changes.order_by("changed_at", "id").values_list("field", "changed_at"))  # the last one wins
    return [
        CurrentWork(
            label=profile._meta.get_field(name).verbose_name,
            value=str(getattr(profile, name)),
            since=timezone.localdate(latest[name]) if name in latest else registered_on,
        )
        for name in WORK_HISTORY_FIELDS
    ]


def timeline(registration):
    """The registration's events for an employer: what and when, never the reasons."""
    # With its link to the registration: the related manager sets the registration on each event
    # it reads, and a deferred link would be read back from the database one event at a time.
    return list(registration.events.only("registration", "kind", "at", "valid_until").order_by("at", "id"))


@fixed_read
def share_codes_of(registration_id):
    """The practitioner's codes, newest first: compiled once a process (core/fixed_reads.py). Each
    has its count of openings and its latest; the openings themselves have a page of their own
    (`openings_of`)."""
    return ShareCode.objects.filter(registration=registration_id).order_by("-created_at", "-id")


def share_code_of(registration, pk):
    """The registration's code `pk` (a number from an address), or None: another's, or none at all."""
    if pk > LARGEST_ID:  # the database would refuse the number, where the ORM answers "no row"
        return None
    found = _share_code(pk, registration.pk)
    return found[0] if found else None


@fixed_read
def _share_code(pk, registration_id):
    return ShareCode.objects.filter(pk=pk, registration=registration_id)


def openings_of(share_code):
    """When the code was opened, newest first, as a list to page through (`page_of`): each page
    one fixed statement, read from the index kept in this order (registry_share_view_latest),
    however often the code was opened."""
    return _openings.listing(share_code.pk)


@fixed_read
def _openings(share_code_id):
    return ShareCodeView.objects.filter(share_code=share_code_id).order_by("-at", "-id")
