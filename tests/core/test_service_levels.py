"""A request's clock and its standing against the service level (core/service_levels.py)."""

import datetime

import pytest
from django.core.cache import cache

from core import service_levels
from core.models import CountedFigures, Holiday
from core.service_levels import (
    FACTS_KEPT_SECONDS,
    NOT_COUNTED_YET,
    QueueFigures,
    ServiceKind,
    ServiceLevelFacts,
    clock_spans,
    count_queues,
    expected_decision,
    forecast,
    percentile,
    rate_window,
    service_level_facts,
    standing,
    target_days,
    working_days_waited,
)

NO_HOLIDAYS = frozenset()
SUNDAY = datetime.date(2026, 12, 6)


def day(offset):
    return SUNDAY + datetime.timedelta(days=offset)


def test_the_service_levels_default_to_the_issue_s_figures():
    assert [target_days(kind) for kind in ServiceKind] == [10, 10, 5, 10]


def test_the_clock_runs_from_submission_and_stops_on_a_return_and_on_a_decision():
    changes = [(day(0), True), (day(1), True), (day(3), False), (day(8), True), (day(9), False)]
    assert clock_spans(changes) == ((day(0), day(3)), (day(8), day(9)))


def test_a_request_still_waiting_has_an_open_span():
    assert clock_spans([(day(0), False), (day(2), True)]) == ((day(2), None),)


def test_ten_working_days_from_sunday_6_december_is_sunday_20_december():
    spans = clock_spans([(SUNDAY, True)])
    today = day(4)  # Thursday
    result = standing(spans, 10, today, NO_HOLIDAYS)
    assert (result.waited_days, result.due, result.paused) == (4, datetime.date(2026, 12, 20), False)
    assert not result.overdue


def test_a_return_pauses_the_clock_and_resubmission_moves_the_due_date_by_the_pause():
    # Submitted Sunday 6, returned Tuesday 8 (two days on the clock), back Sunday 13.
    returned = clock_spans([(day(0), True), (day(2), False)])
    paused = standing(returned, 10, day(5), NO_HOLIDAYS)
    assert (paused.waited_days, paused.due, paused.paused) == (2, None, True)
    assert not standing(returned, 10, day(30), NO_HOLIDAYS).overdue

    resubmitted = clock_spans([(day(0), True), (day(2), False), (day(7), True)])
    running = standing(resubmitted, 10, day(8), NO_HOLIDAYS)
    assert running.waited_days == 2 + 1
    # Eight working days left from Sunday 13: Wednesday 23 December, three days (the pause) later.
    assert running.due == datetime.date(2026, 12, 23)
    assert working_days_waited(resubmitted, running.due, NO_HOLIDAYS) == 10


def test_a_request_past_its_due_day_is_overdue_and_one_on_it_is_not():
    spans = clock_spans([(SUNDAY, True)])
    on_the_day = standing(spans, 5, day(7), NO_HOLIDAYS)
    assert on_the_day.due == day(7)
    assert not on_the_day.overdue
    assert standing(spans, 5, day(8), NO_HOLIDAYS).overdue


def test_holidays_move_the_due_date():
    holidays = frozenset({day(1), day(2)})
    assert standing(clock_spans([(SUNDAY, True)]), 5, SUNDAY, holidays).due == day(9)


def test_a_request_that_comes_back_after_its_time_is_due_the_day_it_comes_back():
    spans = clock_spans([(day(0), True), (day(14), False), (day(21), True)])
    result = standing(spans, 5, day(21), NO_HOLIDAYS)
    assert result.due == day(21)
    assert not result.overdue
    assert standing(spans, 5, day(22), NO_HOLIDAYS).overdue


def test_a_request_never_submitted_has_no_standing():
    assert standing((), 10, SUNDAY, NO_HOLIDAYS) is None


# A synthetic queue: 3 waiting from Tuesday 1 December, 4 from Thursday 3, 2 from Sunday 6;
# 30 decisions in the last 20 working days, 1.5 a day.
QUEUE = QueueFigures(((day(-5), 3), (day(-3), 4), (day(0), 2)), 30 / 20)


def test_a_place_comes_after_every_earlier_day_and_with_all_of_its_own():
    assert QUEUE.place_of(day(-5)) == 3
    assert QUEUE.place_of(day(-3)) == 7
    assert QUEUE.place_of(day(-4)) == 3 + 1  # a day the figures have not seen (submitted since)
    assert QUEUE.place_of(day(1)) == 9 + 1


