"""What tokens were used for: requests per token and day, registrations returned per
organisation, practitioner and day (the practitioner's access-log page reads the latter).

Each count is one upsert (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, on
PostgreSQL and SQLite alike), so a request adds one or two statements whatever it returned, and
two servers counting the same row at once both count.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import ApiLookup, ApiTokenUse


def _upsert(model, key_columns, count_column, rows):
    """(sql, params) adding each row's last value to the count of the row with its key values."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, count_column]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608  # nosec B608 (names are ours)
        f"ON CONFLICT ({', '.join(key_columns)}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + excluded.{count_column}"
    )
    return sql, [value for row in rows for value in row]


def record_use(token_id, organisation_id, registration_ids=(), day=None):
    """One request of the token, and the registrations it returned (a number asked twice in one
    request counts once), in one transaction.

    On PostgreSQL that is one round trip: the statements go as one string, which PostgreSQL runs
    as one transaction; and its commit does not wait for the log to reach the disk
    (synchronous_commit off, for this transaction only): a count is not worth a flush on the hot
    path, and a crash of the database server could lose the counts of its last fraction of a
    second, never a half-written row. SQLite takes one statement at a time."""
    day = day or timezone.localdate()
    statements = [_upsert(ApiTokenUse, ("token_id", "day"), "requests", [(token_id, day, 1)])]
    looked_up = [(registration_id, day, organisation_id, 1) for registration_id in sorted(set(registration_ids))]
    if looked_up:
        statements.append(_upsert(ApiLookup, ("practitioner_id", "day", "organisation_id"), "lookups", looked_up))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "; ".join(["SET LOCAL synchronous_commit TO OFF", *(sql for sql, _params in statements)])
            cursor.execute(sql, [value for _sql, params in statements for value in params])
        else:
            with transaction.atomic():
                for sql, params in statements:
                    cursor.execute(sql, params)


def lookups_of(user, limit=100):
    """The latest days on which organisations' API requests returned the person's registration,
    newest first: each with its day, organisation and look-ups that day."""
    lookups = ApiLookup.objects.filter(practitioner__profile__user=user).select_related("organisation")
    only = ("day", "lookups", "organisation__name_ar", "organisation__name_en")
    return list(lookups.only(*only).order_by("-day", "organisation_id")[:limit])


def prune_lookups(now=None):
    """Counts older than the access log's retention go with it (ACCESS_LOG_RETENTION_DAYS)."""
    cutoff = timezone.localdate(now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    lookups, _by_model = ApiLookup.objects.filter(day__lt=cutoff).delete()
    uses, _by_model = ApiTokenUse.objects.filter(day__lt=cutoff).delete()
    return lookups + uses
