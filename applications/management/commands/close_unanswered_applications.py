"""`manage.py close_unanswered_applications`: close the applications returned for correction and
not answered in time, and queue today's reminders of the deadline (also a daily job).

Safe to run again the same day or on several servers: each reminder is sent once, and an
application is closed once.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.returned import enforce_answer_deadlines


class Command(BaseCommand):
    help = (
        "Close the returned applications whose last day to answer has passed, and remind the others "
        "of their deadline (RETURNED_ANSWER_DAYS, RETURNED_REMINDER_DAYS)."
    )

    def handle(self, *args, **options):
        closed, reminded = enforce_answer_deadlines(timezone.localdate())
        self.stdout.write(f"{closed} application(s) closed with no answer, {reminded} reminder(s) queued.")
