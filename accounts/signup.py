"""Creating an account: the user row, the terms accepted, and the verification email.

Sign-up must not tell a stranger who is registered: an email that already has an account gets
the same answer as a new one, and its owner is told by email instead. (An ID number that is
taken is named on the form, after a solved captcha: its real owner needs to know.)
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.emails import queue_email
from core.site import absolute_reverse

from .email_confirmation import send_verification_email

security_log = logging.getLogger("mumaris.security")


class NationalIdTaken(Exception):
    """Another account took this ID number between the form's check and the insert."""


def sign_up(*, national_id, email, full_name_ar, full_name_en, password, language):
    """Create an inactive account and send its verification link once the row is committed.

    Returns the new user, or None when the email already belongs to an account: its owner is
    sent a notice instead, and the person signing up sees the same page either way.
    """
    users = get_user_model().objects
    existing = users.with_email(email).first()
    if existing is not None:
        _notify_existing_account(existing, password)
        return None
    try:
        with transaction.atomic():
            user = users.create_user(
                national_id=national_id,
                email=email,
                password=password,
                full_name_ar=full_name_ar,
                full_name_en=full_name_en,
                terms_version=settings.TERMS_VERSION,
                terms_accepted_at=timezone.now(),
                preferred_language=language,
                is_active=False,
            )
            send_verification_email(user)
    except IntegrityError as error:
        # A double click, or two people at once: the unique constraints decided.
        if users.filter(national_id=national_id).exists():
            raise NationalIdTaken from error
        _notify_existing_account(users.with_email(email).get(), password)
        return None
    security_log.info("account created user=%s", user.pk)
    return user


def _notify_existing_account(owner, password):
    # Hash the password all the same: a reply that came back faster would say the email is taken.
    make_password(password)
    security_log.info("sign-up with a registered email user=%s", owner.pk)
    context = {"user": owner, "reset_link": absolute_reverse("accounts:password_reset")}
    queue_email("accounts/email/signup_exists", context, owner.email, owner.preferred_language)


def delete_expired_unverified_accounts(now=None):
    """Delete the accounts whose verification link has expired unopened; returns how many.

    This frees their ID number and email for the real owner. One DELETE statement: several
    servers running it at once only delete the same rows once. Accounts that were ever
    verified (disabled ones included) are never touched.
    """
    cutoff = (now or timezone.now()) - settings.EMAIL_VERIFICATION_MAX_AGE
    expired = get_user_model().objects.filter(
        is_active=False, email_verified_at__isnull=True, last_login__isnull=True, date_joined__lt=cutoff
    )
    deleted, _by_model = expired.delete()
    if deleted:
        security_log.info("expired unverified accounts deleted count=%s", deleted)
    return deleted
