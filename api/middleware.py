"""The employers' API single look-up, answered before the page middleware.

The look-up (`GET /api/v1/registrations/<number>`) is the API's hot path, and the middleware a
page needs, with django-ninja's run, were a quarter of its CPU (docs/performance.md). So a GET of
its address is answered here, straight after the middleware every answer needs (the request
telemetry, the security headers, the NUL check: MIDDLEWARE in mumaris/settings.py lists this one
after them), by the operation's own function (endpoints.answer_look_up) without django-ninja's
run around it. The address is resolved as Django would resolve it (only for addresses under
LOOK_UP_PREFIX), so it is the same URL, with the same name in the metrics; any other method or
address goes on the usual way (django-ninja answers a POST here with its JSON 405), and
django-ninja's OpenAPI description still describes the operation.

What the skipped middleware do, and why a look-up does not need it:
- WhiteNoise serves static files only, under /static/.
- Sessions, the user and its second factor, messages, the session's time-out, the data review,
  the private pages' Cache-Control, django-ratelimit's and axes' checks: all about a signed-in
  person or a log-in; the API's caller is a bearer token, checked by the look-up itself, with its
  own rate limit. The answer reads no session and sets no cookie, and says `private, no-store`.
- CSRF: a GET, which the check lets through anyway (and a bearer token is not sent by a browser
  on its own).
- The request size limit: the look-up never reads the body.
- CommonMiddleware: the address matched, so there is no slash to add; the Host header is
  checked against ALLOWED_HOSTS here (a request with another goes the usual way, to its 400).
What they add to an answer is added here alike: the language cookie's language activated, its
Content-Language and `Vary: Cookie` (CookieLanguageMiddleware), the Content-Security-Policy (the
site's, built once: it has no nonce), X-Frame-Options and Content-Length (CommonMiddleware's).
"""

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve

from core.middleware import activate_cookie_language, mark_cookie_language

from .endpoints import answer_look_up

LOOK_UP_PREFIX = "/api/v1/registrations/"
LOOK_UP_VIEW_NAME = "api:api-v1:registration"


class LookUpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {"Content-Security-Policy": build_policy(), "X-Frame-Options": settings.X_FRAME_OPTIONS}

    def __call__(self, request):
        if request.method != "GET" or not request.path_info.startswith(LOOK_UP_PREFIX):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name != LOOK_UP_VIEW_NAME:
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:  # refused as any page is (CommonMiddleware's 400)
            return self.get_response(request)
        request.resolver_match = match
        language = activate_cookie_language(request)
        response = answer_look_up(request, *match.args, **match.kwargs)
        mark_cookie_language(response, language)
        for header, value in self.headers.items():
            response.headers.setdefault(header, value)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response
