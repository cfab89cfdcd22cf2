"""Error reports to Sentry carry no personal data: the scrubber, and the SDK as configured,
with a transport that keeps the envelopes instead of sending them (no network)."""

import sentry_sdk
from sentry_sdk.transport import Transport

from core.request_log import current_request_id
from core.sentry import report_options, scrub_event

DJANGO_EVENT = {
    "level": "error",
    "request": {
        "url": "https://mumaris.example.sa/accounts/reset/MTI/abc-set-password-token/",
        "method": "POST",
        "query_string": "next=/requests/&token=secret",
        "cookies": {"sessionid": "s3ss10n", "csrftoken": "c5rf"},
        "data": {"national_id": "1000000008", "password": "Mumaris-Demo-2026"},
        "headers": {
            "Cookie": "sessionid=s3ss10n",
            "Authorization": "Bearer scrape-token",
            "User-Agent": "Mozilla/5.0",
            "X-Forwarded-For": "203.0.113.9",
            "X-Request-ID": "0f1e2d3c4b5a6978",
        },
        "env": {"REMOTE_ADDR": "203.0.113.9"},
    },
    "user": {"id": 42, "email": "alice@example.sa", "username": "1000000008", "ip_address": "203.0.113.9"},
    "exception": {
        "values": [
            {
                "type": "ValueError",
                "value": "no account for alice@example.sa with ID 1000000008 or ٢٠٠٠٠٠٠٠٠٦",
                "stacktrace": {"frames": [{"function": "view", "vars": {"password": "Mumaris-Demo-2026"}}]},
            }
        ]
    },
    "logentry": {"message": "login failed username=%s", "params": ["1000000008"]},
    "breadcrumbs": {"values": [{"message": "lockout username=2000000006", "data": {"email": "pat@example.sa"}}]},
    "extra": {"form": {"email": "alice@example.sa"}},
}

PERSONAL = (
    "alice@example.sa",
    "pat@example.sa",
    "1000000008",
    "2000000006",
    "٢٠٠٠٠٠٠٠٠٦",
    "Mumaris-Demo-2026",
    "s3ss10n",
    "scrape-token",
    "203.0.113.9",
    "abc-set-password-token",
    "token=secret",
)


def test_the_scrubber_leaves_no_personal_data_in_an_event():
    import copy

    scrubbed = repr(scrub_event(copy.deepcopy(DJANGO_EVENT)))
    for personal in PERSONAL:
        assert personal not in scrubbed, personal


def test_the_scrubber_keeps_what_a_developer_needs():
    import copy

    token = current_request_id.set("0f1e2d3c4b5a6978")
    try:
        scrubbed = scrub_event(copy.deepcopy(DJANGO_EVENT))
    finally:
        current_request_id.reset(token)
    assert scrubbed["request"]["method"] == "POST"
    assert scrubbed["request"]["headers"] == {"User-Agent": "Mozilla/5.0", "X-Request-ID": "0f1e2d3c4b5a6978"}
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["exception"]["values"][0]["type"] == "ValueError"
    assert "[email]" in scrubbed["exception"]["values"][0]["value"]
    assert "[id number]" in scrubbed["exception"]["values"][0]["value"]
    assert scrubbed["tags"]["request_id"] == "0f1e2d3c4b5a6978"


class KeptEnvelopes(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_an_exception_reported_through_the_sdk_is_scrubbed_and_never_leaves_the_machine():
    transport = KeptEnvelopes()
    client = sentry_sdk.Client(
        dsn="https://public@sentry.invalid/1",
        transport=transport,
        **report_options("test"),
    )

    def look_up(email, national_id):
        raise LookupError(f"no account for {email} with ID {national_id}")

    # Built at run time: the report quotes the lines of source around each frame, which are not personal.
    email, national_id = "@".join(("alice", "example.sa")), "1" + "0" * 6 + "008"
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        scope.set_user({"id": 7, "email": email})
        try:
            look_up(email, national_id)
        except LookupError as error:
            sentry_sdk.capture_exception(error)
        client.flush()
    (envelope,) = transport.envelopes
    sent = envelope.serialize().decode()
    assert "LookupError" in sent
    for personal in (email, national_id):
        assert personal not in sent
