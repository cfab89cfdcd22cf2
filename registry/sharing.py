"""Share codes: a practitioner lets an employer see their registration for a few days.

Stopping a code is "stop" everywhere the practitioner or the employer reads it («إيقاف», a
stopped code is «موقوف»), as a suspended registration is: one verb for "it works no more until
someone acts", never «سحب» on one page and «ملغى» on another. (The model keeps its `revoked_at`.)
"""

import datetime
import functools
import itertools
import operator
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fixed_reads import fixed_read
from profiles.models import ProfileChange
from profiles.specialties import readable_value

from .codes import new_code
from .models import ShareCode, ShareCodeView

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 90, 30
WORK_HISTORY_FIELDS = ("employer", "specialty")
RECENT_VIEWS_SHOWN = 20
# Before any view: the moment from which all of a code's views are read.
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


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
def _codes_with_their_twentieth_view(registration_id):
    twentieth_latest = ShareCodeView.objects.filter(share_code=OuterRef("pk")).order_by("-at", "-id")
    return (
        ShareCode.objects.filter(registration=registration_id)
        .annotate(oldest_shown_at=Subquery(twentieth_latest.values("at")[RECENT_VIEWS_SHOWN - 1 : RECENT_VIEWS_SHOWN]))
        .order_by("-created_at", "-id")
    )


@fixed_read
def _views_since(*codes_and_moments):
    """The views of each code (an id) from its moment on, newest first: compiled once for each
    number of codes (core/fixed_reads.py)."""
    pairs = zip(codes_and_moments[::2], codes_and_moments[1::2], strict=True)
    since = functools.reduce(operator.or_, (Q(share_code=code_id, at__gte=moment) for code_id, moment in pairs))
    return ShareCodeView.objects.filter(since).order_by("-at", "-id")


def share_codes_of(registration):
    """The practitioner's codes, newest first, each with its latest views as `latest_views` (two
    queries whatever the number of codes or views).

    Each code's views are read from its index, down to its twentieth latest: a code an employer
    opened ten thousand times costs what one opened twenty times does. (Numbering every view of
    every code with a window function, as a sliced `Prefetch` does, read them all each time.)
    """
    codes = _codes_with_their_twentieth_view(registration.pk)
    # A code with fewer views than are shown has no twentieth: all of its views are shown.
    shown = [(code.pk, code.oldest_shown_at or EARLIEST) for code in codes if code.view_count]
    views_of = defaultdict(list)
    if shown:
        for view in _views_since(*itertools.chain.from_iterable(shown)):
            views_of[view.share_code_id].append(view)
    for code in codes:
        # Views at the same moment as the twentieth may come too: the order (-at, -id) decides.
        code.latest_views = views_of[code.pk][:RECENT_VIEWS_SHOWN]
    return codes
