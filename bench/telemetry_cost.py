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
    .venv/bin/python -m bench.telemetry_cost --together [SECONDS] [PAGE ...]

`--parts` adds two more gunicorns, each measured against the one without telemetry in the same
way: the telemetry on with its log lines thrown away (stderr to /dev/null: what writing them to a
file costs) and the metrics without the request line (bench/metrics_only_settings.py).

`--together` measures the two at the same moments instead of in turns, as `make bench` does at its
end (`bench.bench.alternating`: one nginx hands the requests to the two gunicorns in strict
alternation; the cost is in the workers' CPU a request). It moves far less from run to run.
"""

import json
import os
import statistics
import subprocess
import sys

from bench.bench import alternating, run_wrk
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


def page_on(label, values):
    """The path of one of PAGES on this stack and the headers its asker sends."""
    path, asker = PAGES[label]
    header = asker_header(asker, values)
    return path.format(**values), [f"{header[0]}: {header[1]}"] if header else []


def cost_percent(ratios):
    return round((1 - statistics.median(ratios)) * 100, 1)


def compare(stack, servers, labels, seconds, values):
    """Each variant's cost against "off", page by page: every round runs each server once, the
    order turned by one each round."""
    names = list(servers)
    figures = {}
    for label in labels:
        path, headers = page_on(label, values)
        for _gunicorn, base_url in servers.values():  # warm: templates compiled, connections open
            run_wrk(base_url + path, 1, headers=headers)
        turns = {name: [] for name in names}
        for round_number in range(ROUNDS):
            turned = round_number % len(names)
            for name in names[turned:] + names[:turned]:
                gunicorn, base_url = servers[name]
                turns[name].append(turn(stack, gunicorn, base_url + path, seconds, headers))
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
    together = arguments[:1] == ["--together"]
    arguments = arguments[1:] if parts or together else arguments
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
            if together:
                pages = {label: page_on(label, values) for label in labels}
                figures = alternating(stack, servers, pages, seconds, ROUNDS)
            else:
                figures = compare(stack, servers, labels, seconds, values)
    if together:
        print(f"{'page':36} {'req/s':>7} {'CPU ms':>7} {'rest ms':>7} {'in throughput':>22} {'in CPU':>22}")
        for label, figure in figures.items():
            throughput_range, cpu_range = figure["throughput_cost_range_percent"], figure["cpu_cost_range_percent"]
            print(
                f"{label:36} {figure['requests_per_second']:7.1f} {figure['cpu_ms']:7.3f} {figure['rest_cpu_ms']:7.3f}"
                f" {figure['throughput_cost_percent']:5.1f} % ({throughput_range[0]:4.1f} … {throughput_range[1]:4.1f})"
                f" {figure['cpu_cost_percent']:5.1f} % ({cpu_range[0]:4.1f} … {cpu_range[1]:4.1f})"
            )
        print(f"(telemetry on against off, served alternately by one nginx: medians of {ROUNDS} rounds of {seconds} s)")
        (RESULTS_DIR / "telemetry_cost_together.json").write_text(json.dumps(figures, indent=2))
        return
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
