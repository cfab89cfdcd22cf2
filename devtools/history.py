"""Past decisions for the demo (`load_demo`): a supervisor, two more reviewers, and twelve weeks
of applications they decided, so that the supervisors' dashboard and the expected decision dates
have something to show on `make run`; and a few applications waiting for days.

Made through the workflow (submit, start review, approve or reject), then moved back in time:
the records are those the portal keeps. Their emails were "sent" at the time, so the outbox rows
the workflow queued for them are dropped: `make run` does not print seventy old emails.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.national_id import luhn_check_digit
from applications.models import Application, ApplicationEvent, ApplicationStatus
from applications.workflow import approve_application, reject_application, start_review, submit_application
from core.holidays import holiday_dates
from core.models import OutboundEmail
from core.working_days import WORKING_DAYS_PER_WEEK, working_day_before
from portal.reviewers import create_reviewer, ensure_supervisors_group

from .demo import DEMO_PASSWORD, HISTORY_REVIEWERS, SUPERVISOR

WEEKS = 12
DECISIONS_PER_WEEK = 4
# Working days from submission to decision, in turn: mostly within the 10 promised, a few late.
DAYS_TAKEN = (3, 6, 2, 9, 12, 5, 8, 4, 14, 7, 1, 10, 6)
# Working days the waiting applications have waited: two in each age band (0–5, 6–10, over 10).
WAITING_DAYS = (1, 4, 7, 9, 12, 16)
HISTORY_SERIAL = 50_000


def history_person(index):
    """A demo applicant of the history: a valid ID number of its own, no password."""
    first_nine = f"1{HISTORY_SERIAL + index:08d}"
    return get_user_model().objects.create_verified_user(
        national_id=first_nine + luhn_check_digit(first_nine),
        email=f"history{index}@mumaris.localhost",
        password=None,
        full_name_ar=f"متقدم سابق {index + 1}",
        full_name_en=f"Past applicant {index + 1}",
    )


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def move_back(application, submitted_on, decided_on=None):
    """Date the application's history as if submitted on `submitted_on` and decided on `decided_on`."""
    made, submitted = at(submitted_on, 8), at(submitted_on, 9)
    moment = submitted
    for index, event in enumerate(application.events.order_by("created_at", "pk")):
        if event.to_status == ApplicationStatus.DRAFT:
            moment = made
        elif event.to_status == ApplicationStatus.SUBMITTED:
            moment = submitted
        else:  # the review and the decision, on the day of the decision
            moment = at(decided_on, 10 + index)
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=moment)
    Application.objects.filter(pk=application.pk).update(
        created_at=made, updated_at=moment, submitted_at=submitted, decided_at=moment if decided_on else None
    )


def demo_staff_member(person):
    """A reviewer of the demo, named in both languages."""
    member = create_reviewer(
        national_id=person.national_id, email=person.email, full_name_ar=person.full_name_ar, password=DEMO_PASSWORD
    )
    member.full_name_en = person.full_name_en
    member.save(update_fields=["full_name_en"])
    return member


def load_history(reviewer, make_application):
    """The supervisor, the history's reviewers (with `reviewer`, the demo's own) and their past
    decisions, and applications waiting. `make_application(user, **facts)`: a complete draft of
    the user's."""
    supervisor = demo_staff_member(SUPERVISOR)
    supervisor.groups.add(ensure_supervisors_group(Group, Permission))
    reviewers = [reviewer, *(demo_staff_member(person) for person in HISTORY_REVIEWERS)]
    holidays = holiday_dates()
    today = timezone.localdate()
    made = []

    def submitted(index, submitted_on):
        """A history applicant's application, submitted (eligible) on `submitted_on`."""
        applicant = history_person(index)
        made.append(applicant)
        draft = make_application(applicant, employer_letter_date=submitted_on - datetime.timedelta(days=10))
        return submit_application(draft, applicant, submitted_on, declared=True)

    for index in range(WEEKS * DECISIONS_PER_WEEK):
        decided_by = reviewers[index % len(reviewers)]
        # Spread over the eleven weeks before this one and this one's days so far, the newest
        # first; never today (today's work is not over).
        back = index * WORKING_DAYS_PER_WEEK * (WEEKS - 1) // (WEEKS * DECISIONS_PER_WEEK)
        decided_on = working_day_before(today, 1 + back, holidays)
        submitted_on = working_day_before(decided_on, DAYS_TAKEN[index % len(DAYS_TAKEN)], holidays)
        in_review = start_review(submitted(index, submitted_on), decided_by)
        if index % 7 == 3:
            decided = reject_application(in_review, decided_by, "خطاب جهة العمل لا يحمل ختمًا.")
        else:
            decided = approve_application(in_review, decided_by)
        move_back(decided, submitted_on, decided_on)
    for offset, days in enumerate(WAITING_DAYS):
        submitted_on = working_day_before(today, days, holidays)
        move_back(submitted(WEEKS * DECISIONS_PER_WEEK + offset, submitted_on), submitted_on)
    # Sent at the time: only what happens from now on is emailed.
    OutboundEmail.objects.filter(to_address__in=[person.email for person in made]).delete()
    return supervisor
