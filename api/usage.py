"""What tokens were used for: requests per token and day, registrations returned per
organisation, practitioner and day (the practitioner's access-log page reads the latter).

Each count is one upsert (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, on
PostgreSQL and SQLite alike), so a request adds one or two statements whatever it returned and
two servers counting the same row at once both count.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import ApiLookup, ApiTokenUse


def _count(model, key_columns, count_column, rows):
    """Add each row's last value to the count of the row with its key values."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, count_column]
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608  # nosec B608 (names are ours)
        f"ON CONFLICT ({', '.join(key_columns)}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + excluded.{count_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def record_request(token_id, day=None):
    _count(ApiTokenUse, ("token_id", "day"), "requests", [(token_id, day or timezone.localdate(), 1)])


def record_lookups(organisation_id, registration_ids, day=None):
    """One look-up of each registration (a number asked twice in one request counts once)."""
    day = day or timezone.localdate()
    rows = [(registration_id, day, organisation_id, 1) for registration_id in sorted(set(registration_ids))]
    if rows:
        _count(ApiLookup, ("practitioner_id", "day", "organisation_id"), "lookups", rows)


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
