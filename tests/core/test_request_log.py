"""One JSON log line per request, the request's identifier on every line, in X-Request-ID and on
error pages; no personal data beyond the user's id."""

import io
import json
import logging
import os
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client

from core.request_log import (
    BatchedStreamHandler,
    RequestLineHandler,
    request_id_of,
    request_line_handler,
    request_log,
)

from ..conftest import login_data

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {"time", "level", "logger", "request_id", "user_id", "view", "method", "status", "duration_ms"}


@pytest.fixture
def json_lines():
    """The JSON objects the configured handlers wrote during the test: their streams swapped for
    one buffer, so the lines are the ones production writes, by the way production writes them."""
    configured = [*logging.getLogger().handlers, *request_log.handlers]
    handlers = [handler for handler in configured if isinstance(handler, BatchedStreamHandler)]
    stream = io.StringIO()
    earlier_streams = [handler.setStream(stream) for handler in handlers]  # earlier lines flushed first

    def lines():
        for handler in handlers:
            handler.flush()
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for handler, earlier_stream in zip(handlers, earlier_streams, strict=True):
        handler.setStream(earlier_stream)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "mumaris.requests"]


def test_each_request_writes_one_json_line_with_its_fields(client, json_lines):
    response = client.get("/terms/")
    (line,) = request_lines(json_lines())
    assert REQUEST_FIELDS | {"client", "queries"} <= set(line)
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["view"], line["method"], line["status"], line["user_id"]) == ("portal:terms", "GET", 200, None)
    assert line["client"] == "127.0.0.1"
    assert isinstance(line["queries"], int)
    assert line["duration_ms"] >= 0


def test_the_line_names_the_signed_in_user_by_id_only(alice_client, alice, json_lines):
    alice_client.get("/requests/?token=secret-value-in-the-query")
    (line,) = request_lines(json_lines())
    assert line["user_id"] == alice.pk
    written = json.dumps(line, ensure_ascii=False)
    for personal in (alice.email, alice.national_id, alice.full_name_ar, "secret-value-in-the-query", "/requests/"):
        assert personal not in written
    assert line["view"] == "portal:my_requests"
    assert line["queries"] > 0


def test_the_line_counts_every_query_of_its_request_and_none_of_others(alice_client, json_lines):
    made = []

    def note_query(execute, sql, params, many, context):
        made.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_query):
        alice_client.get("/requests/")
    alice_client.get("/requests/")
    first, second = request_lines(json_lines())
    assert first["queries"] == len(made) > 0
    assert second["queries"] == first["queries"]


def test_a_signed_link_path_never_reaches_the_log(client, json_lines):
    client.get("/accounts/verify/not-a-real-signed-key-1234/")
    written = json.dumps(json_lines())
    assert "not-a-real-signed-key-1234" not in written


def test_a_security_event_is_a_json_line_with_the_request_id(client, alice, json_lines):
    for _attempt in range(5):
        response = client.post("/accounts/login/", login_data(alice.national_id, "wrong password"))
    lockout = next(line for line in json_lines() if line["message"].startswith("lockout"))
    assert lockout["logger"] == "mumaris.security"
    assert lockout["level"] == "WARNING"
    assert lockout["request_id"] == response["X-Request-ID"]


def test_every_answer_carries_a_fresh_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_when_we_run_a_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/", HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    assert response["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.mark.parametrize(
    "offered",
    ["short", "x" * 65, "has space in it", "<script>alert(1)</script>", "newline\nInjected: 1", "عربي-عربي-عربي"],
)
def test_a_malformed_request_id_is_replaced(client, settings, offered):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/", HTTP_X_REQUEST_ID=offered)
    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_a_clients_own_request_id_is_ignored_without_a_proxy(client):
    response = client.get("/", HTTP_X_REQUEST_ID="chosen-by-the-client-1234")
    assert response["X-Request-ID"] != "chosen-by-the-client-1234"


def reference_shown(response):
    return f'<code class="request-id">{response["X-Request-ID"]}</code>' in response.content.decode()


