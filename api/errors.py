"""The API's errors: each has a stable code that clients branch on, an HTTP status, and a
message in the request's language (the language cookie, else Accept-Language, else Arabic).

Declared once here; the documentation page lists them from this table.
"""

from dataclasses import dataclass

from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorKind:
    code: str
    status: int
    message: str


ERROR_KINDS = {
    kind.code: kind
    for kind in (
        ErrorKind("missing_token", 401, _("Send your API token in the Authorization header: Bearer <token>.")),
        ErrorKind("bad_token", 401, _("This API token is not valid.")),
        ErrorKind(
            "token_expired",
            401,
            _("This API token has expired. An administrator of your organisation can make a new one."),
        ),
        ErrorKind(
            "token_revoked",
            401,
            _("This API token was revoked. An administrator of your organisation can make a new one."),
        ),
        ErrorKind("organisation_not_approved", 403, _("Your organisation is not approved, so it cannot use the API.")),
        ErrorKind("rate_limited", 429, _("Too many requests with this token. Try again in %(seconds)s seconds.")),
        ErrorKind(
            "malformed_number", 400, _("A membership number has 10 digits, with or without hyphens: 26-0000-0001.")
        ),
        ErrorKind("not_found", 404, _("No registration has this membership number.")),
        ErrorKind("no_numbers", 400, _("Give at least one membership number in “numbers”, separated by commas.")),
        ErrorKind("too_many_numbers", 400, _("Give at most %(limit)s membership numbers in one request.")),
        ErrorKind(
            "bad_since",
            400,
            _("“since” must be a date and time in ISO 8601 with its offset: 2026-12-01T08:00:00+03:00."),
        ),
        ErrorKind("bad_page", 400, _("“page” must be a page number from 1 to %(pages)s.")),
        ErrorKind("bad_request", 400, _("This request's parameters could not be read.")),
        ErrorKind("unknown_address", 404, _("There is no API address here. The documentation lists them.")),
        ErrorKind("method_not_allowed", 405, _("The API only reads: use GET.")),
    )
}


class ApiError(Exception):
    """Raised anywhere under a view; answered as JSON by `error_response`."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.kind = ERROR_KINDS[code]
        self.params = params


def request_language(request):
    """The language cookie, else the Accept-Language header, else Arabic (LANGUAGE_CODE).

    The pages ignore the header (Arabic first for every visitor); a program has no cookie, so for
    the API the header is how it asks for English."""
    return translation.get_language_from_request(request)


def error_detail(error, language):
    """{"code": …, "message": …} in `language`."""
    with translation.override(language):
        message = str(error.kind.message)
    # Only the params a message names are used: "%(x)s" % {"x": 1, "y": 2} is fine, "%(x)s" % {} is not.
    return {"code": error.kind.code, "message": message % error.params if "%(" in message else message}


def error_response(request, error, headers=None):
    language = request_language(request)
    body = {"error": error_detail(error, language)}
    response = JsonResponse(body, status=error.kind.status, headers=headers, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return response
