"""What tokens were used for: requests per token and day, registrations returned per
organisation, practitioner and day (the practitioner's access-log page reads the latter).

Where the counts are added up depends on the rate limits' store:
- With Redis (LIMITS_CACHE_URL, production) a request adds its counts to a tally there, in the
  round trip of its rate limit's hit (a Redis that never evicts, so nothing is lost to memory
  pressure), and the job
  `flush_api_counts` writes the tally to the tables every 5 minutes, each count once. An upsert on
  every request cost PostgreSQL more CPU than the rest of a look-up, the benchmark's 16 clients
  updating the same two rows.
- Without (the table store, the embedded default) each request writes its counts at once.
Either way a count is one upsert a row (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`,
on PostgreSQL and SQLite alike), so two servers counting the same row at once both count. The day
is the request's, in the site's time zone (TIME_ZONE), whenever it is written.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from core.fixed_reads import fixed_read
from core.limit_store import RedisCounterStore, Tally
from core.limits import LIMITS
from employers.models import Organisation
from registry.models import Registration

from .errors import ApiError
from .models import ApiCountBatch, ApiLookup, ApiToken, ApiTokenUse

TALLY = "api-counts"
# What the access-log page says of the counts' freshness: the job's period (api/tasks.py).
FLUSHED_EVERY_MINUTES = 5
# Rows in one statement when a batch is written (SQLite allows 32,766 parameters).
ROWS_A_STATEMENT = 500
# The access log shows this many latest days of look-ups (organisation by organisation).
LOOKUP_DAYS_SHOWN = 100
# A batch's id is kept this long: far longer than a batch can wait in Redis for its job.
BATCH_IDS_KEPT = timedelta(days=7)


def tally_store():
    """The limits' Redis, where requests add up their counts; None when the counts are written at once."""
    store = caches[settings.RATELIMIT_USE_CACHE]
    return store if isinstance(store, RedisCounterStore) else None


def minutes_behind():
    """How far behind the tables the latest counts may be: the job's period with Redis; None when
    each request writes its counts at once."""
    return FLUSHED_EVERY_MINUTES if tally_store() is not None else None


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


def _statements(uses, lookups):
    """The upserts adding `uses` [(token id, day, requests)] and `lookups` [(registration id, day,
    organisation id, look-ups)] to the tables."""
    tables = [
        (ApiTokenUse, ("token_id", "day"), "requests", uses),
        (ApiLookup, ("practitioner_id", "day", "organisation_id"), "lookups", lookups),
    ]
    return [
        _upsert(model, key_columns, count_column, rows[start : start + ROWS_A_STATEMENT])
        for model, key_columns, count_column, rows in tables
        for start in range(0, len(rows), ROWS_A_STATEMENT)
    ]


class Metered:
    """One request's accounting, once its token is accepted: a hit on the token's rate limit and a
    use of the token (with the registrations it returned), each counted once, and both in one round
    trip with Redis when they are counted together."""

    def __init__(self, client):
        self.client = client
        self.hit = self.used = False

    def let_through(self, registration_ids=None):
        """Count the hit, and the use with `registration_ids` unless None; raises
        ApiError("rate_limited") when the token's limit is reached (a refused request is no use)."""
        self.hit = True
        store = tally_store()
        tally = None
        if registration_ids is not None and store is not None:
            tally = Tally(TALLY, self._counts(registration_ids))
        usage = LIMITS["api-token"].count(value=f"token-{self.client.token_id}", tally=tally)
        if usage is not None and usage["should_limit"]:
            self.used = True
            # A window that ends within this second says 0: come back in one.
            raise ApiError("rate_limited", seconds=max(usage["time_left"], 1))
        if registration_ids is not None:
            if tally is None or usage is None:  # not added up with the hit
                self.count_use(registration_ids)
            self.used = True

    def count_use(self, registration_ids=()):
        """Count the use (a number asked twice in one request counts once): added to the tally in
        Redis, or written at once."""
        self.used = True
        store = tally_store()
        if store is not None:
            store.add_up(Tally(TALLY, self._counts(registration_ids)))
        else:
            record_use(self.client.token_id, self.client.organisation_id, registration_ids)

    def settle(self, registration_ids=()):
        """The request is answered, or refused after its token was accepted: count what is not yet."""
        if not self.hit:
            self.let_through(registration_ids)
        elif not self.used:
            self.count_use(registration_ids)

    def _counts(self, registration_ids):
        day = timezone.localdate()
        counts = {f"use:{self.client.token_id}:{day}": 1}
        organisation = self.client.organisation_id
        counts.update((f"lookup:{id_}:{organisation}:{day}", 1) for id_ in sorted(set(registration_ids)))
        return counts


