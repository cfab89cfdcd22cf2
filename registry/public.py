"""What anyone may see of a registration: the public card, found by membership number or code.

Never the national ID, birth date, contact data or documents: the card is read from the
database as an explicit list of columns (CARD_COLUMNS), so a new field on the profile does not
appear here by accident. The public pages are among the busiest: each reads one row, as plain
values rather than four model instances.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.session_user import Table
from profiles.membership import format_membership_number, parse_membership_number
from profiles.models import Profession, Specialty

from .codes import parse_code
from .models import Certificate, Registration, RegistrationEvent, RegistrationEventKind, RegistrationStatus, ShareCode
from .validity import EXPIRED, RenewalWindow, effective_status, renewal_closes_on, renewal_window

STATUS_LABELS = {**dict(RegistrationStatus.choices), EXPIRED: _("Expired")}
# Card field ← the registration's column (paths from Registration).
CARD_COLUMNS = {
    "membership_number": "profile__membership_number",
    "name_ar": "profile__user__full_name_ar",
    "name_en": "profile__user__full_name_en",
    "profession": "profile__profession",
    "specialty_ar": "profile__specialty__name_ar",
    "specialty_en": "profile__specialty__name_en",
    "status": "status",
    "valid_until": "valid_until",
}
# The events that stop a registration: the latest one says since when a card is suspended or revoked.
STOPPING_EVENTS = (RegistrationEventKind.SUSPENDED, RegistrationEventKind.REVOKED)
STOPPED_STATUSES = (RegistrationStatus.SUSPENDED, RegistrationStatus.REVOKED)


@dataclass(frozen=True)
class PublicCard:
    membership_number: str
    name_ar: str
    name_en: str
    profession: str
    specialty_ar: str
    specialty_en: str
    status: str
    valid_until: date
    # When it was suspended or revoked (its latest such event); None while active or expired, or with no event.
    status_since: datetime | None = None

    @property
    def specialty(self):
        """In the page's language (the English name when there is one)."""
        return Specialty(name_ar=self.specialty_ar, name_en=self.specialty_en).name_in(get_language())

    @property
    def in_good_standing(self):
        return self.status == RegistrationStatus.ACTIVE

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def card_from_values(values, today=None):
    """The card from a row of CARD_COLUMNS (keyed by card field)."""
    return PublicCard(
        membership_number=format_membership_number(values["membership_number"] or ""),
        name_ar=values["name_ar"],
        name_en=values["name_en"],
        profession=Profession(values["profession"]).label,  # lazy: the page's language, not the view's
        specialty_ar=values["specialty_ar"],
        specialty_en=values["specialty_en"],
        status=effective_status(values["status"], values["valid_until"], today or timezone.localdate()),
        valid_until=values["valid_until"],
        status_since=values.get("status_since") if values["status"] in STOPPED_STATUSES else None,
    )


def _status_since(registration):
    """When the registration was last stopped: a subquery on the card's row, so the card stays one query."""
    events = RegistrationEvent.objects.filter(registration=registration, kind__in=STOPPING_EVENTS)
    return Subquery(events.order_by("-at", "-id").values("at")[:1])


def public_card(registration, today=None):
    """The card of a registration already loaded with its profile and user."""
    profile, user = registration.profile, registration.profile.user
    values = {
        "membership_number": profile.membership_number,
        "name_ar": user.full_name_ar,
        "name_en": user.full_name_en,
        "profession": profile.profession,
        "specialty_ar": profile.specialty.name_ar,
        "specialty_en": profile.specialty.name_en,
        "status": registration.status,
        "valid_until": registration.valid_until,
    }
    if registration.status in STOPPED_STATUSES:
        events = registration.events.filter(kind__in=STOPPING_EVENTS).order_by("-at", "-id")
        values["status_since"] = events.values_list("at", flat=True).first()
    return card_from_values(values, today)


def _card_row(queryset, prefix="", **extra):
    """One row of the card's columns (and `extra` ones) from `queryset`, or None."""
    columns = {field: prefix + column for field, column in CARD_COLUMNS.items()}
    columns["status_since"] = "status_since"
    queryset = queryset.annotate(status_since=_status_since(OuterRef(prefix + "pk")))
    row = queryset.order_by().values(*columns.values(), *extra.values()).first()
    if row is None:
        return None
    return {field: row[column] for field, column in {**columns, **extra}.items()}


