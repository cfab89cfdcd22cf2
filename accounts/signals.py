"""Security log of log-ins, failures, lockouts and log-outs. Never a password."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from portal.clients import client_address

from .middleware import SECOND_FACTOR_PENDING_KEY, start_session_clock
from .two_factor import has_second_factor

security_log = logging.getLogger("mumaris.security")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s address=%s", user.pk, client_address(request))


@receiver(user_logged_in)
def start_session_timeouts(sender, request, user, **kwargs):
    start_session_clock(request)


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    """The password alone is not enough for someone with a second factor (django-otp marks the
    session verified when a device was used for this log-in, as it is at enrolment)."""
    if getattr(user, "otp_device", None) is None and has_second_factor(user):
        request.session[SECOND_FACTOR_PENDING_KEY] = True


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user=%s", getattr(user, "pk", None))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_log.warning("lockout username=%s address=%s", username, ip_address)
