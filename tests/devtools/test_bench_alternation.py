"""`make bench`'s telemetry measure counts each gunicorn's requests from nginx's access log."""

import pytest

from bench.bench import served_since

UPSTREAMS = {"127.0.0.1:8401": "off", "127.0.0.1:8402": "on"}


def log_line(server):
    return f"127.0.0.1|{server}|200|GET|/privacy/|\n"


def test_each_servers_requests_are_counted_from_the_offset(tmp_path):
    access_log = tmp_path / "access.log"
    access_log.write_text(log_line("127.0.0.1:8402") * 3)
    offset = access_log.stat().st_size
    with access_log.open("a") as lines:
        lines.write((log_line("127.0.0.1:8401") + log_line("127.0.0.1:8402")) * 5 + log_line("127.0.0.1:8401"))
    assert served_since(access_log, offset, UPSTREAMS) == {"off": 6, "on": 5}


def test_a_round_one_server_sat_out_is_refused(tmp_path):
    """A server that answered nothing would make its CPU a request a division by zero, or hide a
    gunicorn that nginx gave up on."""
    access_log = tmp_path / "access.log"
    access_log.write_text(log_line("127.0.0.1:8401") * 4)
    with pytest.raises(RuntimeError, match="did not alternate"):
        served_since(access_log, 0, UPSTREAMS)
