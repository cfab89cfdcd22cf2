"""An organisation's watchlist: adding by membership number (one or a file's worth, set-wise, in
one transaction), removing, attaching a share code, and the list with its filters.

Each addition and removal is also written as a WatchRecord, which the practitioner sees on their
access-log page. The list shows the public record only (registry.public.CARD_COLUMNS), and what a
live share code the practitioner gave the organisation adds.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.membership import parse_membership_number
from registry.codes import parse_code
from registry.models import Registration, RegistrationStatus, ShareCode
from registry.public import CARD_COLUMNS, card_from_values
from registry.sharing import ShareState, share_state

from .models import Organisation, WatchAction, WatchedPractitioner, WatchRecord

security_log = logging.getLogger("mumaris.security")
EXPIRING_DAYS = 90


class RowOutcome:
    ADDED = "added"
    ALREADY = "already"
    NOT_FOUND = "not_found"
    NOT_A_NUMBER = "not_a_number"
    LABELS = {
        ADDED: _("Added"),
        ALREADY: _("Already on the list"),
        NOT_FOUND: _("No registration with this number"),
        NOT_A_NUMBER: _("Not a membership number"),
    }


@dataclass(frozen=True)
class RowReport:
    row: int
    text: str
    outcome: str

    @property
    def label(self):
        return RowOutcome.LABELS[self.outcome]


def add_numbers(organisation, rows, by):
    """Add the registrations of `rows` ([(row number, text typed)]) to the watchlist, all or none.

    Three queries whatever the number of rows: the registrations of the numbers, those already
    watched, and the inserts. Returns a RowReport per row, in the file's order.
    """
    numbers = {row: parse_membership_number(text) for row, text in rows}
    with transaction.atomic():
        lock_watchlist(organisation)
        registration_ids = dict(
            Registration.objects.filter(profile__membership_number__in={n for n in numbers.values() if n})
            .values_list("profile__membership_number", "pk")
            .order_by()
        )
        watched = set(
            WatchedPractitioner.objects.filter(
                organisation=organisation, practitioner_id__in=registration_ids.values()
            ).values_list("practitioner_id", flat=True)
        )
        report, new_ids = [], []
        for row, text in rows:
            number = numbers[row]
            registration_id = registration_ids.get(number)
            if number is None:
                outcome = RowOutcome.NOT_A_NUMBER
            elif registration_id is None:
                outcome = RowOutcome.NOT_FOUND
            elif registration_id in watched:
                outcome = RowOutcome.ALREADY
            else:
                outcome = RowOutcome.ADDED
                watched.add(registration_id)
                new_ids.append(registration_id)
            report.append(RowReport(row, text[:40], outcome))
        _watch(organisation, new_ids, by)
    return report


def report_summary(report):
    """[(outcome's label, how many rows)] in RowOutcome's order."""
    counts = dict.fromkeys(RowOutcome.LABELS, 0)
    for row in report:
        counts[row.outcome] += 1
    return [(RowOutcome.LABELS[outcome], count) for outcome, count in counts.items()]


def _watch(organisation, registration_ids, by, share_code=None):
    WatchedPractitioner.objects.bulk_create(
        WatchedPractitioner(organisation=organisation, practitioner_id=pk, added_by=by, share_code=share_code)
        for pk in registration_ids
    )
    WatchRecord.objects.bulk_create(
        WatchRecord(organisation=organisation, practitioner_id=pk, action=WatchAction.ADDED) for pk in registration_ids
    )
    if registration_ids:
        security_log.info("organisation %s watches %s more by user=%s", organisation.pk, len(registration_ids), by.pk)


def lock_watchlist(organisation):
    """Changes to one organisation's list wait for each other (two uploads at once would both
    find a number missing); other organisations' lists are not held up."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()


def add_number(organisation, text, by):
    """Add one membership number typed; its RowReport."""
    return add_numbers(organisation, [(1, text)], by)[0]


def remove(organisation, watched_id, by):
    """Take a practitioner off the list; False when they were not on it."""
    with transaction.atomic():
        entry = WatchedPractitioner.objects.filter(organisation=organisation, pk=watched_id).first()
        if entry is None:
            return False
        entry.delete()
        WatchRecord.objects.create(
            organisation=organisation, practitioner_id=entry.practitioner_id, action=WatchAction.REMOVED
        )
    security_log.info("organisation %s stopped watching %s by user=%s", organisation.pk, entry.practitioner_id, by.pk)
    return True


class ShareCodeRefused(Exception):
    message = _("This share code is not valid, has expired or was stopped by the practitioner.")


def add_share_code(organisation, text, by, now=None):
    """Watch the practitioner whose live share code was given to the organisation, with what the
    code shares; returns the watchlist entry."""
    code = parse_code(text)
    share_code = ShareCode.objects.filter(code=code).first() if code else None
    if share_code is None or share_state(share_code, now) != ShareState.ACTIVE:
        raise ShareCodeRefused
    with transaction.atomic():
        lock_watchlist(organisation)
        entry = WatchedPractitioner.objects.filter(
            organisation=organisation, practitioner_id=share_code.registration_id
        ).first()
        if entry is None:
            _watch(organisation, [share_code.registration_id], by, share_code)
        else:
            WatchedPractitioner.objects.filter(pk=entry.pk).update(share_code=share_code)
    return WatchedPractitioner.objects.get(organisation=organisation, practitioner_id=share_code.registration_id)


class ListFilter:
    ALL = ""
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED_OR_REVOKED = "suspended_or_revoked"
    LABELS = {
        ALL: _("Everyone"),
        EXPIRING: _("Expiring within 90 days"),
        EXPIRED: _("Expired"),
        SUSPENDED_OR_REVOKED: _("Suspended or revoked"),
    }


def filter_condition(name, today):
    """The condition on WatchedPractitioner rows for a filter of ListFilter (any other: none)."""
    active = Q(practitioner__status=RegistrationStatus.ACTIVE)
    if name == ListFilter.EXPIRING:
        horizon = today + timedelta(days=EXPIRING_DAYS)
        return active & Q(practitioner__valid_until__gte=today, practitioner__valid_until__lte=horizon)
    if name == ListFilter.EXPIRED:
        return active & Q(practitioner__valid_until__lt=today)
    if name == ListFilter.SUSPENDED_OR_REVOKED:
        return Q(practitioner__status__in=[RegistrationStatus.SUSPENDED, RegistrationStatus.REVOKED])
    return Q()


# The list's columns: the public card, the entry, and the share code's state.
ENTRY_COLUMNS = {
    **{field: f"practitioner__{column}" for field, column in CARD_COLUMNS.items()},
    "entry_id": "pk",
    "added_at": "added_at",
    "share_code_expires_at": "share_code__expires_at",
    "share_code_revoked_at": "share_code__revoked_at",
}


@dataclass(frozen=True)
class WatchedRow:
    entry_id: int
    card: object
    added_at: object
    shares: bool


def watchlist_entries(organisation, list_filter, today):
    """The organisation's entries under a filter, as rows of values, alphabetical by Arabic name."""
    return (
        WatchedPractitioner.objects.filter(organisation=organisation)
        .filter(filter_condition(list_filter, today))
        .order_by("practitioner__profile__user__full_name_ar", "pk")
        .values(*ENTRY_COLUMNS.values())
    )


def watched_rows(values_rows, today, now=None):
    """WatchedRow for each row of `watchlist_entries`."""
    now = now or timezone.now()
    rows = []
    for values in values_rows:
        row = {field: values[column] for field, column in ENTRY_COLUMNS.items()}
        shares = (
            row["share_code_expires_at"] is not None
            and row["share_code_revoked_at"] is None
            and now < row["share_code_expires_at"]
        )
        rows.append(WatchedRow(row["entry_id"], card_from_values(row, today), row["added_at"], shares))
    return rows


def watched_entry(organisation, entry_id):
    """One entry of the organisation's list with its registration, or None."""
    return (
        WatchedPractitioner.objects.select_related(
            "practitioner__profile__user", "practitioner__profile__specialty", "share_code"
        )
        .filter(organisation=organisation, pk=entry_id)
        .first()
    )


def live_share_code(entry, now=None):
    """The entry's share code while the practitioner keeps it live, else None."""
    code = entry.share_code
    return code if code is not None and share_state(code, now) == ShareState.ACTIVE else None
