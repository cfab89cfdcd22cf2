"""Soak: mixed traffic against gunicorn and PostgreSQL for 10 minutes; no 5xx, memory flat.

Visitors browse, sign up, log in with wrong and right passwords, and apply with uploads.
Each Argon2 check holds ~100 MiB while it runs, so memory sampled under load jumps; the
workers' memory is therefore compared idle: after a one-minute warm-up the visitors pause for
a few seconds and it is read, and again when the run ends. Passes when no answer is 5xx (or
missing) and the idle memory at the end is within 10% of the idle memory after warm-up. The
samples taken under load every 15 s are written too. Prints the figures
and writes bench-results/soak.json.

    .venv/bin/python -m bench.soak [SECONDS]     # default 600
"""

import collections
import json
import sys
import threading
import time

from bench.loadstack import RESULTS_DIR, Stack, Visitor, rss_kib
from bench.measure import Recorder, percentile
from devtools.demo import APPLICANT, DEMO_PASSWORD, PRACTITIONER, SUBMITTED

VISITORS = 6
WARM_UP = 60
SAMPLE_EVERY = 15
MAX_GROWTH = 0.10
IDLE_PAUSE = 5


def visitor_loop(stack, record, stop_at, index, running):
    step = 0
    while time.time() < stop_at:
        running.wait()
        step += 1
        visitor = Visitor(stack.url, record)
        action = (step + index) % 6
        if action == 0:
            for path in ("/", "/eligibility/", "/terms/", "/accounts/login/", "/accounts/signup/"):
                visitor.get(path)
        elif action == 1:
            visitor.sign_up()
        elif action == 2:
            visitor.log_in(SUBMITTED.national_id, "a-wrong-password")
        elif action == 3:
            visitor.log_in(SUBMITTED.national_id, DEMO_PASSWORD)
            visitor.get("/requests/")
            visitor.get("/services/")
        elif action == 4:
            visitor.log_in(APPLICANT.national_id, DEMO_PASSWORD)
            visitor.apply_with_upload()
            visitor.get("/requests/")
        else:
            visitor.log_in(PRACTITIONER.national_id, DEMO_PASSWORD)
            visitor.get("/services/update-member-data/")


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    record = Recorder()
    samples = []
    running = threading.Event()
    running.set()

    def idle_memory():
        """Workers' memory with no request in flight: pause the visitors, let them finish."""
        running.clear()
        time.sleep(IDLE_PAUSE)
        total = sum(rss_kib(pid) for pid in stack.worker_pids())
        running.set()
        return total

    with Stack("soak", port=8103) as stack:
        start = time.time()
        stop_at = start + seconds
        threads = [
            threading.Thread(target=visitor_loop, args=(stack, record, stop_at, index, running))
            for index in range(VISITORS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(min(WARM_UP, seconds / 3))
        baseline = idle_memory()
        while time.time() < stop_at:
            time.sleep(SAMPLE_EVERY)
            samples.append((round(time.time() - start), sum(rss_kib(pid) for pid in stack.worker_pids())))
        for thread in threads:
            thread.join()
        final = idle_memory()
        workers = len(stack.worker_pids())

    growth = (final - baseline) / baseline
    answers = record.answers
    statuses = collections.Counter(str(answer.status) for answer in answers)
    failures = sum(1 for answer in answers if answer.status is None or answer.status >= 500)
    latencies = [answer.seconds for answer in answers]
    summary = {
        "seconds": seconds,
        "workers": workers,
        "requests": len(answers),
        "requests_per_second": round(len(answers) / seconds, 1),
        "statuses": dict(statuses),
        "errors_5xx_or_none": failures,
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "worker_rss_kib_idle_after_warm_up": baseline,
        "worker_rss_kib_idle_at_end": final,
        "worker_rss_growth": round(growth, 3),
        "rss_samples": samples,
    }
    summary["passed"] = failures == 0 and growth <= MAX_GROWTH
    (RESULTS_DIR / "soak.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({key: value for key, value in summary.items() if key != "rss_samples"}, indent=2))
    sys.exit(0 if summary["passed"] else 1)


if __name__ == "__main__":
    main()
