"""The metrics add up across gunicorn workers (prometheus-client's multiprocess mode, set up by
mumaris/gunicorn_conf.py): two workers answer requests, one scrape counts them all."""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
REQUESTS = 60


def get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310 (loopback)
        return response.status, response.read().decode()


def wait_until_ready(url, process):
    deadline = time.time() + 30
    while time.time() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            return get(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer")


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_workers(tmp_path):
    """gunicorn with two workers and the project's config, on a migrated SQLite file of its own."""
    token = secrets.token_urlsafe(20)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mumaris.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "SECURE_SSL_REDIRECT": "false",
        "METRICS_TOKEN": token,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    base = Path(settings.BASE_DIR)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=base, env=env, check=True, capture_output=True)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")
    command = [GUNICORN, "-c", "mumaris/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    process = subprocess.Popen(command, cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url + "/readyz", process)
        yield url, token, tmp_path / "metrics"
    finally:
        process.terminate()
        process.wait(timeout=30)


def readyz_answers(text):
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "mumaris_http_request_duration_seconds_count" and sample.labels == {
                "view": "readyz",
                "status": "200",
            }:
                return sample.value
    return 0


def test_a_scrape_adds_up_the_requests_both_workers_answered(two_workers):
    url, token, directory = two_workers
    before = readyz_answers(get(url + "/metrics", token)[1])
    # Several at once, so that both workers take some.
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _index: get(url + "/readyz")[0], range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    counted_by = {path.stem.rsplit("_", 1)[-1] for path in directory.glob("counter_*.db")}
    assert len(counted_by) == 2, f"the requests were not shared by two workers: {counted_by}"
    # Whichever worker answers the scrape reads both workers' files.
    for _scrape in range(4):
        assert readyz_answers(get(url + "/metrics", token)[1]) == before + REQUESTS
