"""Saudi working-day arithmetic (core/working_days.py), property by property."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.holidays import official_holidays
from core.working_days import add_working_days, is_working_day, working_day_before, working_days_between

ONE_DAY = datetime.timedelta(days=1)
# The real holidays of the years drawn from, so spans cross the Eids as well as weekends and year ends.
HOLIDAYS = frozenset(holiday.day for year in range(2025, 2032) for holiday in official_holidays(year))
days = st.dates(min_value=datetime.date(2025, 11, 1), max_value=datetime.date(2030, 12, 31))
holiday_sets = st.one_of(st.just(HOLIDAYS), st.frozensets(days, max_size=40))
counts = st.integers(min_value=1, max_value=400)


def counted_one_by_one(start, end, holidays):
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + offset * ONE_DAY, holidays))


def test_sunday_to_thursday_are_working_days_friday_and_saturday_are_not():
    week = [datetime.date(2026, 12, 6) + offset * ONE_DAY for offset in range(7)]  # Sunday 6 December
    assert [is_working_day(day, frozenset()) for day in week] == [True] * 5 + [False] * 2


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    assert not is_working_day(datetime.date(2027, 3, 9), HOLIDAYS)  # Eid al-Fitr 1448, a Tuesday


def test_ten_working_days_from_a_thursday_skip_two_weekends():
    assert add_working_days(datetime.date(2026, 12, 3), 10, frozenset()) == datetime.date(2026, 12, 17)


def test_working_days_across_eid_al_fitr_1448():
    # Submitted Sunday 7 March 2027; Eid is Tuesday 9 to Friday 12 March: Monday 8, then Sunday 14...
    assert add_working_days(datetime.date(2027, 3, 7), 2, HOLIDAYS) == datetime.date(2027, 3, 14)
    assert working_days_between(datetime.date(2027, 3, 7), datetime.date(2027, 3, 14), HOLIDAYS) == 2


def test_zero_days_from_a_weekend_is_the_next_working_day():
    assert add_working_days(datetime.date(2026, 12, 4), 0, frozenset()) == datetime.date(2026, 12, 6)
    assert add_working_days(datetime.date(2026, 12, 6), 0, frozenset()) == datetime.date(2026, 12, 6)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(datetime.date(2026, 12, 6), -1, frozenset())


@given(days, st.integers(min_value=0, max_value=400), holiday_sets)
def test_the_result_is_always_a_working_day_on_or_after_the_start(start, count, holidays):
    result = add_working_days(start, count, holidays)
    assert is_working_day(result, holidays)
    assert result >= start


@given(days, counts, holiday_sets)
def test_adding_then_counting_gives_back_the_count(start, count, holidays):
    assert working_days_between(start, add_working_days(start, count, holidays), holidays) == count


@given(days, counts, holiday_sets)
def test_the_result_is_the_first_day_with_that_count(start, count, holidays):
    result = add_working_days(start, count, holidays)
    assert working_days_between(start, result - ONE_DAY, holidays) == count - 1


@given(days, days, holiday_sets)
def test_counting_by_weeks_matches_counting_day_by_day(start, end, holidays):
    expected = counted_one_by_one(start, end, holidays) if end > start else 0
    assert working_days_between(start, end, holidays) == expected


@given(days, counts, counts, holiday_sets)
def test_adding_is_monotonic_in_the_count(start, fewer, more, holidays):
    fewer, more = sorted((fewer, more))
    assert add_working_days(start, fewer, holidays) <= add_working_days(start, more, holidays)


@given(days, days, counts, holiday_sets)
def test_adding_is_monotonic_in_the_start(earlier, later, count, holidays):
    earlier, later = sorted((earlier, later))
    assert add_working_days(earlier, count, holidays) <= add_working_days(later, count, holidays)


@given(days, days, days, holiday_sets)
def test_counts_over_consecutive_spans_add_up(first, middle, last, holidays):
    first, middle, last = sorted((first, middle, last))
    assert working_days_between(first, last, holidays) == (
        working_days_between(first, middle, holidays) + working_days_between(middle, last, holidays)
    )


@given(days, st.integers(min_value=1, max_value=60), holiday_sets)
def test_counting_back_lands_on_the_nth_working_day_before(day, count, holidays):
    result = working_day_before(day, count, holidays)
    assert is_working_day(result, holidays)
    assert result < day
    assert working_days_between(result, day - ONE_DAY, holidays) == count - 1
