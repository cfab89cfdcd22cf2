"""The client's address: one answer for the lockout and every rate limit.

With no proxy in front (TRUSTED_PROXY_COUNT=0) it is the TCP peer and X-Forwarded-For is
ignored, so a client cannot choose its own address. Behind N proxies that we run, each
appends the address it saw (nginx's `$proxy_add_x_forwarded_for`), so the Nth entry from the
right is the one our outermost proxy saw; whatever a client wrote to the left of it is never
read. A header with fewer than N entries did not come through all our proxies: the TCP peer
is used then.
"""

from django.conf import settings


def client_address(request):
    proxies = settings.TRUSTED_PROXY_COUNT
    peer = request.META.get("REMOTE_ADDR") or ""
    if not proxies:
        return peer
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return peer
    return entries[-proxies]
