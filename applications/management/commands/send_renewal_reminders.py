"""`manage.py send_renewal_reminders`: queue today's renewal reminders (also a daily job).

Safe to run again the same day or on several servers: each reminder is sent once.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.reminders import send_renewal_reminders


class Command(BaseCommand):
    help = "Queue today's renewal reminders (90, 30 and 7 days before the last valid day, and on it)."

    def handle(self, *args, **options):
        count = send_renewal_reminders(timezone.localdate())
        self.stdout.write(f"{count} renewal reminder(s) queued.")
