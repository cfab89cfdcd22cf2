"""The employers' API single look-up against the bare view, and where each one's CPU goes.

One stack as `make bench` has it (PostgreSQL, Redis for the cache and the limits, the demo data),
two gunicorns with the same worker count on it: the bare view's settings and the portal's. wrk
drives the bare view, then the look-up, in turns (ROUNDS times, so the shared machine's drift falls
on both alike); the figures are medians of the turns: requests per second, their ratio, and the CPU
each request cost the gunicorn workers, PostgreSQL's backends, Redis and wrk itself (from /proc),
which on a busy machine says more than the rate. Needs root and PostgreSQL, as `make bench`.

    .venv/bin/python -m bench.api_cost [SECONDS]     # default 5 s a turn

With `--instructions`, load-proof instead: the instructions one request of each costs the Django
process, counted by callgrind as `bench.instructions` counts them (no gunicorn, no network: the
WSGI handler called directly, the same database and Redis), PostgreSQL's and Redis' own work not
included (the rate says what they cost). Needs valgrind.

    .venv/bin/python -m bench.api_cost --instructions
"""

import contextlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import instructions
from bench.bench import run_wrk
from bench.loadstack import (
    BASE_DIR,
    GUNICORN,
    GUNICORN_CONFIG,
    RESULTS_DIR,
    RedisServer,
    Stack,
    cpu_seconds,
    fetch_status,
    free_port,
)
from devtools.demo import PRACTITIONER_MEMBERSHIP_NUMBER

ROUNDS = 3
WORKERS = 2
CONNECTIONS = 16


def children(pid):
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def cpu_of(pids):
    """The CPU time the processes `pids` have used so far (one that has ended counts nothing)."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += cpu_seconds(pid)
    return total


def database_backends(stack):
    """The PostgreSQL processes serving the stack's database (its workers' persistent connections)."""
    sql = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    return [row["pid"] for row in stack.rows(sql, [stack.name])]


def wrk_cpu_seconds():
    """CPU time used so far by this process's finished children (each wrk run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_bare_view(stack, port):
    """The bare view's gunicorn (bench.bench_baseline), as `make bench` starts it; stopped with the stack."""
    command = [GUNICORN, "-c", GUNICORN_CONFIG, "mumaris.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--log-level", "warning"]
    env = {**stack.env, "DJANGO_SETTINGS_MODULE": "bench.bench_baseline"}
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.processes.append(process)
    while fetch_status(f"http://127.0.0.1:{port}/") != 200:
        if process.poll() is not None:
            raise RuntimeError("the bare view's gunicorn did not start")
        time.sleep(0.3)
    return process


def compare(seconds):
    with (
        RedisServer(free_port()) as redis_server,
        Stack(
            "api_cost",
            port=free_port(),
            workers=WORKERS,
            CACHE_URL=redis_server.url,
            LIMITS_CACHE_URL=redis_server.url,
            API_RATE="100000000/m",
        ) as stack,
    ):
        bare_port = free_port()
        bare = start_bare_view(stack, bare_port)
        bearer = f"Authorization: Bearer {stack.manage('api_token').strip()}"
        runs = {
            "bare view": (f"http://127.0.0.1:{bare_port}/", [], bare),
            "API look-up": (
                f"{stack.url}/api/v1/registrations/{PRACTITIONER_MEMBERSHIP_NUMBER}",
                [bearer],
                stack.processes[0],
            ),
        }
        for url, headers, _gunicorn in runs.values():  # every worker's database connection opened
            run_wrk(url, 1, connections=CONNECTIONS, headers=headers)
        rates = {name: [] for name in runs}
        cpu = {name: {"workers": [], "postgres": [], "redis": [], "wrk": []} for name in runs}
        for _round in range(ROUNDS):
            for name, (url, headers, gunicorn) in runs.items():
                pids = {
                    "workers": children(gunicorn.pid),
                    "postgres": database_backends(stack),
                    "redis": [redis_server.process.pid],
                }
                before = {part: cpu_of(part_pids) for part, part_pids in pids.items()} | {"wrk": wrk_cpu_seconds()}
                figures = run_wrk(url, seconds, connections=CONNECTIONS, headers=headers)
                if figures["errors"]:
                    raise RuntimeError(f"{name}: {figures['errors']} answers were not 2xx")
                after = {part: cpu_of(part_pids) for part, part_pids in pids.items()} | {"wrk": wrk_cpu_seconds()}
                requests = figures["requests_per_second"] * seconds
                rates[name].append(figures["requests_per_second"])
                for part in cpu[name]:
                    cpu[name][part].append((after[part] - before[part]) / requests * 1000)
        return {
            name: {
                "requests_per_second": statistics.median(rates[name]),
                "turns": rates[name],
                "cpu_ms_a_request": {part: round(statistics.median(values), 3) for part, values in cpu[name].items()},
            }
            for name in runs
        }


def count_instructions():
    """Instructions a request of the bare view and of the look-up, in one process each (bench.instructions)."""
    with RedisServer(free_port()) as redis_server:
        settings = {"CACHE_URL": redis_server.url, "LIMITS_CACHE_URL": redis_server.url, "API_RATE": "100000000/m"}
        stack = Stack("api_instructions", port=0, **settings)
        # The metrics in files, as under gunicorn (mumaris/gunicorn_conf.py).
        stack.env["PROMETHEUS_MULTIPROC_DIR"] = str(stack.media / "metrics")
        try:
            stack.prepare()
            bearer = f"Bearer {stack.manage('api_token').strip()}"
            look_up = f"/api/v1/registrations/{PRACTITIONER_MEMBERSHIP_NUMBER}"
            bare = instructions.per_request(stack, "on", "/", {"DJANGO_SETTINGS_MODULE": "bench.bench_baseline"})
            api = instructions.per_request(stack, "on", look_up, {"BENCH_AUTHORIZATION": bearer})
        finally:
            stack.stop()
    print(f"instructions a request: bare view {bare:,}, API look-up {api:,}; bare ÷ look-up {bare / api:.3f}")


def main():
    if sys.argv[1:2] == ["--instructions"]:
        count_instructions()
        return
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    RESULTS_DIR.mkdir(exist_ok=True)
    figures = compare(seconds)
    bare = figures["bare view"]["requests_per_second"]
    print(f"{'':12} {'req/s':>8} {'ratio':>6}   CPU ms a request   (median of {ROUNDS} turns, {WORKERS} workers)")
    for name, figure in figures.items():
        parts = figure["cpu_ms_a_request"]
        split = ", ".join(f"{part} {value:.2f}" for part, value in parts.items())
        ratio = figure["requests_per_second"] / bare
        print(f"{name:12} {figure['requests_per_second']:8.1f} {ratio:6.3f}   {sum(parts.values()):.2f}: {split}")
    cpu = {name: sum(figure["cpu_ms_a_request"].values()) for name, figure in figures.items()}
    print(
        f"bare ÷ look-up in CPU a request (what decides on a busy machine): {cpu['bare view'] / cpu['API look-up']:.3f}"
    )
    (RESULTS_DIR / "api_cost.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
