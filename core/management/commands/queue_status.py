"""`manage.py queue_status`: the task queue's depth and its oldest waiting task, for the operator.

Exits with status 1 when a task, or an email in the outbox, has waited longer than
--max-wait-minutes (default 15, when /healthz calls the queue stuck), so a monitor can run it.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.health import QUEUE_STUCK_AFTER, oldest_task_wait
from core.models import EmailStatus, OutboundEmail


class Command(BaseCommand):
    help = "Report the task queue's depth, its oldest waiting task, and the emails failed or waiting."

    def add_arguments(self, parser):
        parser.add_argument("--max-wait-minutes", type=int, default=int(QUEUE_STUCK_AFTER.total_seconds() // 60))

    def handle(self, *args, max_wait_minutes, **options):
        now = timezone.now()
        depth = DBTaskResult.objects.ready().count()
        waiting = oldest_task_wait(now)
        deferred = DBTaskResult.objects.filter(status="READY", run_after__gt=now).count()
        failed_emails = OutboundEmail.objects.filter(status=EmailStatus.FAILED).count()
        # Counted from the outbox, not the queue: an email whose task died with its worker has
        # no task left to wait in the queue.
        pending = OutboundEmail.objects.filter(status=EmailStatus.PENDING)
        late = pending.filter(created_at__lt=now - timedelta(minutes=max_wait_minutes)).count()
        self.stdout.write(
            f"ready={depth} oldest_wait_seconds={int(waiting.total_seconds())} "
            f"deferred={deferred} failed_emails={failed_emails} "
            f"pending_emails={pending.count()} pending_emails_over_{max_wait_minutes}_minutes={late}"
        )
        if waiting > timedelta(minutes=max_wait_minutes):
            raise CommandError(f"the oldest task has waited {waiting}; is a worker running?")
        if late:
            raise CommandError(
                f"{late} email{'s have' if late > 1 else ' has'} waited over {max_wait_minutes} minutes to be sent; "
                "is the mail server answering, and a worker running?"
            )