def test_the_404_page_shows_the_reference_to_quote(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert reference_shown(response)


def test_the_403_page_shows_the_reference_to_quote(client, monkeypatch):
    import portal.views

    def refused():
        raise PermissionDenied

    monkeypatch.setattr(portal.views, "published_figures", refused)
    response = client.get("/service-levels/")
    assert response.status_code == 403
    assert reference_shown(response)


def test_the_csrf_page_shows_the_reference_to_quote(alice):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": alice.national_id})
    assert response.status_code == 403
    assert reference_shown(response)


def test_the_500_page_shows_the_reference_to_quote(client, monkeypatch):
    import portal.views

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(portal.views, "published_figures", broken)
    client.raise_request_exception = False
    response = client.get("/service-levels/")
    assert response.status_code == 500
    assert reference_shown(response)


def test_the_429_page_shows_the_reference_to_quote(client, settings):
    settings.VERIFY_RATE = "1/m"
    client.get("/verify/")
    response = client.get("/verify/")
    assert response.status_code == 429
    assert reference_shown(response)


def test_lines_wait_and_go_out_together_in_a_batch():
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, batch_lines=3, seconds=60)
    for number in range(2):
        handler.handle(logging.makeLogRecord({"msg": f"line {number}", "levelno": logging.INFO}))
    assert stream.getvalue() == ""
    handler.handle(logging.makeLogRecord({"msg": "line 2", "levelno": logging.INFO}))
    assert stream.getvalue().splitlines() == ["line 0", "line 1", "line 2"]


def test_a_warning_goes_out_at_once_with_what_waited_before_it():
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, batch_lines=100, seconds=60)
    handler.handle(logging.makeLogRecord({"msg": "request", "levelno": logging.INFO}))
    handler.handle(logging.makeLogRecord({"msg": "locked out", "levelno": logging.WARNING}))
    assert stream.getvalue().splitlines() == ["request", "locked out"]


def test_a_quiet_worker_writes_what_waits_within_the_interval_and_at_exit():
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, batch_lines=100, seconds=0.05)
    handler.handle(logging.makeLogRecord({"msg": "last request", "levelno": logging.INFO}))
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:  # the handler's own thread
        time.sleep(0.01)
    assert stream.getvalue() == "last request\n"
    handler.seconds = 60
    handler.handle(logging.makeLogRecord({"msg": "at exit", "levelno": logging.INFO}))
    handler.close()  # at exit, or when logging is configured again
    assert stream.getvalue().splitlines() == ["last request", "at exit"]


def test_a_stream_that_fails_does_not_fail_the_request(monkeypatch):
    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    reported = []
    handler = BatchedStreamHandler(FullDisk(), batch_lines=1)
    monkeypatch.setattr(handler, "handleError", reported.append)
    handler.handle(logging.makeLogRecord({"msg": "request", "levelno": logging.INFO}))
    assert [record.msg for record in reported] == ["log lines lost"]


def test_a_request_record_has_every_attribute_of_a_log_record(client):
    """Any formatter may be configured: a %-style one reads the record's own attributes."""
    every_attribute = " ".join(f"%({name})s" for name in vars(logging.makeLogRecord({})))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(every_attribute + " %(asctime)s %(message)s"))
    logger = logging.getLogger("mumaris.requests")
    logger.addHandler(handler)
    try:
        client.get("/terms/")
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("mumaris.requests request () INFO 20 ")  # name, msg, args, levelname, levelno, …
    assert line.endswith(" request")


def test_a_request_line_goes_straight_to_its_own_handler_only_when_it_is_the_only_one(client, json_lines, monkeypatch):
    """The short way (no record, no dispatch) is taken only where logging would have sent the line
    anyway; a handler added or a filter on the logger has the line go through logging, and both
    ways write the same line."""
    own = next(handler for handler in request_log.handlers if isinstance(handler, RequestLineHandler))
    monkeypatch.setattr(request_log, "handlers", [own])  # as configured: pytest adds its own to capture
    assert request_line_handler() is own
    client.get("/terms/")
    caught = []
    monkeypatch.setattr(request_log, "filters", [lambda record: caught.append(record) or True])
    assert request_line_handler() is None
    client.get("/terms/")
    straight, through_logging = request_lines(json_lines())
    assert [record.request_line["request_id"] for record in caught] == [through_logging["request_id"]]
    assert straight.keys() == through_logging.keys() == REQUEST_FIELDS | {"message", "client", "queries"}
    assert (straight["view"], straight["status"]) == (through_logging["view"], through_logging["status"])


def test_each_forked_worker_draws_its_own_request_ids(rf):
    """gunicorn forks its workers from one process: each must not repeat the others' identifiers."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the worker
        os.write(writer, request_id_of(rf.get("/")).encode())
        os._exit(0)
    os.waitpid(child, 0)
    assert os.read(reader, 64).decode() != request_id_of(rf.get("/"))


def test_a_forked_worker_does_not_write_its_parents_waiting_lines_again():
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, batch_lines=100, seconds=60)
    handler.handle(logging.makeLogRecord({"msg": "the parent's", "levelno": logging.INFO}))
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(writer, str(len(handler.waiting)).encode())
        os._exit(0)
    os.waitpid(child, 0)
    assert os.read(reader, 8) == b"0"
    handler.flush()
    assert stream.getvalue() == "the parent's\n"
