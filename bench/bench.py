"""Throughput benchmark: gunicorn + PostgreSQL with production settings, driven by wrk.

In one run it measures a baseline (a bare Django view through the same settings, middleware,
gunicorn command and worker count) and then each page, at 16 connections for DURATION
seconds: requests/s, p50 and p99 latency, non-2xx/3xx answers, and the ratio of each page's
requests/s to the baseline's. Each page is measured in PAGE_ROUNDS rounds, each the baseline's
run right before the page's, and its ratio is the median of the rounds' ratios (their range
printed beside it): this VM's speed moved by a third between runs minutes apart, and by half on
some pages for a minute at a time, which one baseline before a 10-second run did not catch
(docs/performance.md).

The log-in POST uses real captcha challenges, solved from the database, one per request; its
median, one POST at a time, is compared with the Argon2 verify's in this process, the two timed in
turns (`log_in_against_verify`). Prints a table and writes bench-results/bench.json.

    .venv/bin/python -m bench.bench [DURATION]      # default 10 s a URL
    BENCH_TELEMETRY=off make bench                   # without the request metrics and log line
    BENCH_CACHE=database make bench                  # the embedded default: cache and limits in tables

Each page is driven twice: at 16 connections as fast as it answers (its throughput), then at
OFFERED_RATE requests per second (each of OFFERED_CONNECTIONS connections waiting between its
requests), whose p99 is the latency a person sees at that load rather than a queue's.

Last, with the telemetry on, what the request metrics and log line cost each page (issue 28): two
gunicorns on the same database, one with them and one without, each with half the workers, and wrk
through one nginx that hands the requests to the two in strict alternation (`alternating`).

The telemetry's cost in turns, and its parts: `bench.telemetry_cost`.
"""

import collections
import functools
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django_otp.oath import totp

from bench.loadstack import (
    BASE_DIR,
    GUNICORN,
    GUNICORN_CONFIG,
    RESULTS_DIR,
    Nginx,
    RedisServer,
    Stack,
    Visitor,
    cpu_seconds,
    cpu_since,
    fetch_status,
    free_port,
    machine_busy_seconds,
    postgres_cpu_seconds,
    tree_cpu_seconds,
)
from bench.measure import percentile
from devtools.demo import DEMO_PASSWORD, EMPLOYER, PRACTITIONER, PRACTITIONER_MEMBERSHIP_NUMBER, SUBMITTED, SUPERVISOR

CONNECTIONS = 16
BASELINE_URL = "http://127.0.0.1:8302/"
# Rounds a page's DURATION is cut into, each the baseline for as long, then the page.
PAGE_ROUNDS = 5
API_BATCH_ALONE = "API, 100 numbers, 1 connection"
API_BATCH_TARGET_MS = 50
API_BATCH_NUMBERS_SQL = (
    "SELECT membership_number FROM profiles_practitionerprofile WHERE membership_number IS NOT NULL LIMIT 100"
)
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
# The request metrics and JSON log line (REQUEST_TELEMETRY), on as in production unless "off".
TELEMETRY = os.environ.get("BENCH_TELEMETRY", "on") != "off"
# "redis" as in production (README), or "database": the embedded default's tables.
CACHE = os.environ.get("BENCH_CACHE", "redis")
# Issue 27's ratios to the bare view: a visitor's page and the public verification pages half,
# the log-in and sign-up pages (a captcha drawn each) a quarter, every signed-in page a fifth.
# Issue 26: one API look-up half (a batch of 100 numbers has no ratio: its time at 1 connection).
TARGETS = {"visitor": 0.50, "verify": 0.50, "captcha": 0.25, "logged_in": 0.20, "staff": 0.20, "api": 0.50}
# Issue 27: p99 at about 100 requests a second offered, on every page.
OFFERED_RATE = 100
OFFERED_CONNECTIONS = 4
OFFERED_SECONDS = 5
P99_TARGET_MS = 15
# Issue 15: a certificate is made in under a second (the median of five, each drawn afresh).
CERTIFICATE_TARGET_MS = 1000
LOGIN_TARGET_RATIO = 1.05
# Issue 28: the request metrics and log line cost under 5 % on every page; medians of this many
# rounds of this many seconds, the two servers serving alternately.
TELEMETRY_TARGET_PERCENT = 5
TELEMETRY_ROUNDS = 5
TELEMETRY_SECONDS = 4
# Log-in POSTs timed against as many verifies, one after the other.
LOG_IN_PAIRS = 60
LOGIN_LUA = """
-- Every request takes its own captcha challenge (single use): thread i of n uses the
-- challenges i, i+n, i+2n... of the file. A log-in that is not a 302 counts as a failure.
local challenges = {}
for line in io.lines("%(challenges)s") do
  local key, answer = line:match("([^ ]+) ([^ ]+)")
  table.insert(challenges, {key, answer})
end
local threads, created = {}, 0
setup = function(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end
local counter = 0
failures = 0  -- global: done() reads it from each thread
local csrf = "%(csrf)s"
init = function(args)
  failures = 0
end
request = function()
  local index = counter * %(thread_count)d + id + 1
  counter = counter + 1
  local challenge = challenges[index] or {"exhausted", "x"}
  local body = "username=%(username)s&password=%(password)s&captcha_0=" .. challenge[1] ..
    "&captcha_1=" .. challenge[2] .. "&csrfmiddlewaretoken=" .. csrf
  return wrk.format("POST", "/accounts/login/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
  }, body)
end
response = function(status, headers, body)
  if status ~= 302 then failures = failures + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failures") end
  io.write("Failed log-ins: " .. total .. "\\n")
end
"""


