"""What `/healthz`, `/readyz` and `manage.py queue_status` check: does the database answer, and
is the task queue moving.

A load balancer asks `/readyz` (can this server answer pages: its database answers); a monitor asks
`/healthz`, which is also degraded when no worker takes the tasks (emails and periodic jobs wait),
something no single app server can fix and no load balancer should act on.
"""

from datetime import timedelta

from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

# A task waiting longer than this means no worker is taking them.
QUEUE_STUCK_AFTER = timedelta(minutes=15)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def oldest_task_wait(now):
    """How long the oldest task ready to run has waited (zero when none waits)."""
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return max(now - oldest, timedelta(0)) if oldest else timedelta(0)


def health_problems(now=None):
    """The reasons the service is degraded, in words for an operator; empty when it is healthy."""
    if not database_answers():
        return ["database unavailable"]
    waited = oldest_task_wait(now or timezone.now())
    if waited > QUEUE_STUCK_AFTER:
        return [f"task queue stuck: the oldest task has waited {int(waited.total_seconds() // 60)} minutes"]
    return []
