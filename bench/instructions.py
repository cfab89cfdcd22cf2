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

    .venv/bin/python -m bench.instructions [PATH ...]     # default /, /eligibility/, /verify/?q=…
"""

import os
import re
import subprocess
import sys

from bench.loadstack import BASE_DIR, PYTHON, Stack
from devtools.demo import PRACTITIONER_MEMBERSHIP_NUMBER

SHORT, LONG = 50, 250


def count(stack, telemetry, path, requests, env=None):
    """Instructions of a whole process answering `path` `requests` times; `env` adds to the stack's
    environment (BENCH_AUTHORIZATION: an Authorization header sent with each request)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [PYTHON, "-m", "bench.instructions", "--serve", path, str(requests)]
    # A fixed hash seed: dictionaries laid out alike in every run.
    env = {**stack.env, "PYTHONHASHSEED": "0", "VERIFY_RATE": "100000000/m", **(env or {})}
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
    headers = {"HTTP_AUTHORIZATION": os.environ["BENCH_AUTHORIZATION"]} if "BENCH_AUTHORIZATION" in os.environ else {}
    environ = RequestFactory(HTTP_HOST="localhost", **headers).get(path).environ

    def start_response(status, headers):
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")

    for _ in range(requests):
        body = application(dict(environ), start_response)
        b"".join(body)
        body.close()


def main():
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
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
