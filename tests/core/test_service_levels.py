"""A request's clock and its standing against the service level (core/service_levels.py)."""

import datetime

from core.service_levels import ServiceKind, clock_spans, standing, target_days, working_days_waited

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
    assert not result.is_overdue(today)


def test_a_return_pauses_the_clock_and_resubmission_moves_the_due_date_by_the_pause():
    # Submitted Sunday 6, returned Tuesday 8 (two days on the clock), back Sunday 13.
    returned = clock_spans([(day(0), True), (day(2), False)])
    paused = standing(returned, 10, day(5), NO_HOLIDAYS)
    assert (paused.waited_days, paused.due, paused.paused) == (2, None, True)
    assert not paused.is_overdue(day(30))

    resubmitted = clock_spans([(day(0), True), (day(2), False), (day(7), True)])
    running = standing(resubmitted, 10, day(8), NO_HOLIDAYS)
    assert running.waited_days == 2 + 1
    # Eight working days left from Sunday 13: Wednesday 23 December, three days (the pause) later.
    assert running.due == datetime.date(2026, 12, 23)
    assert working_days_waited(resubmitted, running.due, NO_HOLIDAYS) == 10


def test_a_request_past_its_due_day_is_overdue_and_one_on_it_is_not():
    result = standing(clock_spans([(SUNDAY, True)]), 5, day(7), NO_HOLIDAYS)
    assert result.due == day(7)
    assert not result.is_overdue(day(7))
    assert result.is_overdue(day(8))


def test_holidays_move_the_due_date():
    holidays = frozenset({day(1), day(2)})
    assert standing(clock_spans([(SUNDAY, True)]), 5, SUNDAY, holidays).due == day(9)


def test_a_request_that_comes_back_after_its_time_is_due_the_day_it_comes_back():
    spans = clock_spans([(day(0), True), (day(14), False), (day(21), True)])
    result = standing(spans, 5, day(21), NO_HOLIDAYS)
    assert result.due == day(21)
    assert result.is_overdue(day(22))


def test_a_request_never_submitted_has_no_standing():
    assert standing((), 10, SUNDAY, NO_HOLIDAYS) is None
