"""What the request metrics and the JSON request line cost (REQUEST_TELEMETRY), page by page.

One stack, two gunicorns on the same database with the same worker count: one as in production,
one with REQUEST_TELEMETRY=false. Each page is driven by wrk on one, then the other, in turns
(ROUNDS times, so the shared machine's drift falls on both alike); the figure is the ratio of the
median requests per second. Needs root and PostgreSQL, as `make bench`.

    .venv/bin/python -m bench.telemetry_cost [SECONDS] [PATH ...]     # default 5 s, / and /eligibility/
"""

import json
import os
import statistics
import sys

from bench.bench import run_wrk
from bench.loadstack import RESULTS_DIR, Stack, free_port

ROUNDS = int(os.environ.get("ROUNDS", "3"))
WORKERS = 2


def compare(paths, seconds):
    with Stack("telemetry", port=free_port(), workers=WORKERS) as stack:
        without_port = free_port()
        stack.start(without_port, REQUEST_TELEMETRY="false")
        servers = {"on": stack.url, "off": f"http://127.0.0.1:{without_port}"}
        figures = {}
        for path in paths:
            rates = {"on": [], "off": []}
            for _round in range(ROUNDS):
                for telemetry, url in servers.items():
                    rates[telemetry].append(run_wrk(url + path, seconds)["requests_per_second"])
            on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
            figures[path] = {"on": on, "off": off, "cost_percent": round((1 - on / off) * 100, 1), "rates": rates}
        return figures


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    paths = sys.argv[2:] or ["/", "/eligibility/"]
    RESULTS_DIR.mkdir(exist_ok=True)
    figures = compare(paths, seconds)
    print(f"{'URL':30} {'on req/s':>9} {'off req/s':>9} {'cost':>6}   (median of {ROUNDS} turns, {WORKERS} workers)")
    for path, figure in figures.items():
        cost = f"{figure['cost_percent']:5.1f}%"
        print(f"{path:30} {figure['on']:9.1f} {figure['off']:9.1f} {cost}   turns: {figure['rates']}")
    (RESULTS_DIR / "telemetry_cost.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
