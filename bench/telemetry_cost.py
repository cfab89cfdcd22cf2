"""What the request metrics and the JSON request line cost (REQUEST_TELEMETRY), page by page.

One stack (`make bench`'s: PostgreSQL, the cache and limits in a Redis, the real captcha), two
gunicorns on the same database with the same worker count: one as in production, one with
REQUEST_TELEMETRY=false. Each page is driven by wrk on one, then the other, ROUNDS times, the order
swapped every round (on then off, off then on, …) so that neither gains from going first. A round
gives two ratios, off ÷ on, side by side in time: requests a second, and the workers' CPU a request
(user and system, from /proc: what serving one costs the workers whatever else the machine runs,
so it drifts far less than the rate). The figures are the medians of the rounds' ratios, as a cost
in per cent. Needs root, PostgreSQL and redis-server, as `make bench`.

    .venv/bin/python -m bench.telemetry_cost [SECONDS] [PAGE ...]   # default 5 s, every page of
                                                                    # bench.instructions' PAGES
    .venv/bin/python -m bench.telemetry_cost --parts [SECONDS] [PAGE ...]

`--parts` adds two more gunicorns, each measured against the one without telemetry in the same
way: the telemetry on with its log lines thrown away (stderr to /dev/null: what writing them to a
file costs) and the metrics without the request line (bench/metrics_only_settings.py).
"""

import json
import os
import statistics
import subprocess
import sys

from bench.bench import run_wrk
from bench.instructions import PAGES, asker_header, values_on
from bench.loadstack import RESULTS_DIR, RedisServer, Stack, cpu_seconds, free_port

ROUNDS = int(os.environ.get("ROUNDS", "6"))
WORKERS = 2


def turn(stack, gunicorn, url, seconds, headers):
    """One wrk run: requests a second, and the workers' CPU seconds a request."""
    workers = stack.worker_pids(gunicorn)
    cpu_before = sum(cpu_seconds(pid) for pid in workers)
    figures = run_wrk(url, seconds, headers=headers)
    if figures["errors"] or figures["socket_errors"]:
        raise RuntimeError(f"{url} answered errors: {figures}")
    cpu = sum(cpu_seconds(pid) for pid in workers) - cpu_before
    return figures["requests_per_second"], cpu / figures["requests"]


def cost_percent(ratios):
    return round((1 - statistics.median(ratios)) * 100, 1)


def compare(stack, servers, labels, seconds, values):
    """Each variant's cost against "off", page by page: every round runs each server once, the
    order turned by one each round."""
    names = list(servers)
    figures = {}
    for label in labels:
        path, asker = PAGES[label]
        header = asker_header(asker, values)
        headers = [f"{header[0]}: {header[1]}"] if header else []
        for _gunicorn, base_url in servers.values():  # warm: templates compiled, connections open
            run_wrk(base_url + path.format(**values), 1, headers=headers)
        turns = {name: [] for name in names}
        for round_number in range(ROUNDS):
            turned = round_number % len(names)
            for name in names[turned:] + names[:turned]:
                gunicorn, base_url = servers[name]
                turns[name].append(turn(stack, gunicorn, base_url + path.format(**values), seconds, headers))
        figures[label] = {"turns": turns}
        for name in names[1:]:
            paired = list(zip(turns[name], turns["off"], strict=True))
            figures[label][name] = {
                "rate_cost_percent": cost_percent([on[0] / off[0] for on, off in paired]),
                "cpu_cost_percent": cost_percent([off[1] / on[1] for on, off in paired]),
                "requests_per_second": statistics.median(rate for rate, _cpu in turns[name]),
                "cpu_ms": round(statistics.median(cpu for _rate, cpu in turns[name]) * 1000, 3),
            }
    return figures


def main():
    arguments = sys.argv[1:]
    parts = arguments[:1] == ["--parts"]
    arguments = arguments[1:] if parts else arguments
    seconds = int(arguments[0]) if arguments else 5
    labels = arguments[1:] or list(PAGES)
    RESULTS_DIR.mkdir(exist_ok=True)
    with RedisServer(free_port()) as redis_server:
        redis_settings = {"CACHE_URL": redis_server.url, "LIMITS_CACHE_URL": redis_server.url}
        # As `make bench`: no page refused by its rate limit.
        unlimited = {"VERIFY_RATE": "100000000/m", "API_RATE": "100000000/m"}
        stack = Stack(
            "telemetry", port=free_port(), workers=WORKERS, CAPTCHA_TEST_MODE="false", **redis_settings, **unlimited
        )
        with stack:
            values = values_on(stack)
            servers = {"off": start(stack, REQUEST_TELEMETRY="false"), "on": (stack.processes[0], stack.url)}
            if parts:
                servers["on, lines to /dev/null"] = start(stack, log=subprocess.DEVNULL)
                servers["metrics only"] = start(stack, DJANGO_SETTINGS_MODULE="bench.metrics_only_settings")
            figures = compare(stack, servers, labels, seconds, values)
    print(f"{'page':28} {'telemetry':24} {'req/s':>8} {'CPU ms':>7} {'cost in req/s':>13} {'in CPU':>7}")
    for label, figure in figures.items():
        for name in list(servers)[1:]:
            variant = figure[name]
            rate, cpu = f"{variant['rate_cost_percent']:.1f} %", f"{variant['cpu_cost_percent']:.1f} %"
            print(
                f"{label:28} {name:24} {variant['requests_per_second']:8.1f} {variant['cpu_ms']:7.3f} "
                f"{rate:>13} {cpu:>7}"
            )
    print(f"(against telemetry off: medians of {ROUNDS} rounds' ratios; {WORKERS} workers each; {seconds} s turns)")
    (RESULTS_DIR / "telemetry_cost.json").write_text(json.dumps(figures, indent=2))


def start(stack, log=None, **settings):
    """Another gunicorn on the stack's database: (its process, its address)."""
    port = free_port()
    return stack.start(port, log=log, **settings), f"http://127.0.0.1:{port}"


if __name__ == "__main__":
    main()