def card_by_membership_number(text):
    """The card of the membership number typed (any common form), or None."""
    number = parse_membership_number(text)
    if number is None:
        return None
    row = _card_row(Registration.objects.filter(profile__membership_number=number))
    return card_from_values(row) if row else None


def card_by_certificate_code(code):
    """(card, whether a newer certificate replaced this one) for a certificate's code, or None."""
    row = _card_row(Certificate.objects.filter(code=code), "registration__", replaced_at="replaced_at")
    return (card_from_values(row), row["replaced_at"] is not None) if row else None


def share_code_by_code(code):
    return (
        ShareCode.objects.select_related("registration__profile__user", "registration__profile__specialty")
        .filter(code=code)
        .first()
    )


class PublicPage:
    """The public pages kept in the cache, by what names them."""

    NUMBER = "number"
    CERTIFICATE = "certificate"


def public_page_key(kind, lookup, language):
    return f"registry:public:{kind}:{lookup}:{language}"


def forget_public_pages(registration):
    """Drop the kept public pages of a registration (its number and every certificate's code),
    so a change shows at once rather than after VERIFY_CACHE_SECONDS."""
    numbers = Registration.objects.filter(pk=registration.pk).values_list("profile__membership_number", flat=True)
    codes = Certificate.objects.filter(registration=registration).values_list("code", flat=True)
    pages = [(PublicPage.NUMBER, number) for number in numbers] + [(PublicPage.CERTIFICATE, code) for code in codes]
    cache.delete_many([public_page_key(*page, language) for page in pages for language, _name in settings.LANGUAGES])


def looks_like_code(text):
    return parse_code(text) is not None


@dataclass(frozen=True)
class Standing:
    """The practitioner's own registration as their pages show it, with the renewal banner's facts:
    `renewal_open` from RENEWAL_OPENS_DAYS before the last valid day until the grace period ends,
    while the registration is neither suspended nor revoked."""

    card: PublicCard
    days_left: int
    renewal_open: bool
    renewal_closes_on: date


@functools.cache
def _registration_statement(alias):
    """The registration of a profile id: a fixed statement over the model's columns, built once a
    process (so it follows a migration), and how to make its row an instance."""
    connection = connections[alias]
    table = Table(Registration, "r", connection)
    quote = connection.ops.quote_name
    profile_column = quote(Registration._meta.get_field("profile").column)
    # The names are the model's own.
    sql = f"SELECT {', '.join(table.columns)} FROM {quote(Registration._meta.db_table)} r WHERE r.{profile_column} = %s"  # noqa: S608  # nosec B608
    return table, sql


def registration_of_profile(profile):
    """`profile.registration`, or None when there is none, read by one fixed statement and kept
    on the profile as the ORM keeps it (`profile.registration` asks no more).

    Every page of a practitioner reads it (the renewal banner, the services, the certificate):
    the ORM compiled that one-row query each time, about 0.3 ms, six times the statement's own.
    The session's user comes with it already (registry.apps), so this reads only for a profile
    read some other way."""
    link = Registration._meta.get_field("profile")
    if link.remote_field.is_cached(profile):
        return link.remote_field.get_cached_value(profile)
    alias = router.db_for_read(Registration, instance=profile)
    connection = connections[alias]
    table, sql = _registration_statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [profile.pk])
        row = cursor.fetchone()
    registration = table.instance(row, connection) if row is not None else None
    link.remote_field.set_cached_value(profile, registration)
    if registration is not None:
        link.set_cached_value(registration, profile)
    return registration


def registration_of(user):
    """The practitioner's registration (None for applicants and visitors), read through the
    profile the log-in already loaded."""
    profile = getattr(user, "practitioner_profile", None)
    return registration_of_profile(profile) if profile is not None else None


def standing_of(profile, today=None):
    """None for someone not registered."""
    registration = registration_of_profile(profile) if profile is not None else None
    if registration is None:
        return None
    today = today or timezone.localdate()
    card = public_card(registration, today)
    window = renewal_window(registration.valid_until, today, settings.RENEWAL_GRACE_DAYS)
    return Standing(
        card=card,
        days_left=(registration.valid_until - today).days,
        renewal_open=card.status in (RegistrationStatus.ACTIVE, EXPIRED) and window == RenewalWindow.OPEN,
        renewal_closes_on=renewal_closes_on(registration.valid_until, settings.RENEWAL_GRACE_DAYS),
    )
