"""The portal's own periodic jobs."""

from datetime import timedelta

from captcha.models import CaptchaStore
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from .access_log import prune_access_log
from .emails import sweep_outbox
from .limit_store import prune_expired_counters
from .models import PeriodicRun
from .periodic import periodic_job
from .service_levels import count_queues


@periodic_job("clean_captchas", "hourly")
@task()
def clean_expired_captchas():
    """What `manage.py captcha_clean` does: expired challenges are deleted."""
    CaptchaStore.remove_expired()


@periodic_job("prune_task_records", "daily")
@task()
def prune_task_records():
    """Finished tasks after 14 days, failed ones after 90, and the record of old periodic runs."""
    call_command("prune_db_task_results", "--min-age-days", "14", "--failed-min-age-days", "90", verbosity=0)
    PeriodicRun.objects.filter(started_at__lt=timezone.now() - timedelta(days=90)).delete()


@periodic_job("prune_access_log", "daily")
@task()
def prune_access_log_job():
    """Access records older than ACCESS_LOG_RETENTION_DAYS."""
    return prune_access_log()


@periodic_job("prune_rate_counters", "hourly")
@task()
def prune_rate_counters():
    """Rate-limit counters whose window has ended (the store never deletes a live one)."""
    return prune_expired_counters()


@periodic_job("sweep_outbox", "every 5 minutes")
@task()
def sweep_outbox_job():
    """Pending emails whose worker died in the middle of an attempt go back on the queue."""
    return sweep_outbox()


@periodic_job("count_service_queues", "every 5 minutes")
@task()
def count_service_queues():
    """Each service's queue (how many wait, how fast decisions come) for the expected dates."""
    count_queues(timezone.localdate())
