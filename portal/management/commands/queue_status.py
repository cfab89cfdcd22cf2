"""`manage.py queue_status`: the task queue's depth and its oldest waiting task, for the operator.

Exits with status 1 when a task has waited longer than --max-wait-minutes (default 15), so a
monitor can run it; /healthz stays about the web process.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import EmailStatus, OutboundEmail


class Command(BaseCommand):
    help = "Report the task queue's depth, its oldest waiting task and the emails that failed."

    def add_arguments(self, parser):
        parser.add_argument("--max-wait-minutes", type=int, default=15)

    def handle(self, *args, max_wait_minutes, **options):
        now = timezone.now()
        ready = DBTaskResult.objects.ready()
        depth = ready.count()
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        waiting = (now - oldest) if oldest else timedelta(0)
        deferred = DBTaskResult.objects.filter(status="READY", run_after__gt=now).count()
        failed_emails = OutboundEmail.objects.filter(status=EmailStatus.FAILED).count()
        self.stdout.write(
            f"ready={depth} oldest_wait_seconds={int(waiting.total_seconds())} "
            f"deferred={deferred} failed_emails={failed_emails}"
        )
        if waiting > timedelta(minutes=max_wait_minutes):
            raise CommandError(f"the oldest task has waited {waiting}; is a worker running?")
