"""Service levels: within how many working days each kind of request is decided, and where a
waiting request stands against its promise.

Pure: facts (the spans during which a request waited for staff, the holidays, today) in, a
`Standing` out. Each app turns its own records into spans: applications from their status
history, data-update requests and continuing-education activities from creation to decision.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .working_days import add_working_days, working_days_between


class ServiceKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    RENEWAL = "renewal", _("Renewal of registration")
    DATA_UPDATE = "data_update", _("Member data update")
    CPD = "cpd", _("Continuing-education hours")


def target_days(kind):
    """The working days promised for `kind` (SERVICE_LEVEL_*_DAYS)."""
    return settings.SERVICE_LEVEL_DAYS[ServiceKind(kind).value]


def clock_spans(changes):
    """The (start, stop) days during which a request waited for staff, from its changes in time
    order: (day, waits) pairs, `waits` true when from that day the request is with staff. The
    last span is open (stop None) while the request still waits."""
    spans = []
    start = None
    for day, waits in changes:
        if waits and start is None:
            start = day
        elif not waits and start is not None:
            spans.append((start, day))
            start = None
    if start is not None:
        spans.append((start, None))
    return tuple(spans)


def working_days_waited(spans, today, holidays):
    """Working days on the clock: those after each span's start up to its stop (or today)."""
    return sum(working_days_between(start, stop or today, holidays) for start, stop in spans)


@dataclass(frozen=True)
class Standing:
    """Where a request that is not yet decided stands against its service level."""

    target_days: int
    waited_days: int
    # The working day by which it should be decided; None while the clock is paused.
    due: object
    paused: bool

    def is_overdue(self, today):
        return not self.paused and today > self.due


def standing(spans, days, today, holidays):
    """The standing of a request whose clock ran over `spans` (None for one never submitted).

    The due date moves later by the working days the request spent returned to the person. One
    that comes back after its time has run out is due on the day it comes back.
    """
    if not spans:
        return None
    waited = working_days_waited(spans, today, holidays)
    last_start, last_stop = spans[-1]
    if last_stop is not None:
        return Standing(target_days=days, waited_days=waited, due=None, paused=True)
    waited_before = working_days_waited(spans[:-1], today, holidays)
    due = add_working_days(last_start, max(days - waited_before, 0), holidays)
    return Standing(target_days=days, waited_days=waited, due=due, paused=False)
