"""Saudi working days: Sunday to Thursday, less the official holidays.

Pure arithmetic: each function takes the holidays as a set of dates (core/holidays.py reads
them from the `Holiday` table), so the rules are tested without a database or a request.
A span of days counts the days *after* its first day up to and including its last: a request
submitted on Sunday has waited one working day on Monday.
"""

import datetime

# date.weekday(): Monday is 0. Friday and Saturday are the weekend.
WEEKEND = frozenset({4, 5})
WORKING_DAYS_PER_WEEK = 7 - len(WEEKEND)
ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day, holidays):
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(start, count, holidays):
    """The `count`-th working day after `start`; with 0, `start` itself if it is a working day,
    else the next working day."""
    if count < 0:
        raise ValueError("count must be zero or more")
    day = start
    if count == 0:
        while not is_working_day(day, holidays):
            day += ONE_DAY
        return day
    while count:
        day += ONE_DAY
        if is_working_day(day, holidays):
            count -= 1
    return day


def working_day_before(day, count, holidays):
    """The `count`-th working day before `day` (count ≥ 1)."""
    if count < 1:
        raise ValueError("count must be one or more")
    while count:
        day -= ONE_DAY
        if is_working_day(day, holidays):
            count -= 1
    return day


def working_days_between(start, end, holidays):
    """How many working days fall after `start`, up to and including `end` (0 when end ≤ start).

    Whole weeks are counted at once, so a span of years costs no more than a span of days.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * WORKING_DAYS_PER_WEEK
    for offset in range(1, rest + 1):
        if (start + offset * ONE_DAY).weekday() not in WEEKEND:
            count += 1
    return count - sum(1 for holiday in holidays if start < holiday <= end and holiday.weekday() not in WEEKEND)
