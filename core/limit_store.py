"""Where the rate limits count: a table that never culls and never shortens a window.

django-ratelimit counts through a Django cache alias (`RATELIMIT_USE_CACHE`): `add` opens a
window's counter with its expiry, `incr` counts, `get` reads. Django's database cache does
`incr` as a get and a set with the cache's default timeout (so every counter lived five minutes
after its latest hit), and culls a third of its rows past MAX_ENTRIES (so anyone could erase the
counters by writing keys). This backend keeps integers only, in `portal.RateCounter`:
- `add` inserts, or replaces a row whose window has ended; a live row is never touched;
- `incr` is one `UPDATE … SET hits = hits + 1 … RETURNING`: atomic across workers and servers,
  and it never changes the expiry set when the window opened;
- nothing is deleted but expired rows (the hourly `prune_rate_counters` job).
With Redis (LIMITS_CACHE_URL) Django's RedisCache does the same: `add` is SET NX EX, `incr` is
INCR, which keeps the key's expiry; that Redis must not evict (`maxmemory-policy noeviction`).

Both count a rate limit's hit in one round trip, `count_hit(key, timeout)` (core.limits): the
counter of a live window goes up by one and keeps its expiry; a missing or ended one starts at
one, ending `timeout` seconds on.
"""

import time
from dataclasses import dataclass
from functools import cached_property

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router

from .redis_cache import RedisCache


