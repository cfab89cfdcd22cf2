"""What the cyclic garbage collector costs a page: each collection's pause, with and without
`gc.freeze()` (what each gunicorn worker does once the application is loaded, mumaris/gunicorn_conf.py).

Two processes on the stack of `make bench` (PostgreSQL with the demo data; the test client, no
gunicorn): one freezes after Django is set up and before any request, as a worker does, one never
does. Each answers 30 requests to warm up, then 600 timed, with every collection timed by
`gc.callbacks`. Needs root and PostgreSQL, as `make bench`.

    .venv/bin/python -m bench.gc_pauses [ID_NUMBER PATH]    # default the supervisor's dashboard
"""

import gc
import os
import subprocess
import sys
import time

from bench import profile_page
from bench.loadstack import BASE_DIR, PYTHON, Stack
from devtools.demo import SUPERVISOR

WARM_UP, TIMED = 30, 600


def serve(username, path, freeze):
    """In the child process: the page's request times and each generation's collections."""
    client = profile_page.django_client(username, second_factor=username == SUPERVISOR.national_id)
    import logging

    for handler in logging.getLogger().handlers:  # the request lines, as in production, not shown
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115, PTH123
    if freeze:
        gc.freeze()
    for _ in range(WARM_UP):
        client.get(path)
    pauses, started = {0: [], 1: [], 2: []}, []

    def timed(phase, info):
        if phase == "start":
            started.append(time.perf_counter())
        else:
            pauses[info["generation"]].append(time.perf_counter() - started.pop())

    gc.callbacks.append(timed)
    times = []
    for _ in range(TIMED):
        begun = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - begun)
    gc.callbacks.remove(timed)
    times.sort()
    counts = [len(pauses[generation]) for generation in (0, 1, 2)]
    full = max(pauses[2], default=0) * 1000
    per_request = sum(sum(values) for values in pauses.values()) / TIMED * 1000
    print(
        f"freeze {'on ' if freeze else 'off'}: p50 {times[TIMED // 2] * 1000:.2f} ms, p99 "
        f"{times[int(TIMED * 0.99)] * 1000:.2f}, slowest {times[-1] * 1000:.2f}; collections {counts}, "
        f"longest full one {full:.2f} ms, collector {per_request:.3f} ms a request"
    )


def main():
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], sys.argv[3], sys.argv[4] == "on")
        return
    username, path = sys.argv[1:3] if len(sys.argv) > 2 else (SUPERVISOR.national_id, "/admin/dashboard/")
    stack = Stack("gc_pauses", port=0)
    try:
        stack.prepare()
        env = {**stack.env, "DJANGO_SETTINGS_MODULE": "mumaris.settings"}
        for freeze in ("off", "on"):
            command = [PYTHON, "-m", "bench.gc_pauses", "--serve", username, path, freeze]
            print(subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True).stdout)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
