"""`make bench` measures each page in rounds, each the bare view's run right before the page's:
a slow minute of the machine falls on both, and one slow round does not move the ratio."""

from bench import bench


def wrk_figures(requests_per_second, *, p50=2.0, p99=9.0, errors=0, cpu_ms=None):
    figures = {
        "connections": 16,
        "requests": int(requests_per_second * 2),
        "requests_per_second": requests_per_second,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": errors,
        "failed_log_ins": 0,
        "socket_errors": False,
    }
    return figures | ({"cpu_ms": cpu_ms} if cpu_ms else {})


def test_a_pages_ratio_is_the_median_of_its_rounds_each_to_the_bare_view_just_before_it():
    rounds = [
        (wrk_figures(2000), wrk_figures(400, cpu_ms={"workers": 2.0, "postgres": 0.2, "rest": 0.1})),
        # The machine slow for this round: both runs are, the ratio is the same.
        (wrk_figures(1000), wrk_figures(200, p99=30.0, cpu_ms={"workers": 4.0, "postgres": 0.4, "rest": 0.1})),
        (wrk_figures(2000), wrk_figures(300, p50=3.0, errors=1, cpu_ms={"workers": 2.0, "postgres": 0.2, "rest": 0.4})),
    ]
    figures = bench.combined_rounds(rounds)
    assert figures["ratio_to_baseline"] == 0.2
    assert figures["ratio_range"] == [0.15, 0.2]
    assert figures["requests_per_second"] == 300
    assert figures["baseline_rps"] == 2000
    assert (figures["p50_ms"], figures["p99_ms"]) == (2.0, 30.0), "the median p50, the worst p99"
    assert figures["requests"] == 1800
    assert figures["errors"] == 1
    # The CPU a request over all the page's requests: 800 at 2.0, 400 at 4.0, 600 at 2.0.
    assert figures["cpu_ms"] == {"workers": 2.444, "postgres": 0.244, "rest": 0.2}


def test_each_round_runs_the_bare_view_then_the_page_for_an_equal_share_of_the_time(monkeypatch):
    runs = []

    def run_wrk(url, seconds, **options):
        runs.append((url, seconds, options.get("headers")))
        return wrk_figures(1000 if url == bench.BASELINE_URL else 250)

    monkeypatch.setattr(bench, "run_wrk", run_wrk)
    monkeypatch.setattr(bench, "with_cpu_split", lambda stack, gunicorn, run: run() | {"cpu_ms": {"workers": 1.0}})
    stack = type("Stack", (), {"processes": [None]})()
    figures = bench.against_baseline(stack, "http://page/", 10, ["Cookie: a"])
    assert runs == [(bench.BASELINE_URL, 2, None), ("http://page/", 2, ["Cookie: a"])] * bench.PAGE_ROUNDS
    assert figures["ratio_to_baseline"] == 0.25
