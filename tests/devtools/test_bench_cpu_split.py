"""`make bench` says where each page's CPU went a request: the gunicorn's workers, PostgreSQL, the rest."""

import os

from bench import bench, loadstack


def test_the_machines_cpu_is_split_by_the_requests_served(monkeypatch):
    readings = {
        "workers": iter([10.0, 12.0]),  # seconds of CPU so far, before and after the run
        # PostgreSQL's processes by pid: one ended meanwhile (its time counts as the rest), one began.
        "postgres": iter([{7: 3.0, 8: 9.0}, {7: 3.4, 9: 0.1}]),
        "machine": iter([100.0, 103.0]),
    }
    monkeypatch.setattr(bench, "workers_cpu", lambda stack, gunicorn: next(readings["workers"]))
    monkeypatch.setattr(bench, "postgres_cpu_seconds", lambda: next(readings["postgres"]))
    monkeypatch.setattr(bench, "machine_busy_seconds", lambda: next(readings["machine"]))
    figures = bench.with_cpu_split(None, None, lambda: {"requests": 1000, "requests_per_second": 100.0})
    assert figures["cpu_ms"] == {"workers": 2.0, "postgres": 0.5, "rest": 0.5}
    assert figures["requests_per_second"] == 100.0


def test_postgresqls_processes_are_found_by_their_name(monkeypatch, tmp_path):
    processes = [(11, "postgres", (30, 10)), (12, "python", (500, 0)), (13, "postgres", (5, 5))]
    for pid, name, user_and_system_ticks in processes:
        process = tmp_path / str(pid)
        process.mkdir()
        (process / "comm").write_text(f"{name}\n")
        fields = ["S"] + ["0"] * 10 + [str(tick) for tick in user_and_system_ticks] + ["0"] * 5
        (process / "stat").write_text(f"{pid} ({name}) {' '.join(fields)}\n")
    (tmp_path / "self").mkdir()
    real_path = loadstack.Path
    monkeypatch.setattr(loadstack, "Path", lambda path: real_path(str(path).replace("/proc", str(tmp_path), 1)))
    assert loadstack.postgres_cpu_seconds() == {11: 40 / os.sysconf("SC_CLK_TCK"), 13: 10 / os.sysconf("SC_CLK_TCK")}
