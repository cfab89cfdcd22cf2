"""The current password, asked again before a sensitive change: one check for every form.

Changing the password, changing the two-step settings and closing the account all ask for it;
each check counts against one per-user limit (`current-password`, CURRENT_PASSWORD_RATE), so a
stolen session cannot guess the password on one form after another, and every wrong one is logged.
"""

import logging

from django_ratelimit.exceptions import Ratelimited

from core.limits import LIMITS

security_log = logging.getLogger("mumaris.security")


def check_current_password(user, password, purpose):
    """Whether `password` is the user's. Past the limit, Ratelimited (a 429 page) is raised
    before the password is looked at, right or wrong."""
    if LIMITS["current-password"].reached(value=str(user.pk)):
        security_log.warning("current password: limit reached user=%s purpose=%s", user.pk, purpose)
        raise Ratelimited
    if user.check_password(password):
        return True
    security_log.warning("current password: wrong user=%s purpose=%s", user.pk, purpose)
    return False
