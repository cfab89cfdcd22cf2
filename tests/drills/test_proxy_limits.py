"""Per-client limits and lockout behind a real nginx: one proxy address, many clients.

Two gunicorn instances (A and B; TRUSTED_PROXY_COUNT=1, BEHIND_TLS_PROXY=true and
SECURE_SSL_REDIRECT on, as in production) behind nginx: round robin, the peer's address appended
to X-Forwarded-For. Clients are told apart by the loopback address they connect from (127.0.0.2,
127.0.0.3, …). Every step checks the POSTs' statuses, that nginx saw the clients it should, and
that the posts went to both servers, so every count is shared by both. Run twice: the rate-limit
counters in the core_ratecounter table, and in a Redis started here (LIMITS_CACHE_URL).
Each run's table is printed (pytest -s) and written to bench-results/proxy-limits-<store>.json.
"""

import contextlib
import itertools
import json
import time

import pytest

from bench.loadstack import RESULTS_DIR, Nginx, RedisServer, Stack, Visitor, free_port
from bench.measure import Recorder, print_table
from devtools.demo import APPLICANT, DEMO_PASSWORD, SUBMITTED

pytestmark = pytest.mark.drill

# What a browser on https://127.0.0.1 (the Host nginx passes on) sends with a POST; Django's
# CSRF check asks for it on a request it sees as HTTPS.
ORIGIN = "https://127.0.0.1"
RESET = "/accounts/password/reset/"
RESEND = "/accounts/verify/resend/"
LOGIN = "/accounts/login/"
WRONG_PASSWORD = "not-" + DEMO_PASSWORD
LIMIT = 5
REFUSED_SIXTH = [302] * LIMIT + [429]


class Proxied:
    """The stack behind nginx: runs each step through it and keeps one row per step."""

    def __init__(self, stack, proxy, server_names, redis_server):
        self.stack = stack
        self.proxy = proxy
        self.server_names = server_names  # "127.0.0.1:port" -> "A" or "B"
        self.redis_server = redis_server
        self.recorder = Recorder()  # one answer per request sent through nginx: as many lines in its log
        self.emails = (f"proxy-limits-{number}@example.sa" for number in itertools.count())
        self.rows = []

    def client(self, address):
        visitor = Visitor(self.proxy.url, self.recorder, source_address=address)
        visitor.headers["Origin"] = ORIGIN
        return visitor

    def step(self, label, clients, forged, expected, action, *, also=None):
        """Run `action` (it returns the POSTs' statuses), compare with what nginx logged, and
        fail with the step's row unless every check holds. `also` holds further checks by name,
        each a function called after the action."""
        before = len(self.recorder.answers)
        statuses = action()
        logged = self.proxy.entries_after(before, len(self.recorder.answers))
        posts = [entry for entry in logged if entry["method"] == "POST"]
        servers = "".join(self.server_names.get(entry["server"], "?") for entry in posts)
        seen = [entry["client"] for entry in posts]
        checks = {
            "statuses": statuses == expected,
            "nginx saw these clients": seen == clients,
            "both servers": len(posts) < 2 or set(servers) == {"A", "B"},
            **{name: check() for name, check in (also or {}).items()},
        }
        failed = [name for name, passed in checks.items() if not passed]
        row = {
            "step": label,
            "nginx saw": describe_addresses(seen),
            "X-Forwarded-For sent": forged,
            "POST statuses": runs(statuses),
            "expected": runs(expected),
            "servers": servers,
            "result": "FAIL: " + ", ".join(failed) if failed else "PASS",
        }
        self.rows.append(row)
        assert not failed, f"{label}: {', '.join(failed)} — {row}"

    def reset(self, visitor, forged=None):
        if forged:
            visitor.headers["X-Forwarded-For"] = forged
        return visitor.post(RESET, {"email": next(self.emails)})[0]

    def resend(self, visitor, forged):
        visitor.headers["X-Forwarded-For"] = forged
        fields = {"email": next(self.emails), "captcha_0": "test-key", "captcha_1": "PASSED"}
        return visitor.post(RESEND, fields)[0]

    def log_in(self, visitor, username, password, forged=None):
        if forged:
            visitor.headers["X-Forwarded-For"] = forged
        fields = {"username": username, "password": password, "captcha_0": "test-key", "captcha_1": "PASSED"}
        return visitor.post(LOGIN, fields)[0]

    def counters(self):
        """How many rate-limit counters each store holds: the table (core.RateCounter) and Redis
        (django-ratelimit's keys start with 'rl:')."""
        in_redis = len(self.redis_server.client.keys(":1:rl:*")) if self.redis_server else 0
        return {"db": self.stack.value("SELECT count(*) FROM core_ratecounter"), "redis": in_redis}


