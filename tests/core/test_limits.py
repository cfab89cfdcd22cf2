"""The limit contract: every rate limit in `core.limits.LIMITS` holds its whole window.

For each limit: its allowance, then refused; still refused after the cache's default timeout has
passed and after 10,000 writes of other keys to every cache alias; refused through the window's
last second and allowed again at the next. Runs on the store the settings name: the table by
default, Redis in CI's Redis pass (LIMITS_CACHE_URL). django-ratelimit's clock and the table's are
moved by hand; Redis keeps real time, so the limits alias' default timeout is cut to one second
and one real second is waited instead.
"""

import math
import os
import secrets
import time
from pathlib import Path
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django_ratelimit.core import _get_window

import core.limit_store
from core.limits import LIMITS
from core.models import RateCounter
from devtools.demo import APPLICANT
from mumaris.floors import PROJECT_APPS

from ..conftest import login_data

pytestmark = pytest.mark.django_db
DJANGO_DATABASE_CACHE_TIMEOUT = 300
FILL_WRITES = 10_000
# Each limit is tried in an era of its own, so that moving the clock for one never touches another.
ERA_SECONDS = 10 * 24 * 3600
START = 1_900_000_000


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock: django-ratelimit's windows and the table's expiries."""
    now = [float(START)]
    fake_time = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(django_ratelimit.core, "time", fake_time)
    monkeypatch.setattr(core.limit_store, "time", fake_time)
    return now


@pytest.fixture
def short_default_timeout(settings):
    """The limits alias with a one-second default timeout: a store that gave a counter the default
    timeout on a hit loses it after the real second the contract waits."""
    settings.CACHES = {**settings.CACHES, "limits": {**settings.CACHES["limits"], "TIMEOUT": 1}}
    caches["limits"].clear()


def hit(limit, value):
    """One counted request; whether it was refused."""
    return limit.reached(value=value)


def fill_every_cache(run):
    """10,000 writes of other keys to every cache alias (counters where only counters fit)."""
    for alias in django_settings.CACHES:
        # Keys shaped like the rate limiter's own (an attacker's counters for values it typed).
        caches[alias].set_many({f"rl:{secrets.token_hex(32)}": number for number in range(FILL_WRITES)}, 3600)


def breaches_of_the_contract(clock, run):
    """Walk every limit and return what did not hold, as readable lines (empty: all held)."""
    breaches = []
    windows = {}
    for era, limit in enumerate(LIMITS.values()):
        value = f"contract-{run}-{limit.name}"
        period = limit.window_seconds
        # The first second of a window: the one after a window's end, in this limit's era.
        clock[0] = float(START + era * ERA_SECONDS)
        clock[0] = float(_get_window(value.encode(), period) + 1)
        window_end = clock[0] + period - 1
        windows[limit.name] = (value, clock[0], window_end)
        answers = [hit(limit, value) for _ in range(limit.allowed + 1)]
        if answers != [False] * limit.allowed + [True]:
            breaches.append(f"{limit.name}: {limit.allowed} allowed then refused, got {answers}")
    time.sleep(1.1)  # past the limits alias' real default timeout (short_default_timeout)
    fill_every_cache(run)
    for limit in LIMITS.values():
        value, window_start, window_end = windows[limit.name]
        clock[0] = min(window_start + DJANGO_DATABASE_CACHE_TIMEOUT + 1, window_end)
        if not hit(limit, value):
            breaches.append(f"{limit.name}: allowed again {clock[0] - window_start:.0f} s into its window")
        clock[0] = window_end
        if not hit(limit, value):
            breaches.append(f"{limit.name}: allowed again in its window's last second")
        clock[0] = window_end + 1
        if hit(limit, value):
            breaches.append(f"{limit.name}: still refused when its window had ended")
    return breaches


def test_every_limit_holds_its_whole_window(clock, short_default_timeout):
    expected = "RedisCounterStore" if os.environ.get("LIMITS_CACHE_URL") else "CounterStore"
    assert type(caches["limits"]).__name__ == expected
    assert breaches_of_the_contract(clock, secrets.token_hex(4)) == []


class DatabaseCacheCountingAsRatelimitDoes(DatabaseCache):
    """Django's database cache, counting a hit as django-ratelimit does on any cache: add, then incr."""

    def count_hit(self, key, timeout):
        if self.add(key, 1, timeout):
            return 1
        try:
            return self.incr(key)
        except ValueError:  # gone between the two calls: django-ratelimit refuses the request then
            return math.inf


