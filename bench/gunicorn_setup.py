"""Which gunicorn set-up serves best on this machine: the number of workers, their class, preload.

One stack (PostgreSQL with the demo data, Redis as the cache and the limits' store, as in
production); for each set-up a gunicorn of its own on the same database, in turns, driven by wrk
on a visitor's page and a signed-in page: requests per second at 16 connections, and p99 at about
100 requests a second offered (make bench's two measures). Needs root and PostgreSQL, as `make bench`.

    .venv/bin/python -m bench.gunicorn_setup [SECONDS]      # default 5 s a measure
"""

import json
import statistics
import sys

from bench.bench import (
    CONNECTIONS,
    OFFERED_CONNECTIONS,
    logged_in_visitor,
    offered_script,
    run_wrk,
)
from bench.loadstack import RESULTS_DIR, RedisServer, Stack, free_port
from devtools.demo import PRACTITIONER

# name: (workers, gunicorn's other options)
SETUPS = {
    "2 sync workers": (2, ""),
    "3 sync workers": (3, ""),
    "4 sync workers": (4, ""),
    "4 sync workers, preloaded": (4, "--preload"),
    "2 gthread workers × 4 threads": (2, "--worker-class gthread --threads 4"),
    "4 gthread workers × 2 threads": (4, "--worker-class gthread --threads 2"),
}
ROUNDS = 2


def measure(seconds):
    with (
        RedisServer(free_port()) as redis_server,
        Stack(
            "gunicorn_setup", port=free_port(), workers=2, CACHE_URL=redis_server.url, LIMITS_CACHE_URL=redis_server.url
        ) as stack,
    ):
        practitioner = logged_in_visitor(stack, PRACTITIONER)
        practitioner.post("/services/review-data/", {"action": "confirm", "next": "/requests/"})
        pages = {"/": [], "/requests/ (signed in)": [f"Cookie: sessionid={practitioner.cookies['sessionid']}"]}
        offered = offered_script()
        servers = {}
        for name, (workers, options) in SETUPS.items():
            stack.workers = workers
            port = free_port()
            servers[name] = (stack.start(port, GUNICORN_CMD_ARGS=options), f"http://127.0.0.1:{port}")
        figures = {name: {page: {"rps": [], "p99": []} for page in pages} for name in SETUPS}
        # Only one gunicorn is driven at a time; the others wait idle.
        for _round in range(ROUNDS):
            for name, (_process, url) in servers.items():
                for page, headers in pages.items():
                    path = page.split(" ")[0]
                    figures[name][page]["rps"].append(
                        run_wrk(url + path, seconds, headers=headers)["requests_per_second"]
                    )
                    at_rate = run_wrk(
                        url + path, seconds, connections=OFFERED_CONNECTIONS, headers=headers, script=offered
                    )
                    figures[name][page]["p99"].append(at_rate["p99_ms"])
        return {
            name: {
                page: {key: statistics.median(values) for key, values in measures.items()}
                for page, measures in pages_figures.items()
            }
            for name, pages_figures in figures.items()
        }


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    RESULTS_DIR.mkdir(exist_ok=True)
    figures = measure(seconds)
    pages = list(next(iter(figures.values())))
    print(f"{'set-up':32}" + "".join(f" {page + ' req/s':>28} {'p99 ms':>8}" for page in pages))
    print(f"(median of {ROUNDS} turns, {CONNECTIONS} connections for req/s, ~100 req/s offered for p99)")
    for name, by_page in figures.items():
        print(f"{name:32}" + "".join(f" {by_page[page]['rps']:28.1f} {by_page[page]['p99']:8.1f}" for page in pages))
    (RESULTS_DIR / "gunicorn_setup.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
