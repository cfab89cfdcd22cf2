"""The supervisors' dashboard (in the admin): waiting requests by kind and age, the overdue ones,
decisions per reviewer per week and the median working days to decision per week.

Counted by the periodic jobs and kept (`core.models.CountedFigures`), as the service-level
figures are: at a million applications the waiting ones' clocks take seconds to count and the
decisions' histories half a minute to read, which no page may do. The page reads the two rows in
one query. The waiting figures are counted every five minutes; the weekly ones every hour, from
the decisions the public figures read anyway (their 90 days hold the 12 weeks).
"""

import datetime
from collections import Counter
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from applications.models import ApplicationKind
from applications.service_levels import (
    application_reviewer_decisions,
    application_waiting_clocks,
    cpd_reviewer_decisions,
    cpd_waiting_clocks,
)
from core.dashboard import (
    REVIEWERS_SHOWN,
    WaitingFigures,
    last_weeks,
    top_keys,
    waiting_figures,
    weekly_counts,
    weekly_medians,
)
from core.holidays import holiday_dates
from core.models import CountedFigures
from core.service_levels import ServiceKind, start_of, target_days
from profiles.service_levels import request_reviewer_decisions, request_waiting_clocks

WAITING_FIGURES_NAME = "dashboard:waiting"
WEEKLY_FIGURES_NAME = "dashboard:weekly"

# Each kind's waiting clocks: (today, holidays) → [((clock started, waited before), count)].
WAITING_CLOCKS = {
    ServiceKind.REGISTRATION: lambda today, holidays: application_waiting_clocks(
        ApplicationKind.REGISTRATION, today, holidays
    ),
    ServiceKind.RENEWAL: lambda today, holidays: application_waiting_clocks(ApplicationKind.RENEWAL, today, holidays),
    ServiceKind.DATA_UPDATE: lambda today, holidays: request_waiting_clocks(),
    ServiceKind.CPD: lambda today, holidays: cpd_waiting_clocks(),
}
# Reviewers' decisions of every kind, each a queryset with `decision_by` and `decision_at`.
REVIEWER_DECISIONS = (application_reviewer_decisions, request_reviewer_decisions, cpd_reviewer_decisions)
# The key under which every reviewer's decisions are counted together.
EVERYONE = "everyone"


def count_waiting_figures(today):
    """Each kind's waiting requests by age band, and the overdue ones (the five-minute job)."""
    holidays = holiday_dates()
    figures = [
        asdict(waiting_figures(kind.value, clocks(today, holidays), target_days(kind), today, holidays))
        for kind, clocks in WAITING_CLOCKS.items()
    ]
    CountedFigures.objects.update_or_create(name=WAITING_FIGURES_NAME, defaults={"data": figures, "counted_on": today})


def reviewer_decisions_by_day(since, limit=REVIEWERS_SHOWN):
    """(the `limit` reviewers with the most decisions since `since`, [(reviewer id or EVERYONE,
    day, decisions)]). The reviewers are chosen from each kind's `limit` busiest, so the
    database never returns one row per reviewer of a big service."""
    busiest = Counter()
    recent = [source().filter(decision_at__gte=since) for source in REVIEWER_DECISIONS]
    for decisions in recent:
        for row in (
            decisions.values("decision_by").annotate(count=Count("pk")).order_by("-count", "decision_by")[:limit]
        ):
            busiest[row["decision_by"]] += row["count"]
    shown = top_keys(busiest, limit)
    day_counts = []
    for decisions in recent:
        by_day = decisions.annotate(day=TruncDate("decision_at"))
        day_counts += [
            (row["decision_by"], row["day"], row["count"])
            for row in by_day.filter(decision_by__in=shown).values("decision_by", "day").annotate(count=Count("pk"))
        ]
        day_counts += [(EVERYONE, row["day"], row["count"]) for row in by_day.values("day").annotate(count=Count("pk"))]
    return shown, day_counts


def count_weekly_figures(today, decision_times):
    """Decisions per reviewer per week and the median working days to decision per week, over
    the last 12 weeks (the hourly job). `decision_times`: {kind: [(day of decision, working days
    it took)]}, the approvals and rejections the public figures read."""
    weeks = last_weeks(today)
    shown, day_counts = reviewer_decisions_by_day(start_of(weeks[0]))
    counts = weekly_counts(day_counts, weeks)
    reviewers = get_user_model().objects.filter(pk__in=shown)
    names = {user["pk"]: user for user in reviewers.values("pk", "full_name_ar", "full_name_en")}
    medians = weekly_medians([time for times in decision_times.values() for time in times], weeks)
    data = {
        "weeks": [week.isoformat() for week in weeks],
        "reviewers": [
            {
                "name_ar": names[pk]["full_name_ar"],
                "name_en": names[pk]["full_name_en"],
                "counts": counts[pk],
            }
            for pk in shown
            if pk in names
        ],
        "everyone": counts.get(EVERYONE, [0] * len(weeks)),
        "decided": [decided for decided, _median in medians],
        "medians": [median for _decided, median in medians],
    }
    CountedFigures.objects.update_or_create(name=WEEKLY_FIGURES_NAME, defaults={"data": data, "counted_on": today})


@dataclass(frozen=True)
class ReviewerWeeks:
    name: str
    counts: list


@dataclass(frozen=True)
class DashboardFigures:
    waiting: list  # [WaitingFigures], one per kind
    weeks: list  # the weeks' first days, oldest first
    reviewers: list  # [ReviewerWeeks]
    others: list  # per week: decisions by reviewers not named
    everyone: list  # per week: every reviewer's decisions
    decided: list  # per week: approvals and rejections
    medians: list  # per week: their median working days, or None
    counted_at: object  # when the waiting figures were counted (None before the first count)

    @property
    def overdue(self):
        return sum(figures.overdue for figures in self.waiting)


def dashboard_figures():
    """What the jobs counted last (one query); before their first count, nothing is waiting."""
    rows = {
        name: (data, counted_at)
        for name, data, counted_at in CountedFigures.objects.filter(
            name__in=[WAITING_FIGURES_NAME, WEEKLY_FIGURES_NAME]
        ).values_list("name", "data", "counted_at")
    }
    waiting_data, counted_at = rows.get(WAITING_FIGURES_NAME, (None, None))
    if waiting_data:
        waiting = [WaitingFigures(row["kind"], tuple(row["by_age"]), row["overdue"]) for row in waiting_data]
    else:
        waiting = [WaitingFigures(kind.value, (0, 0, 0), 0) for kind in ServiceKind]
    weekly, _counted_at = rows.get(WEEKLY_FIGURES_NAME, (None, None))
    weeks = (
        [datetime.date.fromisoformat(week) for week in weekly["weeks"]] if weekly else last_weeks(timezone.localdate())
    )
    empty = [0] * len(weeks)
    english = get_language() == "en"
    reviewers = [
        ReviewerWeeks((english and row["name_en"]) or row["name_ar"], row["counts"])
        for row in (weekly or {}).get("reviewers", [])
    ]
    everyone = weekly["everyone"] if weekly else empty
    named = [sum(counts) for counts in zip(*(reviewer.counts for reviewer in reviewers), strict=True)] or empty
    return DashboardFigures(
        waiting=waiting,
        weeks=weeks,
        reviewers=reviewers,
        others=[total - shown for total, shown in zip(everyone, named, strict=True)],
        everyone=everyone,
        decided=weekly["decided"] if weekly else empty,
        medians=weekly["medians"] if weekly else [None] * len(weeks),
        counted_at=counted_at,
    )
