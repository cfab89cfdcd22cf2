"""The portal's own middleware: language, request size and NUL checks, private pages, and the
request's identifier, metrics and log line."""

import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from .metrics import record_request
from .request_log import QueryCounter, current_queries, current_request_id, log_request, request_id_of, view_label


class RequestTelemetryMiddleware:
    """First of all: give the request its identifier, then time it, count its queries, record
    its metrics, write its one log line and return the identifier in `X-Request-ID`.

    Kept lean (a histogram observation, a query count and one log record a request): README
    "Operations" gives what it costs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        token = current_request_id.set(request.request_id)
        queries = QueryCounter()  # counted by `count_query`, on every connection
        queries_token = current_queries.set(queries)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_label(request)
            record_request(view, response.status_code, seconds, queries.count)
            log_request(request, view, response.status_code, seconds, queries.count)
        finally:
            current_queries.reset(queries_token)
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class CookieLanguageMiddleware:
    """Activate the language stored in the language cookie, else Arabic.

    Django's LocaleMiddleware falls back to the browser's Accept-Language header; a national
    portal speaks Arabic first whatever the browser says, so the header is ignored here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = activate_cookie_language(request)
        response = self.get_response(request)
        mark_cookie_language(response, language)
        return response


def activate_cookie_language(request):
    """Activate the language cookie's language, else Arabic; returns it."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in SUPPORTED_LANGUAGES:
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def mark_cookie_language(response, language):
    """The answer depends on the language cookie, and (unless it says otherwise) is in `language`."""
    patch_vary_headers(response, ("Cookie",))
    response.headers.setdefault("Content-Language", language)


# Pages a person must always be able to reach while the data review waits after log-in:
# log-out, the language switch, the health and readiness checks, the metrics, the captcha.
ALWAYS_REACHABLE_VIEW_NAMES = {"accounts:logout", "set_language", "healthz", "readyz", "metrics"}


def is_always_reachable(request, view_func):
    return request.resolver_match.view_name in ALWAYS_REACHABLE_VIEW_NAMES or view_func.__module__.startswith(
        "captcha."
    )


class RejectNulCharactersMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    PostgreSQL cannot store or compare text containing NUL, so such a value reaching a query
    (a URL's reference number, an admin search) would fail as a 500. No real address or
    search contains one. Form fields refuse NUL themselves, with a message on the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_values = (item for key, values in request.GET.lists() for item in (key, *values))
        if "\x00" in request.path or any("\x00" in value for value in query_values):
            raise SuspiciousOperation("NUL character in the address")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every page served to a logged-in person is `private, no-store`: it holds personal data
    that no shared cache, and no browser history after log-out, may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared length is over MAX_REQUEST_BYTES, before reading it.

    Django would read a 100 MB upload to its end before a form could refuse it. The proxy in
    front caps bodies too (nginx `client_max_body_size`); this is the limit behind it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