class CounterStore(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        from .models import RateCounter  # the backend is built before the apps are ready

        self.model = RateCounter
        self.table = RateCounter._meta.db_table

    def _cursor(self, write):
        alias = router.db_for_write(self.model) if write else router.db_for_read(self.model)
        connection = connections[alias]
        return connection.cursor(), connection.ops.quote_name(self.table)

    @staticmethod
    def _check_counter(value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("the rate-limit store keeps integer counters only")

    def _expiry(self, timeout):
        """When a counter opened now with `timeout` ends, on the rate limiter's clock."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        # No timeout means "forever": a counter still ends, a year on.
        return time.time() + (timeout if timeout is not None else 365 * 24 * 3600)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._check_counter(value)
        cursor, table = self._cursor(write=True)
        with cursor:
            cursor.execute(
                f'INSERT INTO {table} ("key", hits, expires_at) VALUES (%s, %s, %s) '  # noqa: S608  # nosec B608
                'ON CONFLICT ("key") DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at '
                f'WHERE {table}.expires_at <= %s RETURNING "key"',
                [key, value, self._expiry(timeout), time.time()],
            )
            return cursor.fetchone() is not None

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._check_counter(value)
        cursor, table = self._cursor(write=True)
        with cursor:
            cursor.execute(
                f'INSERT INTO {table} ("key", hits, expires_at) VALUES (%s, %s, %s) '  # noqa: S608  # nosec B608
                'ON CONFLICT ("key") DO UPDATE SET hits = excluded.hits, expires_at = excluded.expires_at',
                [key, value, self._expiry(timeout)],
            )

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        cursor, table = self._cursor(write=True)
        with cursor:
            cursor.execute(
                f'UPDATE {table} SET hits = hits + %s WHERE "key" = %s AND expires_at > %s RETURNING hits',  # noqa: S608  # nosec B608
                [delta, key, time.time()],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key {key!r} not found.")
        return row[0]

    def count_hit(self, key, timeout, version=None):
        """One more hit on `key`'s counter, in one statement: the count after it."""
        key = self.make_and_validate_key(key, version=version)
        now = time.time()
        cursor, table = self._cursor(write=True)
        with cursor:
            cursor.execute(
                f'INSERT INTO {table} ("key", hits, expires_at) VALUES (%s, 1, %s) '  # noqa: S608  # nosec B608
                'ON CONFLICT ("key") DO UPDATE SET '
                f"hits = CASE WHEN {table}.expires_at <= %s THEN 1 ELSE {table}.hits + 1 END, "
                f"expires_at = CASE WHEN {table}.expires_at <= %s THEN excluded.expires_at ELSE {table}.expires_at END "
                "RETURNING hits",
                [key, self._expiry(timeout), now, now],
            )
            return cursor.fetchone()[0]

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self.model.objects.filter(key=key, expires_at__gt=time.time()).values_list("hits", flat=True).first()
        return default if row is None else row

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        live = self.model.objects.filter(key=key, expires_at__gt=time.time())
        return live.update(expires_at=self._expiry(timeout)) > 0

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.model.objects.filter(key=key).delete()[0] > 0

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.model.objects.filter(key=key, expires_at__gt=time.time()).exists()

    def clear(self):
        self.model.objects.all().delete()


# Atomic in Redis: the counter goes up by one; the hit that opens it sets its expiry, never moved
# after. With a second key, a tally (below): the counts in ARGV[3…] are added to it when the count
# is at most ARGV[2], in the same round trip.
COUNT_HIT_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if KEYS[2] and hits <= tonumber(ARGV[2]) then
  for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
return hits
"""
# A tally is a hash of counts (field → count) that requests add to, taken in batches by a job that
# writes them to the database. A batch is the tally renamed under the batch key (new requests start
# a new tally) with an id; it stays until dropped by that id, so a job that fails before writing it
# finds it again and nothing is lost. The field "#batch" holds the id.
ADD_UP_SCRIPT = """
for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
"""
TAKE_BATCH_SCRIPT = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return false end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '#batch', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
"""
DROP_BATCH_SCRIPT = """
if redis.call('HGET', KEYS[1], '#batch') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Tally:
    """Counts ({field: n}) to add to the tally `key`."""

    key: str
    counts: dict


class RedisCounterStore(RedisCache):
    """The Redis cache (LIMITS_CACHE_URL, core.redis_cache), counting a hit in one round trip, and
    keeping tallies: counts that are not security state but would cost the database a write a request."""

    @cached_property
    def _client(self):
        return self._cache.get_client(write=True)

    @cached_property
    def _count_hit_script(self):
        return self._client.register_script(COUNT_HIT_SCRIPT)

    def count_hit(self, key, timeout, version=None, tally=None, allowed=None):
        """One more hit on `key`'s counter: the count after it; with `tally` (a Tally), its counts
        added up in the same round trip when the count is at most `allowed`."""
        keys, args = [self.make_and_validate_key(key, version=version)], [timeout]
        if tally is not None:
            keys.append(self.make_and_validate_key(tally.key))
            args.append(allowed)
            args.extend(value for field, count in tally.counts.items() for value in (field, count))
        return self._count_hit_script(keys=keys, args=args)

    @cached_property
    def _add_up_script(self):
        return self._client.register_script(ADD_UP_SCRIPT)

    def add_up(self, tally):
        """Add a Tally's counts to it, in one round trip."""
        args = [value for field, count in tally.counts.items() for value in (field, count)]
        self._add_up_script(keys=[self.make_and_validate_key(tally.key)], args=args)

    def take_batch(self, key, new_id):
        """(id, {field: count}) of the tally's batch not yet dropped, or of the tally as it is now,
        which becomes the batch `new_id`; None when there is nothing to take."""
        keys = [self.make_and_validate_key(key), self.make_and_validate_key(f"{key}:batch")]
        flat = self._client.register_script(TAKE_BATCH_SCRIPT)(keys=keys, args=[new_id])
        if not flat:
            return None
        fields = {field.decode(): value for field, value in zip(flat[::2], flat[1::2], strict=True)}
        batch_id = fields.pop("#batch").decode()
        return batch_id, {field: int(count) for field, count in fields.items()}

    def drop_batch(self, key, batch_id):
        """Forget the batch `batch_id` of the tally `key` (once written); a newer batch stays."""
        drop = self._client.register_script(DROP_BATCH_SCRIPT)
        drop(keys=[self.make_and_validate_key(f"{key}:batch")], args=[batch_id])


def prune_expired_counters(now=None):
    """Delete the counters whose window has ended; returns how many."""
    from .models import RateCounter

    return RateCounter.objects.filter(expires_at__lte=now or time.time()).delete()[0]