def record_use(token_id, organisation_id, registration_ids=(), day=None):
    """Write one request of the token, and the registrations it returned, at once, in one transaction.

    On PostgreSQL that is one round trip: the statements go as one string, which PostgreSQL runs
    as one transaction; and its commit does not wait for the log to reach the disk
    (synchronous_commit off, for this transaction only): a count is not worth a flush on the hot
    path, and a crash of the database server could lose the counts of its last fraction of a
    second, never a half-written row. SQLite takes one statement at a time."""
    day = day or timezone.localdate()
    looked_up = [(registration_id, day, organisation_id, 1) for registration_id in sorted(set(registration_ids))]
    statements = _statements([(token_id, day, 1)], looked_up)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "; ".join(["SET LOCAL synchronous_commit TO OFF", *(sql for sql, _params in statements)])
            cursor.execute(sql, [value for _sql, params in statements for value in params])
        else:
            with transaction.atomic():
                for sql, params in statements:
                    cursor.execute(sql, params)


def _parse_tally(counts):
    """The tally's fields ("use:<token>:<day>", "lookup:<registration>:<organisation>:<day>") as the
    rows of the two tables, leaving out those whose token, registration or organisation is gone."""
    uses, lookups = [], []
    for field, count in counts.items():
        kind, *ids, day = field.split(":")
        row = (*map(int, ids), date.fromisoformat(day), count)
        (uses if kind == "use" else lookups).append(row)
    tokens = set(ApiToken.objects.filter(pk__in={row[0] for row in uses}).values_list("pk", flat=True))
    registrations = Registration.objects.filter(pk__in={row[0] for row in lookups}).values_list("pk", flat=True)
    organisations = Organisation.objects.filter(pk__in={row[1] for row in lookups}).values_list("pk", flat=True)
    registrations, organisations = set(registrations), set(organisations)
    uses = sorted(row for row in uses if row[0] in tokens)
    lookups = sorted(
        (registration, day, organisation, count)
        for registration, organisation, day, count in lookups
        if registration in registrations and organisation in organisations
    )
    return uses, lookups


def flush_counts(now=None):
    """Write the requests' counts added up in Redis to the tables, each batch once: the batch's id
    is written in the same transaction as its counts, and the batch is dropped from Redis after.
    A job stopped before the drop finds the batch again, sees its id, and only drops it. Returns
    the rows written (0 when the counts are written at once)."""
    store = tally_store()
    if store is None:
        return 0
    batch = store.take_batch(TALLY, uuid.uuid4().hex)
    if batch is None:
        return 0
    batch_id, counts = batch
    uses, lookups = _parse_tally(counts)
    with transaction.atomic():
        _batch, new = ApiCountBatch.objects.get_or_create(batch=batch_id)
        if new:
            with connection.cursor() as cursor:
                for sql, params in _statements(uses, lookups):
                    cursor.execute(sql, params)
        kept_since = (now or timezone.now()) - BATCH_IDS_KEPT
        ApiCountBatch.objects.filter(written_at__lt=kept_since).delete()
    store.drop_batch(TALLY, batch_id)
    return len(uses) + len(lookups) if new else 0


def lookups_of(registration):
    """The latest days on which organisations' API requests returned the registration, newest
    first: each with its day, organisation and look-ups that day (none for None: not registered)."""
    if registration is None:
        return []
    return _lookups_of(registration.pk)


@fixed_read
def _lookups_of(registration_id):
    lookups = ApiLookup.objects.filter(practitioner=registration_id).select_related("organisation")
    only = ("day", "lookups", "organisation__name_ar", "organisation__name_en")
    return lookups.only(*only).order_by("-day", "organisation_id")[:LOOKUP_DAYS_SHOWN]


def prune_lookups(now=None):
    """Counts older than the access log's retention go with it (ACCESS_LOG_RETENTION_DAYS)."""
    cutoff = timezone.localdate(now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    lookups, _by_model = ApiLookup.objects.filter(day__lt=cutoff).delete()
    uses, _by_model = ApiTokenUse.objects.filter(day__lt=cutoff).delete()
    return lookups + uses
