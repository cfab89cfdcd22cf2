"""The supervisors' dashboard's figures, as pure arithmetic: what the apps count (the waiting
requests' clocks, the decisions by day) in, the figures the dashboard shows out.

Weeks are Saudi working weeks, Sunday to Saturday; "the last 12 weeks" are the current week and
the eleven before it. A request's age is the working days on its clock (pauses while it was
returned to the person left out), as the review lists show it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .service_levels import percentile, running_standing

WEEKS_SHOWN = 12
# The reviewers named on the dashboard, those with the most decisions; the rest are "others".
REVIEWERS_SHOWN = 10
# The upper bounds of the age bands but the last: 0–5, 6–10, over 10 working days.
AGE_BAND_LIMITS = (5, 10)
AGE_BAND_LABELS = (_("0–5 working days"), _("6–10 working days"), _("over 10 working days"))
SUNDAY = 6  # date.weekday()


@dataclass(frozen=True)
class WaitingFigures:
    """One kind's waiting requests by age band, and how many of them are overdue."""

    kind: str
    by_age: tuple
    overdue: int

    @property
    def total(self):
        return sum(self.by_age)


def age_band(waited_days):
    """The index of the age band of a request `waited_days` working days old."""
    return sum(1 for limit in AGE_BAND_LIMITS if waited_days > limit)


def waiting_figures(kind, clocks, days, today, holidays):
    """`kind`'s figures from its waiting requests' clocks: [((day the clock last started, working
    days waited before it), how many)], against its promise of `days` working days."""
    by_age = [0] * (len(AGE_BAND_LIMITS) + 1)
    overdue = 0
    for (started_on, waited_before), count in clocks:
        result = running_standing(started_on, waited_before, days, today, holidays)
        by_age[age_band(result.waited_days)] += count
        overdue += count if result.overdue else 0
    return WaitingFigures(kind=kind, by_age=tuple(by_age), overdue=overdue)


def week_start(day):
    """The Sunday that begins `day`'s week."""
    return day - datetime.timedelta(days=(day.weekday() - SUNDAY) % 7)


def last_weeks(today, count=WEEKS_SHOWN):
    """The first days of the last `count` weeks, the oldest first, the current week last."""
    current = week_start(today)
    return [current - datetime.timedelta(weeks=count - 1 - index) for index in range(count)]


def _week_index(weeks, day):
    """The position among `weeks` of the week `day` falls in (None outside them)."""
    start = week_start(day)
    return weeks.index(start) if start in weeks else None


def weekly_medians(times, weeks):
    """[(decisions, median working days to decision or None)] per week of `weeks`, from
    `times`: [(day of decision, working days it took)]. The median is the nearest rank, in whole
    days, as on the public page."""
    per_week = defaultdict(list)
    for decided_on, days in times:
        index = _week_index(weeks, decided_on)
        if index is not None:
            per_week[index].append(days)
    return [(len(per_week[index]), percentile(per_week[index], 0.5)) for index in range(len(weeks))]


def weekly_counts(day_counts, weeks):
    """{key: [count per week of `weeks`]} from `day_counts`: [(key, day, count)]."""
    per_key = defaultdict(lambda: [0] * len(weeks))
    for key, day, count in day_counts:
        index = _week_index(weeks, day)
        if index is not None:
            per_key[key][index] += count
    return dict(per_key)


def top_keys(totals, limit=REVIEWERS_SHOWN):
    """The `limit` keys of {key: count} with the most, the most first (ties by key)."""
    return [key for key, _count in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]]
