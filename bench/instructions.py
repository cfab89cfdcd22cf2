"""What the request telemetry costs, in instructions: load-proof where `bench.telemetry_cost`'s
requests per second are not.

Each page is asked for in one process (production settings, the demo data on a fresh PostgreSQL
database, Django's WSGI handler called directly: no gunicorn, no network) under valgrind's
callgrind, which counts the instructions the process executes whatever else the machine does.
A run of 50 requests and one of 250 are counted; their difference divided by 200 is one
request's instructions, the start-up cancelled out. The telemetry on and off are REQUEST_TELEMETRY
true and false. Instructions are not time (a cache
miss costs more than an add), but they are the same on a quiet machine and a busy one.
Needs valgrind (Debian's package) and root and PostgreSQL, as `make bench`.

With `--against-bare`, `make bench`'s ratios in instructions: each page's instructions a request
and the bare view's (`bench.bench_baseline`: the same settings and middleware, one view answering
"ok"), as bare ÷ page, the telemetry on, the cache and limits in a Redis as `make bench` has them,
the real captcha. Pages are named as in `PAGES` (a certificate's and a share code's page, the
pages of the demo practitioner signed in, the demo applicant's confirmation page, the demo
organisation's watchlist with its administrator signed in, and the API's single look-up with a
token of its own, are found or made on the stack first).

    .venv/bin/python -m bench.instructions [PATH ...]     # default /, /eligibility/, /verify/?q=…
    .venv/bin/python -m bench.instructions --against-bare [PAGE ...]   # default every one of PAGES
"""

import gc
import io
import json
import os
import re
import subprocess
import sys

from bench.loadstack import BASE_DIR, PYTHON, RedisServer, Stack
from devtools.demo import PRACTITIONER_MEMBERSHIP_NUMBER

SHORT, LONG = 50, 250
# Openings of the stack's share code before any page is counted: more than a page of them.
OPENINGS = 25
# `make bench`'s pages nearest their targets (bench/bench.py), by label: the address, with the
# stack's certificate or share code in it, and who asks it: nobody (False), the demo practitioner
# signed in (True), the demo applicant whose application waits for review (APPLICANT), the demo
# organisation's administrator signed in (ORGANISATION), or an organisation's API token (API).
API = "api"
APPLICANT = "applicant"
ORGANISATION = "organisation"
PAGES = {
    "/": ("/", False),
    "/verify/<certificate>/": ("/verify/{certificate}/", False),
    "/verify/?q=<number>": (f"/verify/?q={PRACTITIONER_MEMBERSHIP_NUMBER}", False),
    "/verify/<share code>/": ("/verify/{share_code}/", False),
    "/eligibility/": ("/eligibility/", False),
    "/privacy/": ("/privacy/", False),
    "/accounts/login/": ("/accounts/login/", False),
    "/accounts/signup/": ("/accounts/signup/", False),
    "/ (signed in)": ("/", True),
    "/requests/ (signed in)": ("/requests/", True),
    "/my-data/access-log/ (signed in)": ("/my-data/access-log/", True),
    "/accounts/two-factor/ (signed in)": ("/accounts/two-factor/", True),
    "/services/share/ (signed in)": ("/services/share/", True),
    "/services/share/<pk>/openings/ (signed in)": ("/services/share/{share_code_id}/openings/", True),
    "/services/certificate/ (signed in)": ("/services/certificate/", True),
    "/services/cpd/ (signed in)": ("/services/cpd/", True),
    "/services/renewal/ (signed in)": ("/services/renewal/", True),
    "/applications/<ref>/submitted/": ("/applications/{submitted_reference}/submitted/", APPLICANT),
    "API, one registration": (f"/api/v1/registrations/{PRACTITIONER_MEMBERSHIP_NUMBER}", API),
    "/employers/<id>/ (watchlist)": ("/employers/{organisation_id}/", ORGANISATION),
}
# The header each asker sends: its name, and the stack value (`stack_values`) it carries.
ASKER_HEADERS = {
    True: ("Cookie", "cookie"),
    APPLICANT: ("Cookie", "applicant_cookie"),
    ORGANISATION: ("Cookie", "employer_cookie"),
    API: ("Authorization", "authorization"),
}
BARE = "bench.bench_baseline"
# A port of this tool's own for the Redis of `--against-bare`.
REDIS_PORT = int(os.environ.get("BENCH_INSTRUCTIONS_REDIS_PORT", "20637"))


def asker_header(asker, values):
    """The header a page's asker sends, as (name, value) from the stack's `values`; None for a visitor."""
    if asker not in ASKER_HEADERS:
        return None
    name, value = ASKER_HEADERS[asker]
    return name, values[value]


