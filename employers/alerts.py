"""The daily email: each organisation is told once a day what changed for the practitioners it
watches — suspensions, revocations, reinstatements, renewals, expiries, and those whose last valid
day is now 30 days away.

Computed set-wise: the registrations that changed yesterday are found first (a few thousand at
most, through the events' and the validity date's indexes), then who watches them (one query
through the watchlist's (registration, organisation) index), never a query per watched
practitioner. Exactly once per organisation per day, however many servers run the job: the
DailyAlert rows (unique per organisation and day) and the outbox rows (unique keys) of a chunk of
organisations are written in one transaction, so the day is claimed and its emails queued
together or not at all. A chunk is a handful of statements, not a few per organisation: at 5,000
organisations with changes, per-organisation statements took 140 s on the shared machine.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.emails import queue_rendered_emails_at_once, render_email
from core.models import OutboundEmail
from registry.models import Registration, RegistrationEvent, RegistrationEventKind, RegistrationStatus
from registry.public import CARD_COLUMNS, card_from_values

from .models import DailyAlert, Organisation, OrganisationStatus, WatchedPractitioner

logger = logging.getLogger("mumaris.employers")
EXPIRY_NOTICE_DAYS = 30


class ChangeKind:
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    REINSTATED = "reinstated"
    RENEWED = "renewed"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    # The order the email lists them in: what stops practice first.
    ORDER = (SUSPENDED, REVOKED, EXPIRED, EXPIRING, REINSTATED, RENEWED)
    LABELS = {
        SUSPENDED: _("Suspended"),
        REVOKED: _("Revoked"),
        REINSTATED: _("Suspension lifted"),
        RENEWED: _("Renewed"),
        EXPIRED: _("Expired"),
        EXPIRING: _("Expires within 30 days"),
    }


EVENT_CHANGES = {
    RegistrationEventKind.SUSPENDED: ChangeKind.SUSPENDED,
    RegistrationEventKind.REVOKED: ChangeKind.REVOKED,
    RegistrationEventKind.REINSTATED: ChangeKind.REINSTATED,
    RegistrationEventKind.RENEWED: ChangeKind.RENEWED,
}


@dataclass(frozen=True)
class Change:
    kind: str
    card: object

    @property
    def label(self):
        return ChangeKind.LABELS[self.kind]


def day_bounds(day):
    """The start and end of `day` in the site's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def changed_registrations(today):
    """{registration id: {change kinds}} for what changed on the day before `today`."""
    yesterday = today - timedelta(days=1)
    start, end = day_bounds(yesterday)
    changes = defaultdict(set)
    events = RegistrationEvent.objects.filter(at__gte=start, at__lt=end, kind__in=EVENT_CHANGES).values_list(
        "registration_id", "kind"
    )
    for registration_id, kind in events.order_by():
        changes[registration_id].add(EVENT_CHANGES[kind])
    dated = Registration.objects.filter(
        status=RegistrationStatus.ACTIVE,
        valid_until__in=[yesterday, today + timedelta(days=EXPIRY_NOTICE_DAYS)],
    ).values_list("pk", "valid_until")
    for registration_id, valid_until in dated.order_by():
        changes[registration_id].add(ChangeKind.EXPIRED if valid_until == yesterday else ChangeKind.EXPIRING)
    return changes


def changes_by_organisation(today):
    """{organisation id: [Change, ...]} for the approved organisations watching a registration
    that changed; three queries in all."""
    changes = changed_registrations(today)
    if not changes:
        return {}
    cards = {
        row["pk"]: card_from_values({field: row[column] for field, column in CARD_COLUMNS.items()}, today)
        for row in Registration.objects.filter(pk__in=changes).values("pk", *CARD_COLUMNS.values()).order_by()
    }
    watchers = WatchedPractitioner.objects.filter(
        practitioner_id__in=changes, organisation__status=OrganisationStatus.APPROVED
    ).values_list("organisation_id", "practitioner_id")
    by_organisation = defaultdict(list)
    for organisation_id, registration_id in watchers.order_by():
        for kind in changes[registration_id]:
            by_organisation[organisation_id].append(Change(kind, cards[registration_id]))
    for listed in by_organisation.values():
        listed.sort(key=lambda change: (ChangeKind.ORDER.index(change.kind), change.card.membership_number))
    return by_organisation


def send_daily_alerts(today, chunk_size=500):
    """Queue today's email to each organisation with changes; returns how many were queued now."""
    by_organisation = changes_by_organisation(today)
    organisation_ids = sorted(by_organisation)
    sent = 0
    for start in range(0, len(organisation_ids), chunk_size):
        chunk = {pk: by_organisation[pk] for pk in organisation_ids[start : start + chunk_size]}
        sent += _send_chunk(chunk, today)
    logger.info("daily alerts day=%s organisations=%s queued=%s", today, len(by_organisation), sent)
    return sent


def _send_chunk(chunk, today, attempts=3):
    """Claim the day for the chunk's organisations not yet claimed, and queue their emails, in one
    transaction: a crash keeps neither, a rerun sends what is missing. When another server claims
    one of them at the same moment, the unique (organisation, day) refuses the insert and the chunk
    is tried again without it."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return _claim_and_queue(chunk, today)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    return 0


def _claim_and_queue(chunk, today):
    claimed = set(
        DailyAlert.objects.filter(day=today, organisation_id__in=chunk).values_list("organisation_id", flat=True)
    )
    organisations = list(
        Organisation.objects.filter(pk__in=chunk.keys() - claimed).select_related("requested_by").order_by("pk")
    )
    DailyAlert.objects.bulk_create(
        DailyAlert(organisation=organisation, day=today, change_count=len(chunk[organisation.pk]))
        for organisation in organisations
    )
    queue_rendered_emails_at_once(
        [_email(organisation, chunk[organisation.pk], today) for organisation in organisations]
    )
    return len(organisations)


def _email(organisation, changes, today):
    requester = organisation.requested_by
    subject, text_body, html_body = render_email(
        "employers/email/daily_alert",
        {"organisation": organisation, "changes": changes, "day": today},
        requester.preferred_language if requester else "ar",
    )
    return OutboundEmail(
        key=f"employers-daily-alert:{organisation.pk}:{today.isoformat()}",
        to_address=organisation.contact_email,
        subject=subject[:300],
        text_body=text_body,
        html_body=html_body,
    )
