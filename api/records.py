"""What the API returns about a registration: the public record (the columns the public
verification page shows, registry.public.CARD_COLUMNS), and what a share code the practitioner
gave the asking organisation adds while it is valid.

Labels (profession, status) come in both languages, so an answer does not depend on the
request's language; codes are what programs compare.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Case, F, Q, When
from django.utils import timezone, translation

from core.statements import PreparedStatement, read_checking_the_connection
from employers.models import WatchedPractitioner
from profiles.membership import format_membership_number, parse_membership_number
from profiles.models import Profession, ProfileChange, Specialty
from registry.models import Registration, RegistrationEvent, ShareCode
from registry.public import CARD_COLUMNS, STATUS_LABELS
from registry.sharing import WORK_HISTORY_FIELDS
from registry.validity import effective_status

from .errors import ApiError
from .tokens import TOKEN_COLUMNS, TOKEN_FROM, client_of

BATCH_LIMIT = 100
WATCHLIST_PAGE_SIZE = 500


@cache
def labels(language):
    """Profession and status labels in one language, worked out once per process."""
    with translation.override(language):
        return {
            "profession": {code: str(label) for code, label in Profession.choices},
            "status": {code: str(label) for code, label in STATUS_LABELS.items()},
        }


# Row key ← column, from a registration.
COLUMNS = {"id": "id", "profile_id": "profile_id", **CARD_COLUMNS}


def _joined_columns(model, paths):
    """({path: "alias.column"}, FROM clause) reading each ORM path (e.g. "profile__user__full_name_ar")
    from `model`'s table: each relation on the way joined once, by an inner join unless it may be null."""
    aliases = {"": model._meta.model_name}
    models = {"": model}
    joins, columns = [], {}
    for path in paths:
        *relations, name = path.split("__")
        prefix = ""
        for relation in relations:
            parent, prefix = prefix, f"{prefix}__{relation}" if prefix else relation
            if prefix not in aliases:
                field = models[parent]._meta.get_field(relation)
                models[prefix], aliases[prefix] = field.related_model, prefix.replace("__", "_")
                joins.append(
                    f"{'LEFT JOIN' if field.null else 'JOIN'} {field.related_model._meta.db_table} {aliases[prefix]}"
                    f" ON {aliases[prefix]}.{field.target_field.column} = {aliases[parent]}.{field.column}"
                )
        columns[path] = f"{aliases[prefix]}.{models[prefix]._meta.get_field(name).column}"
    return columns, " ".join([f"{model._meta.db_table} {aliases['']}", *joins])


# A look-up is the API's hot path and the ORM's compiling of this query cost more than the rest
# of the request, so it is one fixed statement, built here once from COLUMNS (the public card's
# columns, registry.public), and on PostgreSQL planned once per connection (core.statements): the
# registrations by membership number, each with the share code the practitioner gave this
# organisation on its watchlist entry, if still valid. The names are ours.
_COLUMNS, _FROM = _joined_columns(Registration, COLUMNS.values())
_NUMBER = _COLUMNS[CARD_COLUMNS["membership_number"]]


def _shared_code(organisation):
    """The subquery of the share code the organisation (an SQL expression) may use for the row's registration."""
    return (
        "SELECT watched.share_code_id"  # noqa: S608  # nosec B608
        f" FROM {WatchedPractitioner._meta.db_table} watched"
        f" JOIN {ShareCode._meta.db_table} code ON code.id = watched.share_code_id"
        f" WHERE watched.organisation_id = {organisation} AND watched.practitioner_id = {_COLUMNS['id']}"
        f" AND code.registration_id = {_COLUMNS['id']} AND code.revoked_at IS NULL AND code.expires_at > %s"
        " ORDER BY watched.added_at DESC, watched.id DESC LIMIT 1"
    )


RECORDS_SQL = f"SELECT {', '.join(_COLUMNS.values())}, ({_shared_code('%s')}) FROM {_FROM} WHERE {_NUMBER}"  # noqa: S608  # nosec B608
RECORDS_ROW_KEYS = [*COLUMNS, "shared_code_id"]
# The numbers as one array: one plan for any number of them.
RECORDS_STATEMENT = PreparedStatement("api_records", RECORDS_SQL + " = ANY(%s)", ["bigint", "timestamptz", "varchar[]"])
# A single look-up reads the token and the records in one statement, one round trip: the token's
# row (tokens.TOKEN_COLUMNS) on every row, the records' columns empty when no number is found.
LOOKUP_SQL = (
    f"SELECT {TOKEN_COLUMNS}, {', '.join(_COLUMNS.values())}, ({_shared_code('token.organisation_id')})"  # noqa: S608  # nosec B608
    f" FROM {TOKEN_FROM} LEFT JOIN ({_FROM}) ON {_NUMBER}"
)
LOOKUP_STATEMENT = PreparedStatement(
    "api_lookup", LOOKUP_SQL + " = ANY(%s) WHERE token.prefix = %s", ["timestamptz", "varchar[]", "varchar"]
)
TOKEN_WIDTH = len(TOKEN_COLUMNS.split(","))


