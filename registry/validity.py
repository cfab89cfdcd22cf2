"""How long a registration is valid, and what its status is on a given day. Pure functions."""

import datetime

from core.dates import add_months

from .models import RegistrationStatus

EXPIRED = "expired"


def period_end(start, months):
    """The last day of a period of `months` months that starts on `start` (both days included)."""
    return add_months(start, months) - datetime.timedelta(days=1)


def effective_status(status, valid_until, today):
    """The status a person is shown: staff's decision, or "expired" once an active registration's
    last valid day has passed."""
    if status == RegistrationStatus.ACTIVE and today > valid_until:
        return EXPIRED
    return status


def is_in_good_standing(status, valid_until, today):
    return effective_status(status, valid_until, today) == RegistrationStatus.ACTIVE


# Renewal opens this many days before the last valid day; reminders go at these days before it
# (0: on the day itself).
RENEWAL_OPENS_DAYS = 90
REMINDER_DAYS = (90, 30, 7, 0)


class RenewalWindow:
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def renewal_window(valid_until, today, grace_days):
    """Whether a renewal may be applied for on `today`: from RENEWAL_OPENS_DAYS before the last
    valid day until `grace_days` after it."""
    if today < valid_until - datetime.timedelta(days=RENEWAL_OPENS_DAYS):
        return RenewalWindow.NOT_YET
    if today > valid_until + datetime.timedelta(days=grace_days):
        return RenewalWindow.CLOSED
    return RenewalWindow.OPEN


def renewal_opens_on(valid_until):
    return valid_until - datetime.timedelta(days=RENEWAL_OPENS_DAYS)


def renewal_closes_on(valid_until, grace_days):
    """The last day a renewal may be applied for: the end of the grace period."""
    return valid_until + datetime.timedelta(days=grace_days)


def renewed_period(valid_until, approved_on, months):
    """(first day, last day) of the next period. Renewed in time (approved by the last valid
    day), it follows the old one without a gap; renewed late, it starts on the approval day."""
    start = valid_until + datetime.timedelta(days=1) if approved_on <= valid_until else approved_on
    return start, period_end(start, months)


def days_late(valid_until, on_day):
    """Days after the last valid day (0 when renewed in time)."""
    return max((on_day - valid_until).days, 0)


def reminder_due(valid_until, today):
    """The reminder to send today: the latest of REMINDER_DAYS already reached, or None before
    the first and after the last valid day. A job that did not run for a while sends the
    latest one only, never a stale "90 days left" at 20 days."""
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None