# Each connection waits between its requests so that together they offer OFFERED_RATE a second
# (less while a request is answered: at this load that is a few per cent).
OFFERED_LUA = """
delay = function()
  return %(wait_ms)d
end
"""


def offered_script():
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(OFFERED_LUA % {"wait_ms": OFFERED_CONNECTIONS * 1000 // OFFERED_RATE})
    return str(script)


def run_wrk(url, seconds, *, connections=CONNECTIONS, headers=(), script=None, timeout_seconds=2):
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    command += ["--timeout", f"{timeout_seconds}s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    if finished.stderr.strip():
        raise RuntimeError(f"wrk: {finished.stderr.strip()}")  # e.g. an error in the Lua script
    output = finished.stdout
    return {
        "connections": connections,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "errors": int(match.group(1)) if (match := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0,
        "failed_log_ins": int(match.group(1)) if (match := re.search(r"Failed log-ins: (\d+)", output)) else 0,
        "socket_errors": bool(re.search(r"Socket errors", output)),
    }


def alternating(stack, servers, pages, seconds, rounds):
    """What the telemetry costs each of `pages` (label: its path and headers), "on" against "off"
    (`servers`: name: a gunicorn and its address), both on `stack`'s database. wrk drives one nginx
    that hands the requests to the two in strict alternation (one nginx worker, round robin), so
    each serves half of every second and a slow moment of the shared machine falls on both alike;
    run against itself ("off" twice) it measures 0 ± 1 % (docs/performance.md). Each gunicorn's
    requests are counted from nginx's access log. Two figures a round, each cost the median of
    `rounds`:
    - in the workers' CPU: one's CPU a request against the other's;
    - in throughput: the same with what the rest of the machine spends a request added to both
      (PostgreSQL, Redis, wrk and the kernel: all CPU but the workers' and nginx's, which `make
      bench`'s own runs go without, shared by the requests of both). On a machine the requests
      keep busy, as `make bench`'s are, requests a second go as the inverse of the CPU a request,
      so this is what the telemetry costs them; the telemetry adds nothing to the rest's share."""
    off, on = servers["off"], servers["on"]
    upstreams = {url.removeprefix("http://"): name for name, (_gunicorn, url) in servers.items()}
    figures = {}
    with Nginx(free_port(), list(upstreams)) as nginx:
        access_log = nginx.directory / "access.log"
        for label, (path, headers) in pages.items():
            url = nginx.url + path
            run_wrk(url, 1, headers=headers)  # warm: templates compiled, connections open
            cpu_costs, throughput_costs, turns = [], [], []
            for _round in range(rounds):
                logged = access_log.stat().st_size
                cpu_before = {gunicorn: workers_cpu(stack, gunicorn) for gunicorn in (off[0], on[0])}
                rest_before = machine_busy_seconds() - tree_cpu_seconds(nginx.process.pid)
                figures_of_wrk = run_wrk(url, seconds, headers=headers)
                if figures_of_wrk["errors"] or figures_of_wrk["socket_errors"]:
                    raise RuntimeError(f"{url} answered errors: {figures_of_wrk}")
                served = served_since(access_log, logged, upstreams)
                cpu = {
                    name: workers_cpu(stack, gunicorn) - cpu_before[gunicorn]
                    for name, (gunicorn, _url) in servers.items()
                }
                rest = machine_busy_seconds() - tree_cpu_seconds(nginx.process.pid) - rest_before - sum(cpu.values())
                per_request = {name: cpu[name] / served[name] for name in servers}
                rest_per_request = max(rest, 0) / sum(served.values())
                cpu_costs.append(cost_of(per_request["off"], per_request["on"]))
                throughput_costs.append(
                    cost_of(rest_per_request + per_request["off"], rest_per_request + per_request["on"])
                )
                turns.append(
                    {
                        "requests_per_second": figures_of_wrk["requests_per_second"],
                        "served": dict(served),
                        "cpu_ms": {name: value * 1000 for name, value in per_request.items()},
                        "rest_cpu_ms": rest_per_request * 1000,
                    }
                )
            figures[label] = {
                "turns": turns,
                "cpu_cost_percent": statistics.median(cpu_costs),
                "cpu_cost_range_percent": [min(cpu_costs), max(cpu_costs)],
                "throughput_cost_percent": statistics.median(throughput_costs),
                "throughput_cost_range_percent": [min(throughput_costs), max(throughput_costs)],
                "requests_per_second": statistics.median(turn["requests_per_second"] for turn in turns),
                "cpu_ms": round(statistics.median(turn["cpu_ms"]["on"] for turn in turns), 3),
                "rest_cpu_ms": round(statistics.median(turn["rest_cpu_ms"] for turn in turns), 3),
            }
    return figures


def with_cpu_split(stack, gunicorn, run):
    """`run()`'s wrk figures, with where the machine's CPU went a request meanwhile (`cpu_ms`): the
    workers of `gunicorn`, PostgreSQL's processes, and the rest (wrk, Redis, the kernel, anything
    else running). A ratio to the bare view says how much slower a page is; this says where."""
    workers_before, postgres_before, machine_before = (
        workers_cpu(stack, gunicorn),
        postgres_cpu_seconds(),
        machine_busy_seconds(),
    )
    figures = run()
    workers = workers_cpu(stack, gunicorn) - workers_before
    postgres = cpu_since(postgres_before, postgres_cpu_seconds())
    machine = machine_busy_seconds() - machine_before
    per_request = 1000 / max(figures["requests"], 1)
    figures["cpu_ms"] = {
        "workers": round(workers * per_request, 3),
        "postgres": round(postgres * per_request, 3),
        "rest": round(max(machine - workers - postgres, 0) * per_request, 3),
    }
    return figures


def against_baseline(stack, url, seconds, headers):
    """`url`'s wrk figures and its ratio to the baseline, in PAGE_ROUNDS rounds of `seconds` in
    all: in each, the baseline's run, then the page's (`with_cpu_split`), as long each."""
    round_seconds = max(round(seconds / PAGE_ROUNDS), 1)
    rounds = []
    for _ in range(PAGE_ROUNDS):
        baseline = run_wrk(BASELINE_URL, round_seconds)
        page = with_cpu_split(
            stack, stack.processes[0], functools.partial(run_wrk, url, round_seconds, headers=headers)
        )
        rounds.append((baseline, page))
    return combined_rounds(rounds)


def combined_rounds(rounds):
    """One page's figures from its rounds, (baseline, page) wrk figures each: the median of the
    rounds' ratios and their range, the medians of requests/s and p50, the worst p99, the errors
    of all, and the CPU a request over all the page's requests."""
    pages = [page for _baseline, page in rounds]
    ratios = [page["requests_per_second"] / baseline["requests_per_second"] for baseline, page in rounds]
    requests = sum(page["requests"] for page in pages)
    return {
        "connections": pages[0]["connections"],
        "requests": requests,
        "requests_per_second": round(statistics.median(page["requests_per_second"] for page in pages), 1),
        "baseline_rps": round(statistics.median(baseline["requests_per_second"] for baseline, _page in rounds), 1),
        "ratio_to_baseline": round(statistics.median(ratios), 3),
        "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
        "p50_ms": statistics.median(page["p50_ms"] for page in pages),
        "p99_ms": max(page["p99_ms"] for page in pages),
        "errors": sum(page["errors"] for page in pages),
        "failed_log_ins": sum(page["failed_log_ins"] for page in pages),
        "socket_errors": any(page["socket_errors"] for page in pages),
        "cpu_ms": {
            part: round(sum(page["cpu_ms"][part] * page["requests"] for page in pages) / max(requests, 1), 3)
            for part in pages[0]["cpu_ms"]
        },
    }


def cost_of(cpu_without, cpu_with):
    """What the telemetry costs, in per cent, from the CPU a request without it and with it."""
    return round((1 - cpu_without / cpu_with) * 100, 1)


def workers_cpu(stack, gunicorn):
    return sum(cpu_seconds(pid) for pid in stack.worker_pids(gunicorn))


def served_since(access_log, offset, upstreams):
    """Requests each server answered (by its name in `upstreams`) since `offset` of nginx's access log."""
    with access_log.open() as lines:
        lines.seek(offset)
        served = collections.Counter(upstreams[line.split("|")[1]] for line in lines)
    if set(served) != set(upstreams.values()):
        raise RuntimeError(f"nginx did not alternate between the servers: {served}")
    return served


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def log_in_against_verify(stack, pairs=LOG_IN_PAIRS):
    """The log-in POST's median and the password hasher's (one verify in this process; needs
    configure_hasher() first), in ms, interleaved: each POST right after one verify, so a slow
    moment of the shared machine falls on both alike. Each POST is a fresh browser's, its page and
    captcha fetched outside the timing, the form URL-encoded as a browser sends it."""
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(DEMO_PASSWORD)
    posts, verifies = [], []
    for _ in range(pairs):
        started = time.perf_counter()
        check_password(DEMO_PASSWORD, encoded)
        verifies.append((time.perf_counter() - started) * 1000)
        browser = Visitor(stack.url)
        key, answer = browser.captcha("/accounts/login/", stack)
        fields = {"username": PRACTITIONER.national_id, "password": DEMO_PASSWORD}
        fields |= {"captcha_0": key, "captcha_1": answer}
        started = time.perf_counter()
        status, _body = browser.post("/accounts/login/", fields, urlencoded=True)
        posts.append((time.perf_counter() - started) * 1000)
        if status != 302:
            raise RuntimeError(f"the log-in POST answered {status}")
    return {"post_ms": round(percentile(posts, 0.5), 2), "verify_ms": round(percentile(verifies, 0.5), 2)}


def configure_hasher():
    """Django settings for this process: only the production password hasher."""
    from django.conf import settings

    settings.configure(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])


def login_script(stack, csrf, thread_count):
    """A wrk script posting the log-in form with a fresh, single-use captcha each time."""
    challenges = Path(tempfile.mkstemp(suffix=".txt")[1])
    challenges.write_text(stack.manage("captcha_challenges", "3000") + "\n")
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    values = {
        "challenges": challenges,
        "csrf": csrf,
        "username": PRACTITIONER.national_id,
        "password": DEMO_PASSWORD,
        "thread_count": thread_count,
    }
    script.write_text(LOGIN_LUA % values)
    return script


def log_in_run(stack, csrf, seconds, connections):
    script = login_script(stack, csrf, min(2, connections))
    # 16 Argon2 checks at once on 2 cores take over wrk's default 2 s to answer; a load
    # balancer waits longer than that, so the benchmark does too.
    figures = run_wrk(
        stack.url + "/accounts/login/", seconds, connections=connections, script=str(script), timeout_seconds=10
    )
    return {"kind": "login", **figures}


def cache_emptier(stack, redis_server):
    """A function emptying the stack's cache: Redis's, or the database cache's table (settings.CACHES)."""
    if CACHE == "redis":
        return redis_server.client.flushdb
    return lambda: stack.rows("DELETE FROM mumaris_cache RETURNING 1")


def certificate_download_ms(practitioner, empty_cache, runs=5):
    """Median milliseconds of a certificate download drawn afresh (the cache emptied first) and
    of the next one, from the cache. Leaves it cached for the throughput run."""
    drawn, cached = [], []
    for _ in range(runs):
        empty_cache()
        for times in (drawn, cached):
            started = time.perf_counter()
            status, body = practitioner.get("/services/certificate/")[:2]
            times.append((time.perf_counter() - started) * 1000)
            if status != 200 or not body.startswith(b"%PDF-"):
                raise RuntimeError(f"the certificate download answered {status}")
    return {"drawn": round(percentile(drawn, 0.5), 1), "cached": round(percentile(cached, 0.5), 1)}


def logged_in_visitor(stack, person):
    """A Visitor logged in as a demo person (one without a second factor)."""
    visitor = Visitor(stack.url)
    key, answer = visitor.captcha("/accounts/login/", stack)
    visitor.post(
        "/accounts/login/",
        {"username": person.national_id, "password": DEMO_PASSWORD, "captcha_0": key, "captcha_1": answer},
    )
    return visitor


def measure(seconds):
    """Every URL's wrk figures, the baseline's first."""
    # The cache and the rate limits in Redis, as in production: the counters are not database
    # writes (BENCH_CACHE=database: in the database's tables, the embedded default).
    with RedisServer(free_port()) as redis_server:
        caches = {"CACHE_URL": redis_server.url, "LIMITS_CACHE_URL": redis_server.url} if CACHE == "redis" else {}
        return measure_stack(seconds, redis_server, caches)


def measure_stack(seconds, redis_server, caches):
    results = {}
    with (
        Stack(
            "bench",
            port=8301,
            workers=WORKERS,
            CAPTCHA_TEST_MODE="false",
            **caches,
            VERIFY_RATE="100000000/m",
            REQUEST_TELEMETRY=str(TELEMETRY).lower(),
            API_RATE="100000000/m",
        ) as stack,
    ):
        # Baseline: same gunicorn command and worker count, the bare view's settings.
        baseline_env = {**stack.env, "DJANGO_SETTINGS_MODULE": "bench.bench_baseline"}
        command = [GUNICORN, "-c", GUNICORN_CONFIG, "mumaris.wsgi", "--bind", "127.0.0.1:8302"]
        command += ["--workers", str(WORKERS)]
        baseline = subprocess.Popen(command, cwd=BASE_DIR, env=baseline_env, stderr=subprocess.DEVNULL)
        stack.processes.append(baseline)  # stopped with the stack
        while fetch_status(BASELINE_URL) != 200:
            time.sleep(0.3)
        results["baseline"] = with_cpu_split(stack, baseline, functools.partial(run_wrk, BASELINE_URL, seconds))

        practitioner = logged_in_visitor(stack, PRACTITIONER)
        session_cookie = f"Cookie: sessionid={practitioner.cookies['sessionid']}"
        # Confirm the demo practitioner's data so the periodic review does not redirect the page.
        practitioner.post("/services/review-data/", {"action": "confirm", "next": "/requests/"})

        supervisor_cookie = f"Cookie: sessionid={signed_in_supervisor(stack)}"

        certificate_code = stack.value("SELECT code FROM registry_certificate LIMIT 1")
        practitioner.post("/services/share/", {"days": "30", "label": "bench", "shares_timeline": "on"})
        share_code_row = stack.rows("SELECT code, id FROM registry_sharecode LIMIT 1")[0]
        share_code, share_code_id = share_code_row["code"], share_code_row["id"]
        results["certificate_ms"] = certificate_download_ms(practitioner, cache_emptier(stack, redis_server))
        # The demo hospital's administrator reads its watchlist (no second factor needed to read).
        employer = logged_in_visitor(stack, EMPLOYER)
        employer_cookie = f"Cookie: sessionid={employer.cookies['sessionid']}"
        organisation_id = stack.value(
            "SELECT organisation_id FROM employers_membership JOIN accounts_user ON accounts_user.id = user_id"
            " WHERE national_id = %s",
            [EMPLOYER.national_id],
        )

        # The applicant whose application waits for review: its confirmation page (issue 25).
        applicant = logged_in_visitor(stack, SUBMITTED)
        applicant_cookie = f"Cookie: sessionid={applicant.cookies['sessionid']}"
        submitted_reference = stack.value(
            "SELECT reference FROM applications_application JOIN accounts_user ON accounts_user.id = applicant_id"
            " WHERE national_id = %s",
            [SUBMITTED.national_id],
        )

        bearer = f"Authorization: Bearer {stack.manage('api_token').strip()}"
        numbers = [row["membership_number"] for row in stack.rows(API_BATCH_NUMBERS_SQL)]
        # A hundred numbers, the demo's and unknown ones: each costs the same in the one query.
        batch = ",".join(numbers + [f"99{serial:08d}" for serial in range(100 - len(numbers))])
        pages = {
            "/": ("visitor", []),
            f"/verify/{certificate_code}/": ("verify", []),
            f"/verify/?q={PRACTITIONER_MEMBERSHIP_NUMBER}": ("verify", []),
            # Opening a share code is counted: one row and one update per request, by design.
            f"/verify/{share_code}/ (share code)": ("verify", []),
            "/eligibility/": ("visitor", []),
            "/privacy/": ("visitor", []),
            "/accounts/login/": ("captcha", []),
            "/accounts/signup/": ("captcha", []),
            "/ (logged in)": ("logged_in", [session_cookie]),
            "/requests/ (logged in)": ("logged_in", [session_cookie]),
            "/my-data/access-log/ (logged in)": ("logged_in", [session_cookie]),
            "/accounts/two-factor/ (logged in)": ("logged_in", [session_cookie]),
            "/services/share/ (logged in)": ("logged_in", [session_cookie]),
            # The code's openings, by now thousands (the share code's page above counts each).
            f"/services/share/{share_code_id}/openings/ (logged in)": ("logged_in", [session_cookie]),
            "/services/certificate/ (logged in)": ("logged_in", [session_cookie]),
            "/services/cpd/ (logged in)": ("logged_in", [session_cookie]),
            "/services/renewal/ (logged in)": ("logged_in", [session_cookie]),
            # Django's own admin index: the chrome every admin page pays (the app list, the
            # permissions, the admin's templates), shown beside the staff pages, with no target.
            "/admin/ (supervisor, Django's index)": ("admin_index", [supervisor_cookie]),
            "/admin/dashboard/ (supervisor)": ("staff", [supervisor_cookie]),
            "/admin/my-requests/ (supervisor)": ("staff", [supervisor_cookie]),
            f"/employers/{organisation_id}/ (organisation's watchlist)": ("logged_in", [employer_cookie]),
            f"/applications/{submitted_reference}/submitted/ (logged in)": ("logged_in", [applicant_cookie]),
            f"/api/v1/registrations/{PRACTITIONER_MEMBERSHIP_NUMBER} (API)": ("api", [bearer]),
            "/api/v1/registrations?numbers=… (API, 100 numbers)": ("api_batch", [bearer]),
        }
        paths = {"/api/v1/registrations?numbers=… (API, 100 numbers)": f"/api/v1/registrations?numbers={batch}"}
        paths = {label: paths.get(label, label.split(" ")[0]) for label in pages}
        offered = offered_script()
        for label, (kind, headers) in pages.items():
            url = stack.url + paths[label]
            results[label] = {"kind": kind, **against_baseline(stack, url, seconds, headers)}
            at_rate = run_wrk(url, OFFERED_SECONDS, connections=OFFERED_CONNECTIONS, headers=headers, script=offered)
            results[label]["offered"] = at_rate
        # Issue 26's figure for a batch is the time of one request, not a queue's: one connection.
        batch_url = stack.url + paths["/api/v1/registrations?numbers=… (API, 100 numbers)"]
        results[API_BATCH_ALONE] = {"kind": "api_batch", **run_wrk(batch_url, seconds, connections=1, headers=[bearer])}

        # The log-in POST: fresh challenges made by the server for each run, answers read from
        # the database; the benchmark account's lockout is out of the way (LOGIN_FAILURE_LIMIT).
        visitor = Visitor(stack.url)
        visitor.get("/accounts/login/")
        csrf = visitor.cookies["csrftoken"]
        results["log-in POST"] = log_in_run(stack, csrf, seconds, CONNECTIONS)
        results["log_in_against_verify"] = log_in_against_verify(stack)
        if TELEMETRY:
            costed = {label: (paths[label], headers) for label, (_kind, headers) in pages.items()}
            results["telemetry_cost"] = telemetry_cost(stack, costed)
    return results


def telemetry_cost(stack, pages):
    """The telemetry's cost on each page: a gunicorn with it against one without (`alternating`),
    each with half the workers, so that the machine runs as many as the production set-up. With
    the whole count each (twice as many processes on the two cores: more of every request's code
    and data pushed out of the caches between its turns) the telemetry, which runs cold once a
    request, measured about 1.5 points more, and every page more besides (docs/performance.md)."""
    servers = {}
    for name, telemetry in (("off", "false"), ("on", "true")):
        port = free_port()
        gunicorn = stack.start(port, workers=max(WORKERS // 2, 1), REQUEST_TELEMETRY=telemetry)
        servers[name] = (gunicorn, f"http://127.0.0.1:{port}")
    return alternating(stack, servers, pages, TELEMETRY_SECONDS, TELEMETRY_ROUNDS)


def signed_in_supervisor(stack):
    """The demo supervisor's session: the password, then the code of an authenticator app whose
    key this script gave the account (staff reach the admin only past a second factor)."""
    key = secrets.token_hex(20)
    stack.manage("add_authenticator", SUPERVISOR.national_id, key)
    supervisor = Visitor(stack.url)
    captcha_key, answer = supervisor.captcha("/accounts/login/", stack)
    supervisor.post(
        "/accounts/login/",
        {"username": SUPERVISOR.national_id, "password": DEMO_PASSWORD, "captcha_0": captcha_key, "captcha_1": answer},
    )
    supervisor.post("/accounts/login/code/", {"code": f"{totp(bytes.fromhex(key)):06d}"})
    return supervisor.cookies["sessionid"]


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    configure_hasher()
    results = measure(seconds)
    log_in = results.pop("log_in_against_verify")
    certificate_ms = results.pop("certificate_ms")
    telemetry = results.pop("telemetry_cost", {})
    base_rps = results["baseline"]["requests_per_second"]
    checks = {}
    print(
        f"machine: {platform.node()} {os.cpu_count()} cores, {platform.python_version()}, {WORKERS} gunicorn workers, "
        f"request telemetry {'on' if TELEMETRY else 'off'}, cache and limits in {CACHE}"
    )
    # "queue ms" is connections / requests per second: by Little's law, the mean time a request
    # spends in the server when every connection always has one waiting. A page's p99 can only
    # come down with it, that is by serving more requests per second.
    # "offered": the same URL at about OFFERED_RATE requests a second: what it got, and its p99.
    # "bare": the baseline's req/s in the page's rounds (median); "ratio": the median of the
    # rounds' ratios, "range" their lowest and highest. Pages without rounds: to the first baseline.
    print(
        f"{'URL':40} {'req/s':>8} {'bare':>7} {'ratio':>6} {'range':>10} {'p50 ms':>8} {'p99 ms':>8} {'queue ms':>8}"
        f" {'errors':>6} {'offered':>8} {'p99 ms':>8}  {'CPU ms a request: workers / PostgreSQL / rest':>45}"
    )
    for label, figures in results.items():
        bare_rps = figures.get("baseline_rps", base_rps)
        ratio = figures.setdefault("ratio_to_baseline", round(figures["requests_per_second"] / bare_rps, 3))
        spread = "{:.2f}–{:.2f}".format(*figures["ratio_range"]) if "ratio_range" in figures else ""
        figures["queue_ms"] = round(figures["connections"] / figures["requests_per_second"] * 1000, 1)
        offered = figures.get("offered")
        at_rate = f" {offered['requests_per_second']:8.1f} {offered['p99_ms']:8.1f}" if offered else " " * 18
        cpu = figures.get("cpu_ms")
        split = f"  {cpu['workers']:13.2f} / {cpu['postgres']:5.2f} / {cpu['rest']:5.2f}" if cpu else ""
        print(
            f"{label:40} {figures['requests_per_second']:8.1f} {bare_rps:7.0f} {ratio:6.2f} {spread:>10} "
            f"{figures['p50_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['queue_ms']:8.1f} {figures['errors']:6}"
            f"{at_rate}{split}"
        )
        kind = figures.get("kind")
        if kind in TARGETS:
            checks[f"{label}: ratio ≥ {TARGETS[kind]}"] = ratio >= TARGETS[kind]
        if offered:
            checks[f"{label}: p99 ≤ {P99_TARGET_MS} ms at ~{OFFERED_RATE} req/s"] = offered["p99_ms"] <= P99_TARGET_MS
        checks[f"{label}: no errors"] = (
            figures["errors"] == 0
            and figures["failed_log_ins"] == 0
            and not figures["socket_errors"]
            and not (offered and (offered["errors"] or offered["socket_errors"]))
        )
    checks[f"{API_BATCH_ALONE}: p50 ≤ {API_BATCH_TARGET_MS} ms"] = (
        results[API_BATCH_ALONE]["p50_ms"] <= API_BATCH_TARGET_MS
    )
    login_ratio = round(log_in["post_ms"] / log_in["verify_ms"], 3)
    print(
        f"Log-in POST {log_in['post_ms']} ms against one Argon2 verify {log_in['verify_ms']} ms "
        f"(medians of {LOG_IN_PAIRS}, interleaved) = {login_ratio} × verify"
    )
    checks[f"log-in median ≤ {LOGIN_TARGET_RATIO} × verify"] = login_ratio <= LOGIN_TARGET_RATIO
    print(f"Certificate download: {certificate_ms['drawn']} ms drawn, {certificate_ms['cached']} ms from the cache")
    checks[f"certificate drawn in ≤ {CERTIFICATE_TARGET_MS} ms"] = certificate_ms["drawn"] <= CERTIFICATE_TARGET_MS
    if telemetry:
        print(
            "The request telemetry's cost, against a gunicorn without it serving alternately (each with"
            f" {max(WORKERS // 2, 1)} workers): in throughput and in the workers' CPU (medians of {TELEMETRY_ROUNDS}"
            f" rounds of {TELEMETRY_SECONDS} s; the rounds' range):"
        )
    for label, cost in telemetry.items():
        print(
            f"{label:60} {cost['throughput_cost_percent']:5.1f} % ({cost['throughput_cost_range_percent'][0]} … "
            f"{cost['throughput_cost_range_percent'][1]})  {cost['cpu_cost_percent']:5.1f} % "
            f"({cost['cpu_cost_range_percent'][0]} … {cost['cpu_cost_range_percent'][1]})"
        )
        checks[f"{label}: telemetry < {TELEMETRY_TARGET_PERCENT} % of its throughput"] = (
            cost["throughput_cost_percent"] < TELEMETRY_TARGET_PERCENT
        )
    for check, passed in checks.items():
        print(f"{'PASS' if passed else 'MISS'}  {check}")
    summary = {
        "machine": {"node": platform.node(), "cores": os.cpu_count(), "python": platform.python_version()},
        "workers": WORKERS,
        "request_telemetry": TELEMETRY,
        "cache": CACHE,
        "connections": CONNECTIONS,
        "seconds_per_url": seconds,
        "argon2_verify_ms": log_in["verify_ms"],
        "login_post_ms": log_in["post_ms"],
        "login_median_over_verify": login_ratio,
        "certificate_download_ms": certificate_ms,
        "telemetry_cost": telemetry,
        "results": results,
        "checks": checks,
    }
    (RESULTS_DIR / ("bench.json" if CACHE == "redis" else f"bench-{CACHE}.json")).write_text(
        json.dumps(summary, indent=2, ensure_ascii=False)
    )
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
