"""`manage.py send_daily_alerts`: queue today's emails of changes to organisations (also a daily job).

Safe to run again the same day or on several servers: each organisation gets one email a day.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from employers.alerts import send_daily_alerts


class Command(BaseCommand):
    help = "Queue today's email of changes to every organisation whose watched practitioners changed yesterday."

    def handle(self, *args, **options):
        count = send_daily_alerts(timezone.localdate())
        self.stdout.write(f"{count} daily alert(s) queued.")