def count(stack, telemetry, path, requests, env=None):
    """Instructions of a whole process answering `path` `requests` times; `env` adds to the stack's
    environment (DJANGO_SETTINGS_MODULE; BENCH_AUTHORIZATION, BENCH_COOKIE: an Authorization or a
    Cookie header sent with each request)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [PYTHON, "-m", "bench.instructions", "--serve", path, str(requests)]
    # A fixed hash seed: dictionaries laid out alike in every run.
    env = {**stack.env, "PYTHONHASHSEED": "0", "VERIFY_RATE": "100000000/m", "API_RATE": "100000000/m", **(env or {})}
    env["REQUEST_TELEMETRY"] = str(telemetry == "on")
    finished = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", finished.stderr).group(1))


def per_request(stack, telemetry, path, env=None):
    long, short = count(stack, telemetry, path, LONG, env), count(stack, telemetry, path, SHORT, env)
    return (long - short) // (LONG - SHORT)


def serve(path, requests):
    """In the child process: answer `path` `requests` times."""
    import django

    django.setup()
    import logging

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    for handler in logging.getLogger().handlers:  # the request lines, written as in production
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115, PTH123
    application = WSGIHandler()
    gc.freeze()  # as each gunicorn worker does once the application is loaded (mumaris/gunicorn_conf.py)
    headers = {
        meta: os.environ[variable]
        for meta, variable in (("HTTP_AUTHORIZATION", "BENCH_AUTHORIZATION"), ("HTTP_COOKIE", "BENCH_COOKIE"))
        if variable in os.environ
    }
    environ = RequestFactory(HTTP_HOST="localhost", **headers).get(path).environ

    def start_response(status, headers):
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")

    for _ in range(requests):
        body = application(dict(environ), start_response)
        b"".join(body)
        body.close()


def stack_values():
    """In a child process on the prepared stack: a certificate's code, a share code (made here, as
    `make bench` makes one), the demo practitioner's session cookie, its data review done, the demo
    applicant's whose application waits (and its reference), and an API token's Authorization
    header (as `make bench` makes one: the api_token command)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from applications.models import Application
    from devtools.demo import EMPLOYER, PRACTITIONER, SUBMITTED
    from employers.models import Membership
    from registry.models import Certificate
    from registry.sharing import create_share_code, record_view

    def session_cookie(client):
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    user = User.objects.get(national_id=PRACTITIONER.national_id)
    client = Client(HTTP_HOST="localhost", secure=True)
    client.force_login(user)
    # A due periodic data review would send every page to مراجعة البيانات.
    client.post("/services/review-data/", {"action": "confirm", "next": "/"})
    registration = user.practitioner_profile.registration
    share_code = create_share_code(registration, days=30, label="bench", shares_timeline=True)
    for _ in range(OPENINGS):  # a page of openings and more, as an employer's visits leave them
        record_view(share_code)
    applicant = User.objects.get(national_id=SUBMITTED.national_id)
    applicant_client = Client(HTTP_HOST="localhost", secure=True)
    applicant_client.force_login(applicant)
    employer = User.objects.get(national_id=EMPLOYER.national_id)
    employer_client = Client(HTTP_HOST="localhost", secure=True)
    employer_client.force_login(employer)
    token = io.StringIO()
    call_command("api_token", stdout=token)
    values = {
        "authorization": f"Bearer {token.getvalue().strip()}",
        "certificate": Certificate.objects.values_list("code", flat=True).first(),
        "share_code": share_code.code,
        "share_code_id": share_code.pk,
        "cookie": session_cookie(client),
        "applicant_cookie": session_cookie(applicant_client),
        "submitted_reference": Application.objects.get(applicant=applicant).reference,
        "employer_cookie": session_cookie(employer_client),
        "organisation_id": Membership.objects.get(user=employer).organisation_id,
    }
    print(json.dumps(values))


def values_on(stack):
    """`stack_values` of a prepared stack, made in a child process with the stack's settings."""
    finished = subprocess.run(
        [PYTHON, "-m", "bench.instructions", "--stack-values"],
        cwd=BASE_DIR,
        env=stack.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout)


def against_bare(labels):
    """Each page's instructions a request against the bare view's (`--against-bare`)."""
    with RedisServer(REDIS_PORT) as redis_server:
        redis_settings = {"CACHE_URL": redis_server.url, "LIMITS_CACHE_URL": redis_server.url}
        stack = Stack("instructions", port=0, CAPTCHA_TEST_MODE="false", **redis_settings)
        stack.env["PROMETHEUS_MULTIPROC_DIR"] = str(stack.media / "metrics")
        try:
            stack.prepare()
            values = values_on(stack)
            bare = per_request(stack, "on", "/", {"DJANGO_SETTINGS_MODULE": BARE})
            print(f"{'page':28} {'instructions':>13} {'bare ÷ page':>12}   (a request; the bare view: {bare:,})")
            for label in labels:
                path, asker = PAGES[label]
                header = asker_header(asker, values)
                env = {f"BENCH_{header[0].upper()}": header[1]} if header else None
                page = per_request(stack, "on", path.format(**values), env)
                print(f"{label:28} {page:13,} {bare / page:12.3f}", flush=True)
        finally:
            stack.stop()


def main():
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--stack-values"]:
        stack_values()
        return
    if sys.argv[1:2] == ["--against-bare"]:
        against_bare(sys.argv[2:] or list(PAGES))
        return
    paths = sys.argv[1:] or ["/", "/eligibility/", f"/verify/?q={PRACTITIONER_MEMBERSHIP_NUMBER}"]
    stack = Stack("instructions", port=0)
    # The metrics in files, as under gunicorn (mumaris/gunicorn_conf.py).
    stack.env["PROMETHEUS_MULTIPROC_DIR"] = str(stack.media / "metrics")
    try:
        stack.prepare()
        print(f"{'URL':32} {'on':>12} {'off':>12} {'cost':>7}   (instructions a request, telemetry on and off)")
        for path in paths:
            on, off = per_request(stack, "on", path), per_request(stack, "off", path)
            print(f"{path:32} {on:12,} {off:12,} {(on - off) / off * 100:6.1f}%")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
