"""Email verification: a signed, expiring link that activates the account on confirmation.

The key holds the user's id and the email it was sent to, so a link stops working when the
address changes. Opening the link shows a page; only its POST confirms, because mail
scanners open links.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.emails import queue_email
from core.signed_links import LinkError, make_link_key, read_link_key
from core.site import absolute_reverse

SALT = "accounts.email-verification"
security_log = logging.getLogger("mumaris.security")


def make_verification_key(user):
    return make_link_key({"user": user.pk, "email": user.email.lower()}, SALT)


def user_for_verification_key(key):
    """The user a key was made for; raises LinkError("expired" or "invalid")."""
    payload = read_link_key(key, SALT, settings.EMAIL_VERIFICATION_MAX_AGE)
    user = get_user_model().objects.filter(pk=payload.get("user")).first()
    if user is None or user.email.lower() != payload.get("email"):
        raise LinkError("invalid")
    return user


def send_verification_email(user):
    link = absolute_reverse("accounts:confirm_email", args=[make_verification_key(user)])
    context = {"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE.days}
    queue_email("accounts/email/verify", context, user.email, user.preferred_language)


def confirm_email(user):
    """Mark the email verified and activate the account (in one transaction)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_verified_at", "is_active"])
            security_log.info("email verified user=%s", user.pk)
    return user
