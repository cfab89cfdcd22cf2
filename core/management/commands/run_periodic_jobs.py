"""`manage.py run_periodic_jobs`: the one cron line (every 5 minutes, on every server)."""

from django.core.management.base import BaseCommand

from core.periodic import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs whose period has started (once per period across all servers)."

    def handle(self, *args, **options):
        enqueued = enqueue_due_jobs()
        self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing due'}.")
