"""The deadlines a person is told about: pure rules over dates, no database."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.deadlines import (
    DraftFate,
    answer_deadline,
    answer_missed,
    answer_reminder_due,
    draft_deletion_day,
    draft_fate,
)

RETURNED_ON = datetime.date(2026, 12, 1)


def day(offset, start=RETURNED_ON):
    return start + datetime.timedelta(days=offset)


def test_thirty_calendar_days_to_answer_counted_from_the_day_after_the_return():
    assert answer_deadline(RETURNED_ON, 30) == datetime.date(2026, 12, 31)
    assert not answer_missed(RETURNED_ON, datetime.date(2026, 12, 31), 30)
    assert answer_missed(RETURNED_ON, datetime.date(2027, 1, 1), 30)


def test_the_deadline_counts_weekends_and_holidays_alike():
    friday = datetime.date(2027, 3, 5)
    assert answer_deadline(friday, 30) == datetime.date(2027, 4, 4)


@pytest.mark.parametrize(
    ("days_since", "stage"),
    [(0, None), (14, None), (15, 15), (24, 15), (25, 25), (30, 25), (31, None), (60, None)],
)
def test_the_reminder_due_is_the_latest_stage_reached_until_the_deadline(days_since, stage):
    assert answer_reminder_due(RETURNED_ON, day(days_since), (15, 25), 30) == stage


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=120))
def test_a_reminder_is_never_due_once_the_application_is_to_be_closed(days_since, answer_days):
    today = day(days_since)
    reminder = answer_reminder_due(RETURNED_ON, today, (15, 25), answer_days)
    assert not (reminder is not None and answer_missed(RETURNED_ON, today, answer_days))


LAST_TOUCHED = datetime.date(2026, 6, 1)


def test_a_draft_is_warned_fifteen_days_before_its_hundred_and_eightieth_day():
    deletion = day(180, LAST_TOUCHED)
    assert draft_deletion_day(LAST_TOUCHED, None, 180, 15) == deletion
    assert draft_fate(LAST_TOUCHED, None, day(164, LAST_TOUCHED), 180, 15) is None
    assert draft_fate(LAST_TOUCHED, None, day(165, LAST_TOUCHED), 180, 15) == DraftFate.WARN


def test_a_warned_draft_is_deleted_on_its_hundred_and_eightieth_day():
    warned = day(165, LAST_TOUCHED)
    assert draft_fate(LAST_TOUCHED, warned, day(179, LAST_TOUCHED), 180, 15) is None
    assert draft_fate(LAST_TOUCHED, warned, day(180, LAST_TOUCHED), 180, 15) == DraftFate.DELETE


def test_a_draft_warned_late_still_gets_the_full_notice():
    # The job did not run for a while: the warning goes on day 200, the deletion 15 days later.
    warned = day(200, LAST_TOUCHED)
    assert draft_fate(LAST_TOUCHED, None, warned, 180, 15) == DraftFate.WARN
    assert draft_fate(LAST_TOUCHED, warned, day(214, LAST_TOUCHED), 180, 15) is None
    assert draft_fate(LAST_TOUCHED, warned, day(215, LAST_TOUCHED), 180, 15) == DraftFate.DELETE


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_a_draft_is_never_deleted_sooner_than_the_notice_after_its_warning(warned_after, today_after):
    warned = day(warned_after, LAST_TOUCHED)
    today = warned + datetime.timedelta(days=today_after)
    if draft_fate(LAST_TOUCHED, warned, today, 180, 15) == DraftFate.DELETE:
        assert today >= warned + datetime.timedelta(days=15)
        assert today >= day(180, LAST_TOUCHED)
