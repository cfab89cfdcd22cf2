"""Applications returned for correction: the reminders of their deadline and their closure when no
answer comes (the daily job `returned_deadlines` and `manage.py close_unanswered_applications`).

The rules are in deadlines.py (pure); this module gathers their facts and acts. The job may run
on any server, twice, or after days off: each reminder's outbox key names the application, the
return (its time) and the stage, so each goes once per return; the closure is a status change
(workflow.close_unanswered_application), which happens once whoever tries it.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from core.emails import queue_email
from core.models import OutboundEmail

from .deadlines import answer_missed, answer_reminder_due
from .models import Application, ApplicationStatus
from .workflow import IllegalTransition, close_unanswered_application


def answer_reminder_key(application, stage):
    return f"answer-reminder:{application.pk}:{application.decided_at.isoformat()}:{stage}"


def returned_on(application):
    return timezone.localdate(application.decided_at)


def returned_applications(today, at_least_days):
    """The returned applications whose return is at least `at_least_days` old on `today`."""
    latest = today - datetime.timedelta(days=at_least_days)
    return (
        Application.objects.filter(status=ApplicationStatus.RETURNED, decided_at__date__lte=latest)
        .select_related("applicant")
        .order_by("decided_at", "pk")
    )


def unanswered_applications(today):
    """The returned applications whose last day to answer is before `today`."""
    candidates = returned_applications(today, settings.RETURNED_ANSWER_DAYS + 1)
    return [
        application
        for application in candidates
        if answer_missed(returned_on(application), today, settings.RETURNED_ANSWER_DAYS)
    ]


def due_answer_reminders(today):
    """(application, stage) of every reminder due today and not yet sent."""
    candidates = returned_applications(today, min(settings.RETURNED_REMINDER_DAYS))
    due = {}
    for application in candidates:
        stage = answer_reminder_due(
            returned_on(application), today, settings.RETURNED_REMINDER_DAYS, settings.RETURNED_ANSWER_DAYS
        )
        if stage is not None:
            due[answer_reminder_key(application, stage)] = (application, stage)
    sent = set(OutboundEmail.objects.filter(key__in=list(due)).values_list("key", flat=True))
    return [reminder for key, reminder in due.items() if key not in sent]


def send_answer_reminders(today):
    """Queue today's reminders; returns how many."""
    reminders = due_answer_reminders(today)
    for application, stage in reminders:
        user = application.applicant
        deadline = application.answer_deadline
        context = {
            "user": user,
            "application": application,
            "returned_on": returned_on(application),
            "answer_deadline": deadline,
            "days_left": (deadline - today).days,
        }
        queue_email(
            "applications/email/answer_reminder",
            context,
            user.email,
            user.preferred_language,
            key=answer_reminder_key(application, stage),
        )
    return len(reminders)


def close_unanswered_applications(today):
    """Close each returned application whose last day to answer has passed; returns how many."""
    closed = 0
    for application in unanswered_applications(today):
        try:
            close_unanswered_application(application, today)
        except IllegalTransition:
            continue  # answered, or closed by another server, since it was read
        closed += 1
    return closed


def enforce_answer_deadlines(today):
    """The daily job: close the late ones first (no reminder for them), then remind the others.
    Returns (closed, reminded)."""
    closed = close_unanswered_applications(today)
    return closed, send_answer_reminders(today)