def test_the_django_database_cache_would_not_hold(clock, settings):
    """Why the limits have a store of their own: on Django's database cache (the default cache,
    where they counted before), a hit resets a counter to the cache's default timeout and culling
    erases counters."""
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": f"{__name__}.DatabaseCacheCountingAsRatelimitDoes",
            "LOCATION": "limits_contract",
            "TIMEOUT": 1,
        },
    }
    call_command("createcachetable", "limits_contract", verbosity=0)
    breaches = breaches_of_the_contract(clock, secrets.token_hex(4))
    assert any("into its window" in breach for breach in breaches), breaches


def test_a_refused_address_writes_no_key_for_the_id_numbers_it_types(client, settings):
    """The per-address limit is checked first: past it, a sign-up post stores nothing new."""
    settings.SIGNUP_RATE = "2/h"
    for number in range(2):
        client.post("/accounts/signup/", {"national_id": f"10000000{number}", "captcha_1": "PASSED"})
    counters = RateCounter.objects.count()
    statuses = [
        client.post("/accounts/signup/", {"national_id": f"1{number:09d}", "captcha_1": "PASSED"}).status_code
        for number in range(100, 150)
    ]
    assert set(statuses) == {429}
    if type(caches["limits"]).__name__ == "CounterStore":
        assert RateCounter.objects.count() == counters


def test_expired_counters_are_pruned_and_live_ones_kept(clock):
    limit = LIMITS["signup-per-address"]
    hit(limit, "old")
    clock[0] += limit.window_seconds + 10
    hit(limit, "new")
    assert core.limit_store.prune_expired_counters() == (1 if type(caches["limits"]).__name__ == "CounterStore" else 0)
    assert hit(limit, "new") is False


def test_a_read_sees_the_window_s_count_and_writes_nothing(clock):
    """What the log-in checks before the password: the count so far, without a counter written."""
    limit = LIMITS["account-failures"]
    counters = RateCounter.objects.count()
    assert limit.counted("read-only") == 0
    assert RateCounter.objects.count() == counters
    for _ in range(3):
        hit(limit, "read-only")
    assert limit.counted("read-only") == 3
    clock[0] = float(_get_window(b"read-only", limit.window_seconds) + 1)
    assert limit.counted("read-only") == 0


def test_reads_are_off_with_rate_limiting(settings):
    settings.RATELIMIT_ENABLE = False
    assert LIMITS["account-failures"].counted("anything") is None


def test_a_failed_log_in_counts_on_the_store_that_holds(alice, client, settings):
    settings.ACCOUNT_FAILURE_RATE = "2/h"
    settings.LOGIN_FAILURE_LIMIT = 100
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        client.post("/accounts/login/", login_data(APPLICANT.national_id, "wrong"), REMOTE_ADDR=address)
    caches["default"].clear()
    fill_every_cache("login")
    response = client.post(
        "/accounts/login/", login_data(APPLICANT.national_id, "Mumaris-Demo-2026"), REMOTE_ADDR="10.0.0.4"
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_every_limit_in_the_table_is_used_and_no_view_counts_elsewhere():
    sources = "\n".join(
        path.read_text()
        for app in PROJECT_APPS
        for path in Path(django_settings.BASE_DIR, app).rglob("*.py")
        if "migrations" not in path.parts
    )
    for name in LIMITS:
        assert f'"{name}"' in sources.replace(f'Limit("{name}"', ""), f"{name} is declared but never taken"
    assert "django_ratelimit.decorators" not in sources


def test_a_hit_counts_in_its_window_and_never_moves_its_end(clock):
    """The store's own `count_hit`: one more a hit, the expiry set by the hit that opened the
    window; a window that has ended starts again at one (Redis ends it itself, in real time)."""
    store = caches["limits"]
    assert [store.count_hit("contract-hit", 60) for _ in range(3)] == [1, 2, 3]
    if type(store).__name__ == "CounterStore":
        opened_until = RateCounter.objects.get().expires_at
        clock[0] += 59
        assert store.count_hit("contract-hit", 60) == 4
        assert RateCounter.objects.get().expires_at == opened_until
        clock[0] += 1
        assert store.count_hit("contract-hit", 60) == 1
        assert RateCounter.objects.get().expires_at == clock[0] + 60
