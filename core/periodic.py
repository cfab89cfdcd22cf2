"""Periodic jobs, run once per period however many servers there are.

Each app registers its jobs (tasks) with `@periodic_job(name, period)`. One cron line on every
server, every few minutes, runs `manage.py run_periodic_jobs`: for each job whose period has
no run yet, the first server to record the run (a unique row) enqueues the job, and a worker
runs it. Every job is also a management command of its own.
"""

from django.db import transaction
from django.utils import timezone

from .models import PeriodicRun

PERIOD_FORMATS = {"every 5 minutes": "%Y-%m-%dT%H:%M", "hourly": "%Y-%m-%dT%H", "daily": "%Y-%m-%d"}
JOBS = {}


def period_of(period, now):
    """The name of the period `now` falls in, e.g. "2026-11-28T10:05" for every 5 minutes."""
    if period == "every 5 minutes":
        now = now.replace(minute=now.minute - now.minute % 5)
    return now.strftime(PERIOD_FORMATS[period])


def periodic_job(name, period):
    """Register a task to run once per `period` (a key of PERIOD_FORMATS)."""
    if period not in PERIOD_FORMATS:
        raise ValueError(f"unknown period {period!r}")

    def register(job_task):
        JOBS[name] = (period, job_task)
        return job_task

    return register


def enqueue_due_jobs(now=None):
    """Enqueue each job not yet started in its current period; returns the names enqueued."""
    now = timezone.localtime(now or timezone.now())
    enqueued = []
    for name, (period, job_task) in sorted(JOBS.items()):
        with transaction.atomic():
            _run, created = PeriodicRun.objects.get_or_create(job=name, period=period_of(period, now))
            if created:
                job_task.enqueue()
                enqueued.append(name)
    return enqueued
