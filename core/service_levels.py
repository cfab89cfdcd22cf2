"""Service levels: within how many working days each kind of request is decided, where a
waiting request stands against that promise, and when the queue says it will be decided.

The rules are pure: facts (the spans during which a request waited for staff, the queue's
figures, the holidays, today) in, a `Standing` out. Each app turns its own records into spans
and counts its own queues (`counts_queue`); a periodic job counts them every five minutes and keeps
the figures (`core.models.CountedFigures`); pages read them, with the holidays, through the cache,
each worker keeping what it read for half a minute (`service_level_facts`), and never count.
"""

import datetime
import math
import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .holidays import HOLIDAYS_CACHE_KEY, holiday_dates
from .models import CountedFigures
from .working_days import add_working_days, working_day_before, working_days_between

# The decision rate is the decisions of the last this many working days, divided by them.
RATE_WINDOW_WORKING_DAYS = 20
QUEUE_FIGURES_SECONDS = 5 * 60


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
    due: datetime.date | None
    paused: bool
    overdue: bool
    # The day the queue says it will be decided; None without a decision history, or paused.
    expected: datetime.date | None = None

    @property
    def likely_late(self):
        return self.expected is not None and self.expected > self.due


def standing(spans, days, today, holidays):
    """The standing of a request whose clock ran over `spans` (None for one never submitted).

    The due date moves later by the working days the request spent returned to the person. One
    that comes back after its time has run out is due on the day it comes back.
    """
    if not spans:
        return None
    last_start, last_stop = spans[-1]
    if last_stop is not None:
        waited = working_days_waited(spans, today, holidays)
        return Standing(target_days=days, waited_days=waited, due=None, paused=True, overdue=False)
    return running_standing(last_start, working_days_waited(spans[:-1], today, holidays), days, today, holidays)


def running_standing(started_on, waited_before, days, today, holidays):
    """The standing of a request waiting since `started_on`, after `waited_before` working days
    on the clock before it was last returned (0 for one never returned)."""
    waited = waited_before + working_days_between(started_on, today, holidays)
    due = add_working_days(started_on, max(days - waited_before, 0), holidays)
    return Standing(target_days=days, waited_days=waited, due=due, paused=False, overdue=today > due)


@dataclass(frozen=True)
class QueueFigures:
    """A kind's queue as counted a few minutes ago: how many wait, by day of submission, and
    how many left the queue (decided or returned) per working day lately."""

    waiting_by_day: tuple  # ((day, count), ...)
    decisions_per_working_day: float

    def as_data(self):
        return {
            "waiting_by_day": [[day.isoformat(), count] for day, count in self.waiting_by_day],
            "decisions_per_working_day": self.decisions_per_working_day,
        }

    @classmethod
    def from_data(cls, data):
        return cls(
            tuple((datetime.date.fromisoformat(day), count) for day, count in data["waiting_by_day"]),
            data["decisions_per_working_day"],
        )

    def place_of(self, submitted_on):
        """A request's place, oldest submission first. The figures count by day: it comes after
        every request of an earlier day and, to promise no early date, after all of its own day."""
        earlier = sum(count for day, count in self.waiting_by_day if day < submitted_on)
        same_day = sum(count for day, count in self.waiting_by_day if day == submitted_on)
        return earlier + max(same_day, 1)


def rate_window(today, holidays):
    """The (start, end) times of the last RATE_WINDOW_WORKING_DAYS whole working days: from the
    start of the first of them to the start of today (today's work is not over)."""
    first_day = working_day_before(today, RATE_WINDOW_WORKING_DAYS, holidays)
    return start_of(first_day), start_of(today)


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def expected_decision(place, decisions_per_working_day, today, holidays):
    """The working day the queue reaches the `place`-th request at the recent rate (None at no rate)."""
    if not decisions_per_working_day:
        return None
    return add_working_days(today, math.ceil(place / decisions_per_working_day), holidays)


def forecast(spans, kind, submitted_on, facts, today):
    """The standing of a request of `kind`, with the queue's expected decision while it waits."""
    result = standing(spans, target_days(kind), today, facts.holidays)
    if result is None or result.paused:
        return result
    figures = facts.queues[ServiceKind(kind).value]
    expected = expected_decision(
        figures.place_of(submitted_on), figures.decisions_per_working_day, today, facts.holidays
    )
    return replace(result, expected=expected)


def clocks_started_on(requests, field):
    """[((day, 0), count)]: the clocks of `requests` (never paused) started on `field`'s day,
    counted by day in the database (the form of the apps' `*_waiting_clocks`: (day the clock last
    started, working days waited before it) and how many)."""
    counted = requests.annotate(clock_day=TruncDate(field)).values("clock_day").annotate(count=Count("pk")).order_by()
    return [((row["clock_day"], 0), row["count"]) for row in counted]