def runs(statuses):
    """[302, 302, 429] -> '302×2 429'."""
    return " ".join(
        f"{status}×{count}" if count > 1 else str(status)
        for status, count in ((status, len(list(group))) for status, group in itertools.groupby(statuses))
    )


def describe_addresses(addresses):
    distinct = list(dict.fromkeys(addresses))
    if len(distinct) == 1:
        return distinct[0]
    return f"{distinct[0]} … {distinct[-1]} ({len(distinct)})"


@pytest.fixture(scope="module", params=["db", "redis"], ids=["limits_in_db", "limits_in_redis"])
def proxied(request, postgresql):
    store = request.param
    started = time.monotonic()
    settings = {
        "TRUSTED_PROXY_COUNT": "1",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_SSL_REDIRECT": "true",
        "LOGIN_FAILURE_LIMIT": str(LIMIT),
        # The count is under test, not the period: django-ratelimit starts each key's window at its
        # own offset, and a day-long window makes a series cut in two by a window's end unlikely.
        "EMAIL_SENDING_RATE": f"{LIMIT}/d",
        "CACHE_URL": "dbcache://mumaris_cache",
    }
    with contextlib.ExitStack() as running:
        redis_server = None
        if store == "redis":
            redis_server = running.enter_context(RedisServer(free_port()))
            settings["CACHE_URL"] = settings["LIMITS_CACHE_URL"] = redis_server.url
        stack = running.enter_context(Stack("proxy_limits", port=free_port(), workers=2, **settings))
        second_port = free_port()
        stack.start(second_port)
        upstreams = [f"127.0.0.1:{stack.port}", f"127.0.0.1:{second_port}"]
        proxy = running.enter_context(Nginx(free_port(), upstreams))
        proxied = Proxied(stack, proxy, dict(zip(upstreams, "AB", strict=True)), redis_server)
        yield proxied
        served = [entry["server"] for entry in proxy.entries()]

    print(f"\nBehind nginx: A = {upstreams[0]}, B = {upstreams[1]}; CACHE_URL={settings['CACHE_URL']}")
    print(f"Rate limits counted in {settings.get('LIMITS_CACHE_URL', 'the core_ratecounter table')}")
    if proxied.rows:
        print_table(proxied.rows)
    print(
        f"{len(served)} requests through nginx: A {served.count(upstreams[0])}, B {served.count(upstreams[1])}; "
        f"{time.monotonic() - started:.0f} s"
    )
    summary = {"store": store, "settings": settings, "steps": proxied.rows}
    (RESULTS_DIR / f"proxy-limits-{store}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))


def test_reset_limit_counts_per_client_not_per_proxy(proxied):
    # Seven clients, one reset each; each opens the form first, so the posts alternate servers.
    addresses = [f"127.0.0.{number}" for number in range(2, 9)]
    visitors = [proxied.client(address) for address in addresses]
    for visitor in visitors:
        visitor.get(RESET)
    proxied.step(
        "reset: 7 clients, 1 post each", addresses, "none", [302] * 7, lambda: [proxied.reset(v) for v in visitors]
    )
    one = proxied.client("127.0.0.9")
    proxied.step(
        "reset: 1 client, 6 posts",
        ["127.0.0.9"] * 6,
        "none",
        REFUSED_SIXTH,
        lambda: [proxied.reset(one) for _ in range(6)],
    )


def test_forged_forwarded_for_does_not_choose_the_count(proxied):
    # A new X-Forwarded-For on every post, then another client's address.
    forger = proxied.client("127.0.0.10")
    proxied.step(
        "reset: 1 client, 6 posts",
        ["127.0.0.10"] * 6,
        "203.0.113.1 … .6",
        REFUSED_SIXTH,
        lambda: [proxied.reset(forger, f"203.0.113.{n}") for n in range(1, 7)],
    )
    impostor = proxied.client("127.0.0.11")
    proxied.step(
        "reset: 1 client posing as .12",
        ["127.0.0.11"] * 6,
        "127.0.0.12",
        REFUSED_SIXTH,
        lambda: [proxied.reset(impostor, "127.0.0.12") for _ in range(6)],
    )
    victim = proxied.client("127.0.0.12")
    proxied.step("reset: .12 itself, after that", ["127.0.0.12"], "none", [302], lambda: [proxied.reset(victim)])
    resender = proxied.client("127.0.0.13")
    proxied.step(
        "resend: 1 client, 6 posts",
        ["127.0.0.13"] * 6,
        "198.51.100.1 … .6",
        REFUSED_SIXTH,
        lambda: [proxied.resend(resender, f"198.51.100.{n}") for n in range(1, 7)],
    )


@pytest.mark.parametrize(
    ("username", "address_a", "address_b", "forging"),
    [
        (APPLICANT.national_id, "127.0.0.14", "127.0.0.15", False),
        (SUBMITTED.national_id, "127.0.0.16", "127.0.0.17", True),
    ],
    ids=["no_forwarded_for", "forged_forwarded_for"],
)
def test_lockout_is_per_client(proxied, username, address_a, address_b, forging):
    """Five failures from A lock the user for A, right password and all, while B logs in. Forging,
    A sends a new X-Forwarded-For with every attempt and B sends A's address. Axes refuses the
    fifth failure already (it reaches the limit), and every attempt after it."""
    client_a, client_b = proxied.client(address_a), proxied.client(address_b)
    passwords = [WRONG_PASSWORD] * LIMIT + [DEMO_PASSWORD]
    forged_by_a = [f"192.0.2.{n}" if forging else None for n in range(1, len(passwords) + 1)]
    proxied.step(
        f"lockout {username}: A 5 wrong, 1 right",
        [address_a] * len(passwords),
        "192.0.2.1 … .6" if forging else "none",
        [200] * (LIMIT - 1) + [429, 429],
        lambda: [
            proxied.log_in(client_a, username, password, forged)
            for password, forged in zip(passwords, forged_by_a, strict=True)
        ],
    )
    forged_by_b = address_a if forging else None
    proxied.step(
        f"lockout {username}: B right" + (" posing as A" if forging else ""),
        [address_b],
        forged_by_b or "none",
        [302],
        lambda: [proxied.log_in(client_b, username, DEMO_PASSWORD, forged_by_b)],
    )


def test_large_upload_is_buffered_on_disk_by_nginx(proxied):
    # A body larger than nginx buffers in memory: written to its temp directory by a worker.
    uploader = proxied.client("127.0.0.18")
    proxied.step(
        "2 MB upload through nginx",
        ["127.0.0.18"],
        "none",
        [302],
        lambda: [uploader.post(RESET, {"email": next(proxied.emails)}, {"attachment": ("big.bin", b"0" * 2**21)})[0]],
        also={"body buffered on disk": lambda: "buffered to a temporary file" in proxied.proxy.error_log()},
    )


def test_counters_are_kept_in_the_configured_store(proxied):
    # One limited post of its own, so the store holds a counter whichever tests ran before.
    proxied.reset(proxied.client("127.0.0.19"))
    counters = proxied.counters()
    proxied.rows.append(
        dict.fromkeys(proxied.rows[0] if proxied.rows else ["step", "POST statuses"], "")
        | {"step": "rate-limit counters", "POST statuses": f"PostgreSQL {counters['db']}, Redis {counters['redis']}"}
    )
    if proxied.redis_server:
        assert counters["redis"] > 0, f"no rate-limit counter in Redis: {counters}"
        assert counters["db"] == 0, f"rate-limit counters in the core_ratecounter table, not only in Redis: {counters}"
    else:
        assert counters["db"] > 0, f"no rate-limit counter in the core_ratecounter table: {counters}"
