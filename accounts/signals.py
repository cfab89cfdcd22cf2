"""Security log (and metrics) of log-ins, failures, lockouts and log-outs. Never a password."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from core.clients import client_address
from core.metrics import record_lockout, record_login

from .middleware import start_session_clock

security_log = logging.getLogger("mumaris.security")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s address=%s", user.pk, client_address(request))
    record_login()


@receiver(user_logged_in)
def start_session_timeouts(sender, request, user, **kwargs):
    start_session_clock(request)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    security_log.info("logout user=%s", getattr(user, "pk", None))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_log.warning("lockout username=%s address=%s", username, ip_address)
    record_lockout()
