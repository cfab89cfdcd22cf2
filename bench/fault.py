"""Fault script: stop PostgreSQL for 10 s under steady load, start it again, check nothing is lost.

Runs gunicorn (production settings) against a fresh PostgreSQL database on loopback, drives
it with visitors that browse, log in, sign up and apply with uploads, stops the database
service for 10 seconds in the middle and starts it again. It then requires:
- during the outage: no 500 and no traceback; pages and /healthz answer 503;
- after the restart: /healthz and pages answer again within 5 seconds, without restarting gunicorn;
- `manage.py check_integrity`: no half-written application, event, profile or request.
Prints the figures and writes bench-results/fault.json. Needs root (it stops the service).

    .venv/bin/python -m bench.fault
"""

import collections
import json
import subprocess
import sys
import threading
import time

from bench.loadstack import BASE_DIR, PYTHON, RESULTS_DIR, Stack, Visitor, fetch_status, start_postgres, stop_postgres
from bench.measure import Recorder
from devtools.demo import APPLICANT, DEMO_PASSWORD

VISITORS = 6
BEFORE, OUTAGE, AFTER = 10, 10, 15


def visitor_loop(stack, record, stop_at, index):
    visitor = Visitor(stack.url, record)
    step = 0
    while time.time() < stop_at:
        step += 1
        action = (step + index) % 5
        if action == 0:
            visitor.get("/")
        elif action == 1:
            visitor.get("/eligibility/")
        elif action == 2:
            visitor = Visitor(stack.url, record)
            visitor.log_in(APPLICANT.national_id, DEMO_PASSWORD)
            visitor.get("/requests/")
        elif action == 3:
            Visitor(stack.url, record).sign_up()
        else:
            visitor.get("/healthz")
        time.sleep(0.05)


def main():
    record = Recorder()
    with Stack("fault", port=8102) as stack:
        start = time.time()
        stop_at = start + BEFORE + OUTAGE + AFTER
        threads = [
            threading.Thread(target=visitor_loop, args=(stack, record, stop_at, index)) for index in range(VISITORS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(BEFORE)
        outage_start = time.time()
        stop_postgres()
        time.sleep(OUTAGE)
        start_postgres()
        database_back = time.time()
        recovered = None
        while time.time() < database_back + 30:
            if fetch_status(stack.url + "/healthz") == 200 and fetch_status(stack.url + "/eligibility/") == 200:
                recovered = time.time() - database_back
                break
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        integrity = subprocess.run(
            [PYTHON, "manage.py", "check_integrity"],
            cwd=BASE_DIR,
            env=stack.env,
            capture_output=True,
            text=True,
            check=False,
        )

    answers = record.answers
    during = record.between(outage_start, database_back)
    settled = record.between(database_back + 5, stop_at)
    summary = {
        "requests": len(answers),
        "outage_seconds": round(database_back - outage_start, 1),
        "statuses_during_outage": dict(collections.Counter(str(answer.status) for answer in during)),
        "server_errors_500": sum(1 for answer in answers if answer.status == 500),
        "tracebacks": sum(1 for answer in answers if answer.traceback),
        "recovery_seconds": None if recovered is None else round(recovered, 2),
        "errors_after_recovery": sum(1 for answer in settled if answer.status is None or answer.status >= 500),
        "integrity": (integrity.stdout.strip() or integrity.stderr.strip()).splitlines()[-1],
    }
    checks = {
        "no 500 and no traceback": summary["server_errors_500"] == 0 and summary["tracebacks"] == 0,
        "outage answered 503": summary["statuses_during_outage"].get("503", 0) > 0,
        "back within 5 s": recovered is not None and recovered <= 5,
        "no error after recovery": summary["errors_after_recovery"] == 0,
        "integrity": integrity.returncode == 0,
    }
    summary["checks"] = checks
    (RESULTS_DIR / "fault.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
