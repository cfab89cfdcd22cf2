"""A staff member's first second factor needs more than the password: a link sent to their email.

The link carries the user's id and a random token, signed, for ENROLMENT_LINK_MAX_AGE (a day).
Only a hash of the token is stored (`EnrolmentLink`, one row per person), so a link works once:
using it empties the hash, a new link replaces it, and confirming a device deletes the row.
Log-ins send at most one email per ENROLMENT_LINK_INTERVAL per account, counted from the time in
that row (the database, never a cache that could forget it); a superuser may send one at any time.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from core.emails import queue_email
from core.signed_links import LinkError, make_link_key, read_link_key
from core.site import absolute_reverse

from .models import EnrolmentLink
from .two_factor import has_second_factor

SALT = "accounts.enrolment-link"
security_log = logging.getLogger("mumaris.security")


def token_hash(token):
    return hashlib.sha256(str(token).encode()).hexdigest()


def send_enrolment_link(user, by=None):
    """Email `user` a new link (the last one stops working). A log-in's request (`by` None) is
    skipped when one was sent less than ENROLMENT_LINK_INTERVAL ago; returns whether one was sent."""
    now = timezone.now()
    with transaction.atomic():
        link, created = EnrolmentLink.objects.select_for_update().get_or_create(user=user, defaults={"sent_at": now})
        if not created and by is None and now - link.sent_at < settings.ENROLMENT_LINK_INTERVAL:
            return False
        token = secrets.token_urlsafe(24)
        link.token_hash = token_hash(token)
        link.sent_at = now
        link.save(update_fields=["token_hash", "sent_at"])
        key = make_link_key({"user": user.pk, "token": token}, SALT)
        context = {
            "user": user,
            "link": absolute_reverse("accounts:enrolment_link", args=[key]),
            "hours": int(settings.ENROLMENT_LINK_MAX_AGE.total_seconds() // 3600),
        }
        queue_email("accounts/email/enrolment_link", context, user.email, user.preferred_language)
    security_log.info("enrolment link sent user=%s by=%s", user.pk, getattr(by, "pk", None))
    return True


def _payload(key):
    payload = read_link_key(key, SALT, settings.ENROLMENT_LINK_MAX_AGE)
    return payload.get("user"), token_hash(payload.get("token"))


def user_for_enrolment_link(key):
    """The staff member whose unused link this is; raises LinkError ("expired" or "invalid")."""
    user_id, hashed = _payload(key)
    link = EnrolmentLink.objects.select_related("user").filter(user_id=user_id).first()
    if link is None or not constant_time_compare(link.token_hash, hashed) or has_second_factor(link.user):
        raise LinkError("invalid")
    return link.user


def use_enrolment_link(key, user):
    """Spend `user`'s link; True when it was theirs and unused (once, even when two requests race)."""
    try:
        user_id, hashed = _payload(key)
    except LinkError:
        return False
    if user_id != user.pk or has_second_factor(user):
        return False
    used = EnrolmentLink.objects.filter(user=user, token_hash=hashed).update(token_hash="")  # nosec B106  (a token hash, emptied: the link is spent)
    if used:
        security_log.info("enrolment link used user=%s", user.pk)
    return bool(used)
