"""Creating an account: the user row, the terms accepted, and the verification email."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .verification import send_verification_email

security_log = logging.getLogger("mumaris.security")


class AccountTaken(Exception):
    """Another account took this ID number or email between the form's check and the insert."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


def create_account(*, national_id, email, full_name_ar, full_name_en, password, language):
    """Create an inactive account and send its verification link once the row is committed."""
    users = get_user_model().objects
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
        raise AccountTaken("national_id" if users.filter(national_id=national_id).exists() else "email") from error
    security_log.info("account created user=%s", user.pk)
    return user
