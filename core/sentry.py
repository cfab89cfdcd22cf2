"""Error reports to Sentry (sentry-sdk), only when SENTRY_DSN is set, with personal data scrubbed.

The SDK is told to collect no personal data (`data_collection`: no user, cookies, query strings,
bodies, SQL parameters or local variables) and every
event passes `scrub_event` on its way out: the request keeps its method and headers that name no
one; the body, cookies, query string and address (a path can carry a signed link or a reset token)
go; the user keeps only the id; emails and ID numbers in messages become placeholders. The
request's identifier is added as a tag, so a report and the JSON log lines meet.
"""

import re

from .request_log import current_request_id

KEPT_HEADERS = {"accept", "accept-language", "content-length", "content-type", "user-agent", "x-request-id"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# National ID and iqama numbers: ten digits starting with 1 or 2 (in any digit script).
ID_NUMBER = re.compile(r"(?<!\d)[12١٢۱۲]\d{9}(?!\d)")


def redact(text):
    if not isinstance(text, str):
        return text
    return ID_NUMBER.sub("[id number]", EMAIL.sub("[email]", text))


def scrub_request(request):
    return {
        "method": request.get("method"),
        "headers": {
            name: value for name, value in (request.get("headers") or {}).items() if name.lower() in KEPT_HEADERS
        },
    }


def scrub_exception(exception):
    for value in exception.get("values") or ():
        value["value"] = redact(value.get("value"))
        for frame in (value.get("stacktrace") or {}).get("frames") or ():
            frame.pop("vars", None)


def scrub_event(event, hint=None):
    """Sentry's `before_send`: the event without personal data (returns it changed)."""
    if "request" in event:
        event["request"] = scrub_request(event["request"])
    if "user" in event:
        event["user"] = {"id": event["user"]["id"]} if event["user"].get("id") is not None else {}
    if "exception" in event:
        scrub_exception(event["exception"])
    if "logentry" in event:
        event["logentry"] = {"message": redact(event["logentry"].get("message")), "params": []}
    if "message" in event:
        event["message"] = redact(event["message"])
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or ():
        breadcrumb["message"] = redact(breadcrumb.get("message"))
        breadcrumb.pop("data", None)
    event.pop("extra", None)
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def report_options(environment):
    """The SDK's options besides the address and the integrations (the tests build a client with them)."""
    return {
        "environment": environment,
        # What the integrations may collect (sentry-sdk's successor to send_default_pii=False): no
        # user, cookies, query strings, bodies, SQL parameters or local variables.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        "max_request_body_size": "never",
        "before_send": scrub_event,
        # Errors only: performance tracing would cost every request.
        "traces_sample_rate": 0,
    }


def start_error_reports(dsn, environment):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, integrations=[DjangoIntegration(transaction_style="url")], **report_options(environment))