def _rows(queryset, prefix="", extra=("shared_code_id",)):
    """The record's columns (keys of COLUMNS, and the `extra` annotations) of each row of
    `queryset`, whose registration is at `prefix`: one query."""
    columns = {key: prefix + column for key, column in COLUMNS.items()} | {name: name for name in extra}
    return [{key: row[column] for key, column in columns.items()} for row in queryset.values(*columns.values())]


def _record(row, today, shared):
    arabic, english = labels("ar"), labels("en")
    status = effective_status(row["status"], row["valid_until"], today)
    profession = row["profession"]
    return {
        "membership_number": format_membership_number(row["membership_number"] or ""),
        "name_ar": row["name_ar"],
        "name_en": row["name_en"],
        "profession": profession,
        "profession_ar": arabic["profession"][profession],
        "profession_en": english["profession"][profession],
        "specialty_ar": row["specialty_ar"],
        # The Arabic name stands in where staff have not given an English one (as on the certificate).
        "specialty_en": row["specialty_en"] or row["specialty_ar"],
        "status": status,
        "status_ar": arabic["status"][status],
        "status_en": english["status"][status],
        "valid_until": row["valid_until"],
        "shared": shared.get(row["shared_code_id"]),
    }


def _shared_extras(rows):
    """What each valid share code among `rows` adds, by its id: three queries when any has one, none otherwise."""
    code_ids = {row["shared_code_id"] for row in rows} - {None}
    if not code_ids:
        return {}
    codes = ShareCode.objects.filter(pk__in=code_ids).values(
        "id", "expires_at", "shares_work_history", "shares_timeline"
    )
    codes = {code["id"]: code for code in codes}
    by_code = {row["shared_code_id"]: row for row in rows if row["shared_code_id"] in codes}
    history, events = defaultdict(list), defaultdict(list)
    profile_ids = [row["profile_id"] for id_, row in by_code.items() if codes[id_]["shares_work_history"]]
    for change in (
        ProfileChange.objects.filter(profile_id__in=profile_ids, field__in=WORK_HISTORY_FIELDS)
        .order_by("changed_at", "id")
        .values("profile_id", "changed_at", "field", "old_value", "new_value")
    ):
        history[change.pop("profile_id")].append(change)
    _name_specialties([change for changes in history.values() for change in changes])
    registration_ids = [row["id"] for id_, row in by_code.items() if codes[id_]["shares_timeline"]]
    # The timeline as the share-code page shows it: what and when, never the reasons.
    for event in (
        RegistrationEvent.objects.filter(registration_id__in=registration_ids)
        .order_by("at", "id")
        .values("registration_id", "kind", "at", "valid_until")
    ):
        events[event.pop("registration_id")].append(event)
    return {
        id_: {
            "expires_at": codes[id_]["expires_at"],
            "work_history": history[row["profile_id"]] if codes[id_]["shares_work_history"] else None,
            "timeline": events[row["id"]] if codes[id_]["shares_timeline"] else None,
        }
        for id_, row in by_code.items()
    }


def _name_specialties(changes):
    """A specialty change is kept as the entries' ids: give their names in the request's language
    instead (one query, only when a specialty changed)."""
    ids = {change[side] for change in changes if change["field"] == "specialty" for side in ("old_value", "new_value")}
    ids = {int(value) for value in ids if value and str(value).isdigit()}
    if not ids:
        return
    language = translation.get_language()
    names = {str(entry.pk): entry.name_in(language) for entry in Specialty.objects.filter(pk__in=ids)}
    for change in changes:
        if change["field"] == "specialty":
            for side in ("old_value", "new_value"):
                change[side] = names.get(str(change[side]), change[side])


def _records(rows, today):
    """Each row's record, in order."""
    shared = _shared_extras(rows)
    return [_record(row, today, shared) for row in rows]


