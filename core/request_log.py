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
import random
import re
import threading
import time
import weakref
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
    # 128 bits from the process's own generator, which Python seeds afresh in each forked worker:
    # an identifier to quote, not a secret (nothing is ever allowed by knowing one), so not a
    # system call to the kernel's random source on every request.
    return random.randbytes(16).hex()  # noqa: S311  # nosec B311


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
    now = time.time()
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
        "time": datetime.fromtimestamp(now, UTC),
    }
    handler = request_line_handler()
    if handler is not None:
        handler.add_line(orjson.dumps(line).decode() + handler.terminator)
        return
    record = new_request_record(now)
    record.request_id = request.request_id
    record.request_line = line
    request_log.handle(record)


def request_line_handler():
    """The request lines' own handler (settings.LOGGING) when the configuration sends them there and
    nowhere else, with no filter on the way: then a line is added to its batch as it is made, already
    the JSON its formatter would write, with no LogRecord and none of logging's dispatch (those were
    a third of what the telemetry cost a request, docs/performance.md). Any other configuration (a
    handler added, a filter, the lines propagated) has them go through logging as usual."""
    handlers = request_log.handlers
    if len(handlers) != 1 or request_log.propagate or request_log.filters:
        return None
    handler = handlers[0]
    return handler if type(handler) is RequestLineHandler and not handler.filters else None


# A request line's record has every attribute a handler or formatter may read (a %-style format
# reads the record's own dict), all but its time the same on every request: no source file,
# function, thread or process to name (its fields say all there is). Copied, not worked out again
# as `LogRecord()` does (the file name split, the time in three forms, the arguments checked),
# which was a good part of the line's cost (docs/performance.md).
REQUEST_RECORD_FIELDS = {
    **vars(logging.LogRecord(request_log.name, logging.INFO, "", 0, "request", (), None)),
    "thread": None,
    "threadName": None,
    "process": None,
    "processName": None,
}
PROCESS_STARTED = time.time()  # near enough to logging's own start, for `relativeCreated`


def new_request_record(created):
    record = logging.LogRecord.__new__(logging.LogRecord)
    record.__dict__.update(REQUEST_RECORD_FIELDS)
    record.created = created
    record.msecs = int(record.created * 1000) % 1000 + 0.0
    record.relativeCreated = (record.created - PROCESS_STARTED) * 1000
    return record


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


class BatchedStreamHandler(logging.StreamHandler):
    """The log's handler (settings.LOGGING "console"): a StreamHandler that writes its lines in
    batches, not one `write` system call each (747 requests of `/` made 12, docs/performance.md).

    Lines wait in the worker's memory and go out together: when `batch_lines` wait, when the
    oldest has waited `seconds`, at once with a record at WARNING or above (an error is never held
    back), and when the handler is closed (at exit). A thread of the handler's own writes what waits
    each `seconds` in a worker that has gone quiet. A forked child starts with nothing waiting (its
    parent writes its own lines). What a worker killed outright (SIGKILL, the out-of-memory killer)
    held is lost: at most `seconds` of its lines.
    """

    def __init__(self, stream=None, batch_lines=64, seconds=1.0):
        super().__init__(stream)
        self.batch_lines = batch_lines
        self.seconds = seconds
        self.waiting = []
        self.oldest = 0.0
        self.writer_pid = None  # the process whose writer thread runs (a fork has none)
        _BATCHED_HANDLERS.add(self)

    def emit(self, record):
        try:
            line = self.format(record) + self.terminator
        except Exception:  # as StreamHandler.emit: a line that cannot be made is reported, not raised
            self.handleError(record)
            return
        self.add_line(line, urgent=record.levelno >= logging.WARNING)

    def add_line(self, line, urgent=False):
        """Add a whole line (its terminator included) to the batch; `urgent` writes it at once."""
        with self.lock:  # the writer thread may be taking the batch
            now = time.monotonic()
            if not self.waiting:
                self.oldest = now
                self.start_writer()
            self.waiting.append(line)
            if urgent or len(self.waiting) >= self.batch_lines or now - self.oldest >= self.seconds:
                self.flush()

    def flush(self):
        with self.lock:
            # Nothing waiting, nothing to do: at exit the stream may be closed already (pytest's).
            if not self.stream or not self.waiting:
                return
            lines_waiting, self.waiting = "".join(self.waiting), []
            try:
                self.stream.write(lines_waiting)
                super().flush()
            except Exception:  # noqa: BLE001  as StreamHandler's: a full disk must not fail the request
                self.handleError(logging.makeLogRecord({"msg": "log lines lost"}))

    def close(self):
        # What waits is written, whoever closes the handler (logging's shutdown flushes first, a
        # new logging configuration does not).
        self.flush()
        super().close()

    def start_writer(self):
        pid = os.getpid()
        if self.writer_pid != pid:
            self.writer_pid = pid
            threading.Thread(target=self.write_waiting_lines, name="log-writer", daemon=True).start()

    def write_waiting_lines(self):
        while True:
            time.sleep(self.seconds)
            self.flush()


class RequestLineHandler(BatchedStreamHandler):
    """The request lines' own handler (settings.LOGGING: `mumaris.requests`, not propagated), with
    the JSON formatter: `log_request` adds each line to its batch directly (`request_line_handler`).
    Its lines go where the other handler's go (the standard error), in batches of their own."""


# Every batched handler of this process, so that a forked child forgets what its parent had waiting
# (the parent writes it): otherwise both would.
_BATCHED_HANDLERS = weakref.WeakSet()


def _forget_parents_lines():
    for handler in _BATCHED_HANDLERS:
        handler.waiting = []


os.register_at_fork(after_in_child=_forget_parents_lines)
