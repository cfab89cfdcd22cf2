"""How long a registration is valid, and what its status is on a given day. Pure functions."""

import calendar
import datetime

from .models import RegistrationStatus

EXPIRED = "expired"


def add_months(day, months):
    """`day` moved on by `months` calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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