def test_the_expected_day_is_the_place_over_the_rate_in_working_days_from_today():
    # 7th in line at 1.5 a day: ceil(4.67) = 5 working days after Sunday 6: Friday and Saturday skipped.
    assert expected_decision(7, 1.5, SUNDAY, NO_HOLIDAYS) == datetime.date(2026, 12, 13)
    assert expected_decision(1, 1.5, SUNDAY, NO_HOLIDAYS) == day(1)
    assert expected_decision(7, 0.0, SUNDAY, NO_HOLIDAYS) is None


def test_the_rate_window_is_the_twenty_whole_working_days_before_today():
    start, end = rate_window(datetime.date(2026, 12, 17), NO_HOLIDAYS)
    assert (start.date(), end.date()) == (datetime.date(2026, 11, 19), datetime.date(2026, 12, 17))
    assert (start.hour, start.minute) == (0, 0)


def test_a_forecast_after_the_due_day_says_likely_late():
    facts = ServiceLevelFacts(holidays=NO_HOLIDAYS, queues={"data_update": QUEUE})
    # Submitted Thursday 3 December, 5 working days: due Thursday 10. 7th in line: Sunday 13.
    result = forecast(((day(-3), None),), "data_update", day(-3), facts, SUNDAY)
    assert (result.due, result.expected, result.likely_late, result.overdue) == (day(4), day(7), True, False)


def test_a_forecast_within_the_target_is_not_late():
    facts = ServiceLevelFacts(holidays=NO_HOLIDAYS, queues={"registration": QUEUE})
    result = forecast(((day(-3), None),), "registration", day(-3), facts, SUNDAY)
    assert (result.expected, result.likely_late) == (day(7), False)


def test_with_no_decision_history_there_is_the_service_level_alone():
    facts = ServiceLevelFacts(holidays=NO_HOLIDAYS, queues={"registration": QueueFigures(((day(0), 5),), 0.0)})
    result = forecast(((day(0), None),), "registration", day(0), facts, SUNDAY)
    assert (result.due, result.expected, result.likely_late) == (datetime.date(2026, 12, 20), None, False)


def test_a_paused_request_has_no_forecast():
    facts = ServiceLevelFacts(holidays=NO_HOLIDAYS, queues={"registration": QUEUE})
    result = forecast(((day(-3), day(-1)),), "registration", day(-3), facts, SUNDAY)
    assert (result.paused, result.expected) == (True, None)


def test_the_nearest_rank_percentile_is_a_whole_value_of_the_list():
    assert percentile([4, 10, 5], 0.5) == 5
    assert percentile([4, 10, 5], 0.9) == 10
    assert percentile([1, 2, 3, 4], 0.5) == 2
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None


@pytest.fixture
def clock(monkeypatch):
    """time.monotonic() as the test sets it."""
    now = [1000.0]
    monkeypatch.setattr(service_levels.time, "monotonic", lambda: now[0])
    return now


@pytest.mark.django_db
def test_a_worker_shows_the_facts_it_read_for_half_a_minute(clock):
    first = service_level_facts([ServiceKind.REGISTRATION])
    assert first.queues["registration"] == NOT_COUNTED_YET
    # A count lands meanwhile (its figures in the table, the cache's copy gone).
    counted = QueueFigures(waiting_by_day=((SUNDAY, 3),), decisions_per_working_day=1.5)
    CountedFigures.objects.create(name="queue:registration", data=counted.as_data(), counted_on=SUNDAY)
    cache.clear()
    clock[0] += FACTS_KEPT_SECONDS - 1
    assert service_level_facts([ServiceKind.REGISTRATION]) is first
    clock[0] += 1
    assert service_level_facts([ServiceKind.REGISTRATION]).queues["registration"] == counted


@pytest.mark.django_db
def test_a_holiday_saved_or_a_new_count_shows_at_once_in_the_worker_that_made_it(clock):
    service_level_facts([ServiceKind.REGISTRATION])
    Holiday.objects.create(date=day(3), name_ar="عطلة", name_en="A holiday")
    after_the_holiday = service_level_facts([ServiceKind.REGISTRATION])
    assert day(3) in after_the_holiday.holidays
    count_queues(SUNDAY)
    assert service_level_facts([ServiceKind.REGISTRATION]) is not after_the_holiday  # read again
