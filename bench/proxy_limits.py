"""Per-client limits and lockout behind a real nginx: one proxy address, many clients.

Starts PostgreSQL, two gunicorn instances on it (TRUSTED_PROXY_COUNT=1, BEHIND_TLS_PROXY=true,
SECURE_SSL_REDIRECT on as in production) and nginx in front of them: round robin, the peer's
address appended to X-Forwarded-For. Clients are told apart by the loopback address they
connect from (127.0.0.2, 127.0.0.3, …). Shows, and checks:
1. password resets from seven clients all pass: the limit is per client, not per proxy; six
   from one client: five pass, the sixth is refused (429);
2. a client that writes its own X-Forwarded-For cannot choose its address: neither a new value
   on every post nor another client's address changes whose count it uses (resend too);
3. five wrong passwords from client A lock that user for A, right password and all, while
   client B logs in; again with A forging X-Forwarded-For and B posing as A;
4. nginx alternates between the two servers, so every count above is shared by both;
and a 2 MB body passes nginx (client_max_body_size, its body buffer on disk).
With `--cache redis` the rate-limit counters live in a Redis started here (LIMITS_CACHE_URL) instead of
the core_ratecounter table.
Exits non-zero when any check fails.

    .venv/bin/python bench/proxy_limits.py [--cache db|redis]
"""

import argparse
import contextlib
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadstack import DEMO_PASSWORD, RedisServer, Stack, Visitor, free_port, print_table, stop_process

from devtools.demo import APPLICANT, SUBMITTED  # noqa: E402  (after loadstack, which puts the project on the path)

# What a browser on https://127.0.0.1 (the Host nginx passes on) sends with a POST; Django's
# CSRF check asks for it on a request it sees as HTTPS.
ORIGIN = "https://127.0.0.1"
RESET = "/accounts/password/reset/"
RESEND = "/accounts/verify/resend/"
LOGIN = "/accounts/login/"
WRONG_PASSWORD = "not-" + DEMO_PASSWORD
LIMIT = 5
STARTUP_SECONDS = 15


