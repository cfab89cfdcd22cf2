"""Validity periods, the status a person sees, and the codes: plain functions."""

import datetime

import pytest

from core.dates import add_months
from registry.codes import ALPHABET, CODE_LENGTH, format_code, new_code, parse_code
from registry.models import RegistrationStatus
from registry.validity import (
    EXPIRED,
    RenewalWindow,
    days_late,
    effective_status,
    is_in_good_standing,
    period_end,
    reminder_due,
    renewal_window,
    renewed_period,
)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 11, 28), 24, D(2028, 11, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 1), 0, D(2026, 3, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_a_period_ends_the_day_before_the_same_date_months_later():
    assert period_end(D(2026, 11, 28), 24) == D(2028, 11, 27)
    assert period_end(D(2028, 2, 29), 12) == D(2029, 2, 27)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (RegistrationStatus.ACTIVE, D(2028, 11, 27), RegistrationStatus.ACTIVE),  # the last valid day
        (RegistrationStatus.ACTIVE, D(2028, 11, 28), EXPIRED),
        (RegistrationStatus.SUSPENDED, D(2027, 1, 1), RegistrationStatus.SUSPENDED),
        (RegistrationStatus.SUSPENDED, D(2029, 1, 1), RegistrationStatus.SUSPENDED),
        (RegistrationStatus.REVOKED, D(2029, 1, 1), RegistrationStatus.REVOKED),
    ],
)
def test_effective_status(status, today, expected):
    assert effective_status(status, D(2028, 11, 27), today) == expected
    assert is_in_good_standing(status, D(2028, 11, 27), today) == (expected == RegistrationStatus.ACTIVE)


def test_codes_carry_eighty_random_bits_and_are_distinct():
    assert len(ALPHABET) ** CODE_LENGTH >= 2**80
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)


def test_a_typed_code_is_forgiven_case_spaces_hyphens_and_look_alike_letters():
    code = "0123456789ABCDEF"
    assert format_code(code) == "0123-4567-89AB-CDEF"
    assert parse_code("0123-4567-89ab-cdef") == code
    assert parse_code(" o123 4567 89AB CDEF ") == code
    assert parse_code("0I23-4567-89AB-CDEF") == code
    assert parse_code("0123-4567-89AB-CDE") is None
    assert parse_code("0123-4567-89AB-CDEU") is None  # U is not in the alphabet
    assert parse_code("") is None


VALID_UNTIL = D(2028, 11, 27)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2028, 8, 28), RenewalWindow.NOT_YET),  # 91 days before
        (D(2028, 8, 29), RenewalWindow.OPEN),  # 90 days before
        (VALID_UNTIL, RenewalWindow.OPEN),
        (D(2029, 2, 25), RenewalWindow.OPEN),  # the 90th day of grace
        (D(2029, 2, 26), RenewalWindow.CLOSED),
    ],
)
def test_the_renewal_window_from_ninety_days_before_to_the_end_of_grace(today, expected):
    assert renewal_window(VALID_UNTIL, today, grace_days=90) == expected


def test_renewed_in_time_the_new_period_follows_without_a_gap():
    assert renewed_period(VALID_UNTIL, D(2028, 10, 1), 24) == (D(2028, 11, 28), D(2030, 11, 27))
    assert renewed_period(VALID_UNTIL, VALID_UNTIL, 24) == (D(2028, 11, 28), D(2030, 11, 27))
    assert days_late(VALID_UNTIL, VALID_UNTIL) == 0


def test_renewed_late_the_new_period_starts_on_approval():
    assert renewed_period(VALID_UNTIL, D(2028, 12, 10), 24) == (D(2028, 12, 10), D(2030, 12, 9))
    assert days_late(VALID_UNTIL, D(2028, 12, 10)) == 13


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7), (0, 0), (-1, None)],
)
def test_the_reminder_due_is_the_latest_stage_reached(days_left, expected):
    assert reminder_due(VALID_UNTIL, VALID_UNTIL - datetime.timedelta(days=days_left)) == expected