def working_days_to_decision(requested_at, decided_at, holidays):
    """Working days from a request to its decision, for a kind with no return for correction."""
    return working_days_between(timezone.localdate(requested_at), timezone.localdate(decided_at), holidays)


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values at
    or below it (a whole number of days, as people count them). None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class ServiceFigures:
    """What the public page says of one service: its promise and its recent record."""

    kind: ServiceKind
    target_days: int
    decisions: int
    median_days: int | None
    ninetieth_percentile_days: int | None


def service_figures(kind, working_days_to_decisions):
    kind = ServiceKind(kind)
    return ServiceFigures(
        kind=kind,
        target_days=target_days(kind),
        decisions=len(working_days_to_decisions),
        median_days=percentile(working_days_to_decisions, 0.5),
        ninetieth_percentile_days=percentile(working_days_to_decisions, 0.9),
    )


@dataclass(frozen=True)
class ServiceLevelFacts:
    holidays: frozenset
    queues: dict = field(default_factory=dict)  # kind → QueueFigures


_queue_counters = {}


def counts_queue(kind):
    """Register the function that counts `kind`'s queue: (today, holidays) → QueueFigures. Each
    app registers its own kinds when it is ready."""

    def register(counter):
        _queue_counters[ServiceKind(kind).value] = counter
        return counter

    return register


def _queue_key(kind):
    return f"service-levels:queue:{kind}"


def _queue_name(kind):
    return f"queue:{kind}"


def count_queues(today):
    """Count every kind's queue and keep the figures (the periodic job `count_service_queues`):
    pages read what was counted last, never count themselves."""
    holidays = holiday_dates()
    for kind, counter in _queue_counters.items():
        CountedFigures.objects.update_or_create(
            name=_queue_name(kind), defaults={"data": counter(today, holidays).as_data(), "counted_on": today}
        )
        cache.delete(_queue_key(kind))
    forget_kept_facts()


# Before the first count (a fresh install): the service level alone, no expected date.
NOT_COUNTED_YET = QueueFigures(waiting_by_day=(), decisions_per_working_day=0.0)


# What a worker read last of each set of kinds, and until when (time.monotonic()) it shows it
# again without asking the cache: a page that shows an expected date saves the cache's round trip.
# A holiday changed or a new count shows at once in the worker that made it (`forget_kept_facts`),
# within this in the others; the figures themselves are counted every five minutes. A few fixed
# keys (the sets of kinds pages ask for): nobody's traffic can grow it.
FACTS_KEPT_SECONDS = 30
_kept_facts = {}


def service_level_facts(kinds):
    """The holidays and the queue figures of `kinds`: as this worker read them in the last
    FACTS_KEPT_SECONDS, else in one cache read (`_read_service_level_facts`)."""
    kinds = tuple(sorted(ServiceKind(kind).value for kind in kinds))
    now = time.monotonic()
    kept = _kept_facts.get(kinds)
    if kept is not None and now < kept[0]:
        return kept[1]
    facts = _read_service_level_facts(kinds)
    _kept_facts[kinds] = (now + FACTS_KEPT_SECONDS, facts)
    return facts


def forget_kept_facts():
    """Read the facts afresh on the next call in this worker (a holiday saved, a new count)."""
    _kept_facts.clear()


def _read_service_level_facts(kinds):
    """The holidays and the queue figures of `kinds` (sorted values), in one cache read; figures
    missing from the cache are read from the last count (one query) and kept QUEUE_FIGURES_SECONDS."""
    found = cache.get_many([HOLIDAYS_CACHE_KEY, *(_queue_key(kind) for kind in kinds)])
    holidays = found.get(HOLIDAYS_CACHE_KEY)
    if holidays is None:
        holidays = holiday_dates()
    queues = {kind: found[_queue_key(kind)] for kind in kinds if _queue_key(kind) in found}
    missing = [kind for kind in kinds if kind not in queues]
    if missing:
        counted = dict(
            CountedFigures.objects.filter(name__in=[_queue_name(kind) for kind in missing]).values_list("name", "data")
        )
        for kind in missing:
            data = counted.get(_queue_name(kind))
            queues[kind] = QueueFigures.from_data(data) if data else NOT_COUNTED_YET
            cache.set(_queue_key(kind), queues[kind], QUEUE_FIGURES_SECONDS)
    return ServiceLevelFacts(holidays=holidays, queues=queues)