def nginx_config(directory, port, upstreams):
    servers = "\n".join(f"        server {upstream};" for upstream in upstreams)
    return f"""
# One worker, so one round robin: requests alternate strictly between the servers.
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{
    worker_connections 64;
}}
http {{
    log_format limits '$remote_addr|$upstream_addr|$status|$request_method|$uri|$http_x_forwarded_for';
    access_log {directory}/access.log limits;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    client_max_body_size 16m;
    upstream mumaris {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://mumaris;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


class Nginx:
    """nginx in the foreground, its configuration, logs and buffers in a temporary directory."""

    def __init__(self, port, upstreams):
        self.port = port
        self.upstreams = upstreams
        self.url = f"http://127.0.0.1:{port}"
        self.directory = Path(tempfile.mkdtemp(prefix="mumaris-nginx-"))
        self.process = None

    def __enter__(self):
        # Started as root, nginx's workers run as nobody: they must be able to enter the directory
        # to write request bodies to disk (searchable only; its files are not readable by others).
        self.directory.chmod(0o701)
        config = self.directory / "nginx.conf"
        config.write_text(nginx_config(self.directory, self.port, self.upstreams))
        command = ["nginx", "-p", str(self.directory), "-c", str(config), "-e", str(self.directory / "error.log")]
        self.process = subprocess.Popen([*command, "-g", "daemon off;"])
        # Wait for the port to accept connections: no request, so the access log stays empty.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"nginx did not listen on port {self.port}")

    def __exit__(self, *exc_info):
        stop_process(self.process)
        errors = [line for line in self.error_log().splitlines() if "[warn]" not in line and "[notice]" not in line]
        if errors:
            print("nginx error log:", *errors, sep="\n", file=sys.stderr)
        shutil.rmtree(self.directory, ignore_errors=True)

    def error_log(self):
        log = self.directory / "error.log"
        return log.read_text() if log.exists() else ""

    def entries(self):
        """One dict per request nginx has logged: client, server, status, method, path, forwarded_for."""
        log = self.directory / "access.log"
        names = ("client", "server", "status", "method", "path", "forwarded_for")
        lines = log.read_text().splitlines() if log.exists() else []
        return [dict(zip(names, line.split("|"), strict=True)) for line in lines]

    def entries_after(self, count, expected_total):
        """The entries after the first `count`, once nginx has logged `expected_total` in all."""
        deadline = time.monotonic() + 5
        entries = self.entries()
        while len(entries) < expected_total and time.monotonic() < deadline:
            time.sleep(0.05)  # nginx writes the line as it closes the request, just after answering
            entries = self.entries()
        return entries[count:]


class Checks:
    """Runs each step through nginx and keeps one row per step: what was sent, seen and answered."""

    def __init__(self, proxy, server_names):
        self.proxy = proxy
        self.server_names = server_names  # "127.0.0.1:port" -> "A" or "B"
        self.requests = 0  # sent through nginx; as many lines in its access log
        self.emails = (f"proxy-limits-{number}@example.sa" for number in itertools.count())
        self.rows = []

    def record(self, *entry):
        self.requests += 1

    def client(self, address):
        visitor = Visitor(self.proxy.url, self.record, source_address=address)
        visitor.headers["Origin"] = ORIGIN
        return visitor

    def step(self, label, clients, forged, expected, action, *, also=None):
        """Run `action` (it returns the POSTs' statuses) and compare with what nginx logged.

        `also` holds further checks by name, each a function called after the action.
        """
        before = self.requests
        statuses = action()
        posts = [entry for entry in self.proxy.entries_after(before, self.requests) if entry["method"] == "POST"]
        servers = "".join(self.server_names.get(entry["server"], "?") for entry in posts)
        seen = [entry["client"] for entry in posts]
        checks = {
            "statuses": statuses == expected,
            "nginx saw these clients": seen == clients,
            "both servers": len(posts) < 2 or set(servers) == {"A", "B"},
            **{name: check() for name, check in (also or {}).items()},
        }
        self.rows.append(
            {
                "step": label,
                "nginx saw": describe_addresses(seen),
                "X-Forwarded-For sent": forged,
                "POST statuses": runs(statuses),
                "expected": runs(expected),
                "servers": servers,
                "result": "PASS"
                if all(checks.values())
                else "FAIL: " + ", ".join(k for k, v in checks.items() if not v),
            }
        )

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


def run_steps(checks):
    refused_sixth = [302] * LIMIT + [429]

    # 1. Seven clients, one reset each; each opens the form first, so the posts alternate servers.
    addresses = [f"127.0.0.{number}" for number in range(2, 9)]
    visitors = [checks.client(address) for address in addresses]
    for visitor in visitors:
        visitor.get(RESET)
    checks.step(
        "reset: 7 clients, 1 post each", addresses, "none", [302] * 7, lambda: [checks.reset(v) for v in visitors]
    )
    one = checks.client("127.0.0.9")
    checks.step(
        "reset: 1 client, 6 posts",
        ["127.0.0.9"] * 6,
        "none",
        refused_sixth,
        lambda: [checks.reset(one) for _ in range(6)],
    )

    # 2. A forged X-Forwarded-For, a new one each post, then another client's address.
    forger = checks.client("127.0.0.10")
    checks.step(
        "reset: 1 client, 6 posts",
        ["127.0.0.10"] * 6,
        "203.0.113.1 … .6",
        refused_sixth,
        lambda: [checks.reset(forger, f"203.0.113.{n}") for n in range(1, 7)],
    )
    impostor = checks.client("127.0.0.11")
    checks.step(
        "reset: 1 client posing as .12",
        ["127.0.0.11"] * 6,
        "127.0.0.12",
        refused_sixth,
        lambda: [checks.reset(impostor, "127.0.0.12") for _ in range(6)],
    )
    victim = checks.client("127.0.0.12")
    checks.step("reset: .12 itself, after that", ["127.0.0.12"], "none", [302], lambda: [checks.reset(victim)])
    resender = checks.client("127.0.0.13")
    checks.step(
        "resend: 1 client, 6 posts",
        ["127.0.0.13"] * 6,
        "198.51.100.1 … .6",
        refused_sixth,
        lambda: [checks.resend(resender, f"198.51.100.{n}") for n in range(1, 7)],
    )

    # 3. Lockout, first from clients that send no X-Forwarded-For, then from forgers.
    lockout_steps(checks, APPLICANT.national_id, "127.0.0.14", "127.0.0.15", forging=False)
    lockout_steps(checks, SUBMITTED.national_id, "127.0.0.16", "127.0.0.17", forging=True)

    # A body larger than nginx buffers in memory: written to its temp directory by a worker.
    uploader = checks.client("127.0.0.18")
    checks.step(
        "2 MB upload through nginx",
        ["127.0.0.18"],
        "none",
        [302],
        lambda: [uploader.post(RESET, {"email": next(checks.emails)}, {"attachment": ("big.bin", b"0" * 2**21)})[0]],
        also={"body buffered on disk": lambda: "buffered to a temporary file" in checks.proxy.error_log()},
    )


def lockout_steps(checks, username, address_a, address_b, forging):
    """Five failures from A, then the right password from A and from B.

    Forging, A sends a new X-Forwarded-For with every attempt and B sends A's address.
    Axes refuses the fifth failure already (it reaches the limit), and every attempt after it.
    """
    client_a, client_b = checks.client(address_a), checks.client(address_b)
    passwords = [WRONG_PASSWORD] * LIMIT + [DEMO_PASSWORD]
    forged_by_a = [f"192.0.2.{n}" if forging else None for n in range(1, len(passwords) + 1)]
    checks.step(
        f"lockout {username}: A 5 wrong, 1 right",
        [address_a] * len(passwords),
        "192.0.2.1 … .6" if forging else "none",
        [200] * (LIMIT - 1) + [429, 429],
        lambda: [
            checks.log_in(client_a, username, password, forged)
            for password, forged in zip(passwords, forged_by_a, strict=True)
        ],
    )
    forged_by_b = address_a if forging else None
    checks.step(
        f"lockout {username}: B right" + (" posing as A" if forging else ""),
        [address_b],
        forged_by_b or "none",
        [302],
        lambda: [checks.log_in(client_b, username, DEMO_PASSWORD, forged_by_b)],
    )


def rate_limit_counters(stack, redis_server):
    """How many rate-limit counters each store holds: the table (portal.RateCounter) and Redis
    (django-ratelimit's keys start with 'rl:')."""
    in_database = int(stack.psql("SELECT count(*) FROM core_ratecounter"))
    in_redis = len(redis_server.client.keys(":1:rl:*")) if redis_server else 0
    return {"db": in_database, "redis": in_redis}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", choices=["db", "redis"], default="db", help="where the limits count")
    arguments = parser.parse_args()
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
        if arguments.cache == "redis":
            redis_server = running.enter_context(RedisServer(free_port()))
            settings["CACHE_URL"] = settings["LIMITS_CACHE_URL"] = redis_server.url
        stack = running.enter_context(Stack("proxy_limits", port=free_port(), workers=2, **settings))
        second_port = free_port()
        stack.start(second_port)
        upstreams = [f"127.0.0.1:{stack.port}", f"127.0.0.1:{second_port}"]
        proxy = running.enter_context(Nginx(free_port(), upstreams))
        checks = Checks(proxy, dict(zip(upstreams, "AB", strict=True)))
        run_steps(checks)
        counters = rate_limit_counters(stack, redis_server)
        served = [entry["server"] for entry in proxy.entries()]

    rows = checks.rows
    # The counters are where --cache says, and only there.
    counters_row = dict.fromkeys(rows[0], "")
    counters_row["step"] = "rate-limit counters"
    counters_row["POST statuses"] = f"PostgreSQL {counters['db']}, Redis {counters['redis']}"
    in_redis = arguments.cache == "redis"
    stored_right = counters["redis"] > 0 and counters["db"] == 0 if in_redis else counters["db"] > 0
    counters_row["result"] = "PASS" if stored_right else "FAIL"
    rows.append(counters_row)
    limits_store = settings.get("LIMITS_CACHE_URL", "the core_ratecounter table")
    print(f"Behind nginx: A = {upstreams[0]}, B = {upstreams[1]}; CACHE_URL={settings['CACHE_URL']}")
    print(f"Rate limits counted in {limits_store}")
    print_table(rows)
    print(
        f"{len(served)} requests through nginx: A {served.count(upstreams[0])}, B {served.count(upstreams[1])}; "
        f"{time.monotonic() - started:.0f} s"
    )
    failed = [row for row in rows if row["result"] != "PASS"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
