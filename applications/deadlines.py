"""The deadlines a person is told about: pure rules, dates in and dates or stages out.

They are calendar days — the person's own deadline, as a letter would give it — not the working
days of our service levels. Like every span in the portal, a deadline counts the days *after*
its first day: returned on 1 December with 30 days to answer, the last day to answer is
31 December, and the application is closed on 1 January.

- A request returned for correction: `answer_days` to answer; a reminder on each of
  `reminder_days` (days since the return), the latest one reached only, so a job that missed a
  few days never sends a stale one; the day after the last day to answer it is closed.
- A draft untouched for `retention_days` is deleted, after a warning `warning_days` before. The
  deletion waits until the warning is `warning_days` old, so the person always has that notice
  even when the job did not run for a while.
"""

import datetime
from enum import StrEnum


def answer_deadline(returned_on, answer_days):
    """The last day to answer a return made on `returned_on`."""
    return returned_on + datetime.timedelta(days=answer_days)


def answer_missed(returned_on, today, answer_days):
    """The last day to answer has passed without an answer: the application is to be closed."""
    return today > answer_deadline(returned_on, answer_days)


def answer_reminder_due(returned_on, today, reminder_days, answer_days):
    """The reminder to send today — the latest of `reminder_days` (days since the return)
    reached — or None before the first and once the deadline has passed."""
    if answer_missed(returned_on, today, answer_days):
        return None
    days_since = (today - returned_on).days
    reached = [days for days in reminder_days if days_since >= days]
    return max(reached) if reached else None


class DraftFate(StrEnum):
    WARN = "warn"
    DELETE = "delete"


def draft_deletion_day(last_touched_on, warned_on, retention_days, warning_days):
    """The day an untouched draft is deleted: `retention_days` after its last change, and never
    sooner than `warning_days` after the warning (None: not warned yet)."""
    deletion_day = last_touched_on + datetime.timedelta(days=retention_days)
    if warned_on is not None:
        deletion_day = max(deletion_day, warned_on + datetime.timedelta(days=warning_days))
    return deletion_day


def draft_fate(last_touched_on, warned_on, today, retention_days, warning_days):
    """What to do today with a draft last changed on `last_touched_on`: warn the person (once),
    delete it, or nothing (None). `warned_on`: the day the warning went, or None."""
    deletion_day = draft_deletion_day(last_touched_on, warned_on, retention_days, warning_days)
    if warned_on is None:
        warning_day = deletion_day - datetime.timedelta(days=warning_days)
        return DraftFate.WARN if today >= warning_day else None
    return DraftFate.DELETE if today >= deletion_day else None