def parse_numbers(text):
    """The comma-separated numbers of a batch request, as [(what was typed, stored digits or None)]."""
    typed = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not typed:
        raise ApiError("no_numbers")
    if len(typed) > BATCH_LIMIT:
        raise ApiError("too_many_numbers", limit=BATCH_LIMIT)
    return [(text, parse_membership_number(text)) for text in typed]


def records_by_number(organisation_id, numbers, now=None):
    """{stored number: (registration id, record)} of the registrations among `numbers`."""
    now = now or timezone.now()
    numbers = sorted(set(numbers))
    if not numbers:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            RECORDS_STATEMENT.execute(cursor, [organisation_id, now, numbers])
        else:  # no arrays: a placeholder for each number
            placeholders = ", ".join(["%s"] * len(numbers))
            adapted_now = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(f"{RECORDS_SQL} IN ({placeholders})", [organisation_id, adapted_now, *numbers])
        return _found(cursor.fetchall(), now)


def look_up(bearer, numbers, now=None):
    """(the client of `bearer`, {stored number: (registration id, record)} of the registrations
    among `numbers`), the token and the records read in one statement, which is also the
    connection's health check (core.statements.read_checking_the_connection); raises ApiError when
    the token is refused, whatever was found."""
    now = now or timezone.now()
    numbers = sorted(set(numbers))

    def read(cursor):
        if connection.vendor == "postgresql":
            LOOKUP_STATEMENT.execute(cursor, [now, numbers, bearer.prefix])
        else:
            placeholders = ", ".join(["%s"] * len(numbers))
            adapted_now = connection.ops.adapt_datetimefield_value(now)
            sql = f"{LOOKUP_SQL} IN ({placeholders}) WHERE token.prefix = %s"
            cursor.execute(sql, [adapted_now, *numbers, bearer.prefix])
        return cursor.fetchall()

    rows = read_checking_the_connection(read)
    client = client_of(bearer, rows[0][:TOKEN_WIDTH] if rows else None, now)
    return client, _found([row[TOKEN_WIDTH:] for row in rows if row[TOKEN_WIDTH] is not None], now)


def _found(rows, now):
    """{stored number: (registration id, record)} of the records' rows (RECORDS_ROW_KEYS)."""
    rows = [dict(zip(RECORDS_ROW_KEYS, row, strict=True)) for row in rows]
    for row in rows:
        row["valid_until"] = _date(row["valid_until"])
    records = _records(rows, timezone.localdate(now))
    return {row["membership_number"]: (row["id"], record) for row, record in zip(rows, records, strict=True)}


def _date(value):
    """A date read by a raw statement: a date on PostgreSQL, its ISO text on SQLite."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class WatchlistPage:
    records: list
    number: int
    has_next: bool
    count: int  # entries on every page together


def watchlist_page(organisation_id, *, since=None, page=1, now=None):
    """One page (its number as typed) of the organisation's watchlist, oldest entry first; with
    `since`, only the entries added or changed since then: status or validity changed, renewed, a
    name or specialty changed, or expired (the last valid day has passed since). Two queries, three
    more when a share code adds something."""
    now = now or timezone.now()
    entries = WatchedPractitioner.objects.filter(organisation_id=organisation_id)
    if since is not None:
        last_valid_day_then = timezone.localdate(since) - timedelta(days=1)
        entries = entries.filter(
            Q(added_at__gte=since)
            | Q(practitioner__updated_at__gte=since)
            | Q(practitioner__profile__updated_at__gte=since)
            | Q(
                practitioner__valid_until__gte=last_valid_day_then,
                practitioner__valid_until__lt=timezone.localdate(now),
            )
        )
    # The entry's share code counts while it is the practitioner's own and still valid.
    valid_code = Q(
        share_code__registration=F("practitioner"), share_code__revoked_at__isnull=True, share_code__expires_at__gt=now
    )
    entries = entries.annotate(
        shared_code_id=Case(When(valid_code, then=F("share_code_id")), default=None),
        watched_since=F("added_at"),
    ).order_by("id")
    paginator = Paginator(entries, WATCHLIST_PAGE_SIZE)
    try:
        listed = paginator.page(page)
    except (EmptyPage, PageNotAnInteger) as error:
        raise ApiError("bad_page", pages=paginator.num_pages) from error
    rows = _rows(listed.object_list, "practitioner__", extra=("shared_code_id", "watched_since"))
    records = _records(rows, timezone.localdate(now))
    for row, record in zip(rows, records, strict=True):
        record["watched_since"] = row["watched_since"]
    return WatchlistPage(records=records, number=listed.number, has_next=listed.has_next(), count=paginator.count)
