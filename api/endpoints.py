"""The employers' read-only JSON API, /api/v1/ (django-ninja: the OpenAPI description is made
from these functions and api/schemas.py).

Every request needs `Authorization: Bearer <token>` of an approved organisation; it is counted
against the token's rate limit and recorded (usage.Metered). A single look-up is the hot path:
the token and the record are one statement (records.look_up), then the rate limit's hit and the
counts one Redis script (or, without Redis, an upsert each); the answer is built as plain JSON
(the schemas describe it and the tests hold the two together). Its GET is answered by the same
function without django-ninja's run and before the page middleware (`answer_look_up`,
api/middleware.py); django-ninja describes it and answers its other methods. The batch and the
watchlist count the hit first, before the heavier read.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from profiles.membership import parse_membership_number

from . import schemas
from .errors import ApiError, error_detail, error_response, request_language
from .records import BATCH_LIMIT, look_up, parse_numbers, records_by_number, watchlist_page
from .tokens import check_bearer, read_bearer
from .usage import Metered

SINCE_YEARS = (1900, 9000)
ERROR_RESPONSES = {400: schemas.ErrorBody, 401: schemas.ErrorBody, 403: schemas.ErrorBody, 429: schemas.ErrorBody}


class BearerToken(HttpBearer):
    """The request's bearer token (tokens.Bearer) as `request.auth`, read without the database, or
    an ApiError saying why not. Each operation then has the table accept it (`accepted`)."""

    def __call__(self, request):
        return read_bearer(request.headers.get("Authorization"))

    def authenticate(self, request, token):  # pragma: no cover  (__call__ does it all)
        raise NotImplementedError


def accepted(request, client):
    """The token was accepted: from here the request is counted (`request.metered`), answered or refused."""
    request.metered = Metered(client)
    return client


def let_through(request):
    """The bearer's client, once the table accepted the token and its rate limit let the request through."""
    client = accepted(request, check_bearer(request.auth))
    request.metered.let_through()
    return client


api = NinjaAPI(
    title="Mumaris employers' API",
    version="1",
    description=(
        "Read-only: the public record of practitioners' registrations, for approved organisations. "
        "Documentation in Arabic and English: /api/v1/docs/"
    ),
    urls_namespace="api:api-v1",
    docs_url=None,  # our own documentation page (api/views.py), in both languages, without scripts
    auth=BearerToken(),
)


@api.exception_handler(ApiError)
def api_error(request, error):
    metered = getattr(request, "metered", None)
    if metered is not None:  # a refusal after the token was accepted (a bad number, say) is a use too
        try:
            metered.settle()
        except ApiError as refused:  # unless the token's rate limit is reached
            error = refused
    headers = {}
    if error.kind.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if error.kind.code == "rate_limited":
        headers["Retry-After"] = str(error.params["seconds"])
    return error_response(request, error, headers)


@api.exception_handler(ValidationError)
def unreadable_parameters(request, error):
    return error_response(request, ApiError("bad_request"))


@api.exception_handler(AuthenticationError)
def no_token(request, error):
    return error_response(request, ApiError("missing_token"), {"WWW-Authenticate": 'Bearer realm="api"'})


def answer(request, data, registration_ids=()):
    """The JSON answer, counted as a use of the token with the registrations it returns.
    Organisations' answers are theirs alone: no cache keeps them."""
    request.metered.settle(registration_ids)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@api.get(
    "/registrations/{number}",
    response={200: schemas.Registration, 404: schemas.ErrorBody, **ERROR_RESPONSES},
    summary="One registration by membership number",
    operation_id="registration",
)
def registration(request, number: str):
    """The public record of one registration. The number may have hyphens or spaces, and Arabic-Indic digits."""
    digits = parse_membership_number(number)
    client, found = look_up(request.auth, [digits] if digits else [])
    accepted(request, client)
    if digits is None:
        raise ApiError("malformed_number")
    found = found.get(digits)
    if found is None:
        raise ApiError("not_found")
    registration_id, record = found
    return answer(request, record, [registration_id])


def answer_look_up(request, number):
    """The single look-up as `registration` answers it under django-ninja (its token read as
    BearerToken reads it, its errors as `api_error` answers them), without django-ninja's run
    around it: api.middleware.LookUpMiddleware answers a GET of the look-up's address with it."""
    try:
        request.auth = read_bearer(request.META.get("HTTP_AUTHORIZATION"))  # request.headers is built on first use
        return registration(request, number)
    except ApiError as error:
        return api_error(request, error)


@api.get(
    "/registrations",
    response={200: schemas.BatchBody, **ERROR_RESPONSES},
    summary=f"Up to {BATCH_LIMIT} registrations at once",
    operation_id="registrations",
)
def registrations(request, numbers: str = ""):
    """`numbers`: up to 100 membership numbers, separated by commas. Each result says what was
    found for one number, in the order sent; a malformed or unknown number is an error in its
    own result, not in the whole answer."""
    client = let_through(request)
    typed = parse_numbers(numbers)
    found = records_by_number(client.organisation_id, [digits for _text, digits in typed if digits])
    language = request_language(request)
    errors = {code: error_detail(ApiError(code), language) for code in ("malformed_number", "not_found")}
    results = []
    for text, digits in typed:
        if digits in found:
            results.append({"number": text, "registration": found[digits][1], "error": None})
        else:
            error = errors["not_found" if digits else "malformed_number"]
            results.append({"number": text, "registration": None, "error": error})
    return answer(request, {"results": results}, [registration_id for registration_id, _record in found.values()])


@api.get(
    "/watchlist",
    response={200: schemas.WatchlistBody, **ERROR_RESPONSES},
    summary="Your organisation's watchlist, or what changed on it since a time",
    operation_id="watchlist",
)
def watchlist(request, since: str = "", page: str = "1"):
    """Every registration your organisation watches, 500 a page, oldest entry first. With `since`
    (ISO 8601, e.g. 2026-12-01T08:00:00+03:00), only those added or changed since then: status,
    validity, renewal, name or specialty, or expired. Keep `as_of` for the next call."""
    client = let_through(request)
    as_of = timezone.now()
    changed_since = _parse_since(since) if since else None
    listed = watchlist_page(client.organisation_id, since=changed_since, page=page, now=as_of)
    body = {"since": changed_since, "as_of": as_of, "page": listed.number, "has_next": listed.has_next}
    return answer(request, {**body, "count": listed.count, "results": listed.records})


def _parse_since(text):
    """An ISO 8601 time; without an offset, Saudi time. Years far off are refused: a day before
    the year 1 cannot be counted back to."""
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None or not SINCE_YEARS[0] <= moment.year <= SINCE_YEARS[1]:
        raise ApiError("bad_since")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
