"""Each request's identifier and its one JSON log line.

The identifier is the proxy's (`X-Request-ID`, nginx's `$request_id`) when we run proxies in
front (TRUSTED_PROXY_COUNT, the same rule as the client address) and it looks like one: 8 to 64
letters, digits, dots, dashes or underscores. Otherwise one is made. It goes back in the
`X-Request-ID` header and on error pages, so a person can quote it to support, and onto every
log line written while the request runs (`RequestIdFilter`), the security events included.

The request line names the URL by its name, never its path: paths carry signed links, reset
tokens and share codes. The only personal datum is the user's id.
"""

import contextvars
import logging
import os
import re
from datetime import UTC, datetime

import orjson
from django.conf import settings
from pythonjsonlogger.orjson import OrjsonFormatter

from .clients import client_address

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

current_request_id = contextvars.ContextVar("current_request_id", default=None)
request_log = logging.getLogger("mumaris.requests")


def request_id_of(request):
    """The proxy's identifier for this request when it is trusted and well formed, else a new one."""
    if settings.TRUSTED_PROXY_COUNT:
        offered = request.META.get(REQUEST_ID_HEADER, "")
        if ACCEPTABLE_REQUEST_ID.fullmatch(offered):
            return offered
    return os.urandom(16).hex()


def view_label(request):
    """The URL's name (`portal:home`), `static` for a static file, or `unmatched` (a 404 before any
    URL matched, or an answer given before resolving, such as a 413): a bounded set of labels."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def user_id_of(request):
    """The signed-in user's id, or None (an anonymous user's pk is None). The user is read only when
    the authentication middleware ran (every page's `Cache-Control` check has loaded it already,
    so this costs no query); one attribute read, since each goes through `request.user`'s proxy."""
    user = getattr(request, "user", None)
    return user.pk if user is not None else None


def log_request(request, view, status, seconds, queries):
    if not request_log.isEnabledFor(logging.INFO):
        return
    line = {
        "level": "INFO",
        "logger": request_log.name,
        "message": "request",
        "request_id": request.request_id,
        "user_id": user_id_of(request),
        "view": view,
        "method": request.method,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "client": client_address(request),
        "queries": queries,
        "time": datetime.now(UTC),
    }
    # The record is made here rather than by `request_log.info`, which would first walk the stack
    # to find its caller and then copy `extra` field by field: a line whose fields say all there is
    # to say needs neither.
    record = logging.LogRecord(request_log.name, logging.INFO, "", 0, "request", None, None)
    record.request_line = line
    request_log.handle(record)


class JsonLineFormatter(OrjsonFormatter):
    """python-json-logger's formatter (encoding with orjson: a fifth of the standard library's
    time, and UTF-8 as it is), with a short way for the request line: its fields are fixed and
    already plain JSON, so it is one `orjson.dumps` of them, the same object the library would
    write. The library's general way (every attribute of the record looked at, renamed and
    encoded) was most of what the request telemetry cost (docs/performance.md)."""

    def format(self, record):
        line = getattr(record, "request_line", None)
        if line is None:
            return super().format(record)
        return orjson.dumps(line).decode()


class RequestIdFilter(logging.Filter):
    """Put the current request's identifier on every log record (None outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class QueryCounter:
    """The number of database queries made while answering the current request."""

    __slots__ = ("count",)

    def __init__(self):
        self.count = 0


current_queries = contextvars.ContextVar("current_queries", default=None)


def count_query(execute, sql, params, many, context):
    """A database execute wrapper kept on every connection (`count_queries_on`): it adds to the
    current request's counter, if a request is being answered."""
    queries = current_queries.get()
    if queries is not None:
        queries.count += 1
    return execute(sql, params, many, context)


def count_queries_on(sender, connection, **kwargs):
    """Wrap a new connection's queries once for its life (Django's `connection_created`), instead
    of each request reaching the connection through its thread-local handler to wrap and unwrap
    it: that reach was a tenth of what the telemetry cost a request."""
    if count_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_query)
