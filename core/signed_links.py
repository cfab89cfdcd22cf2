"""Links that carry a signed, expiring payload (email verification, a new email address).

One way to make them and one way to read them: a link that is malformed, tampered with or
past its age raises LinkError with the reason, and `link_failed_page` says so to the person.
"""

from django.core import signing
from django.shortcuts import render


class LinkError(Exception):
    """The link's key is expired ("expired") or malformed, tampered with or overtaken ("invalid")."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def make_link_key(payload, salt):
    return signing.dumps(payload, salt=salt, compress=True)


def read_link_key(key, salt, max_age):
    """The payload signed into `key`; raises LinkError. `max_age` is a timedelta."""
    try:
        return signing.loads(key, salt=salt, max_age=max_age.total_seconds())
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:
        raise LinkError("invalid") from error


def link_failed_page(request, error, retry_url, retry_label):
    context = {"reason": error.reason, "retry_url": retry_url, "retry_label": retry_label}
    return render(request, "link_failed.html", context, status=400)
