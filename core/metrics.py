"""What a Prometheus server reads at `/metrics`: counted by each process, and read from the
database when scraped.

Counted as things happen, in every worker (prometheus-client; with several gunicorn workers its
multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`, adds the workers' files together at a scrape):
requests and their latency per URL name and status, database queries, log-ins, lockouts and the
refusals of each rate limit (`core/limits.py`).

Read when scraped (`OperationsCollector`, a few indexed queries, never a count over a large
table): the outbox (pending by age, failed, sent in the last minute), the task queue (depth,
oldest wait) and the review queues, whose waiting and overdue figures come from the last count
the periodic job kept (`CountedFigures`), not from counting the queues again.
"""

import functools
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .holidays import holiday_dates
from .models import CountedFigures, EmailStatus, OutboundEmail
from .queue import overdue_before

# prometheus-client reads this variable itself: gunicorn's config (mumaris/gunicorn_conf.py) sets it
# for its workers. Any other process given it (a command, the task worker) writes its own files there.
MULTIPROCESS_DIRECTORY = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if MULTIPROCESS_DIRECTORY:
    Path(MULTIPROCESS_DIRECTORY).mkdir(parents=True, exist_ok=True)

# Latency buckets in seconds: pages answer in tens of milliseconds; the tail is what alerts.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# An email pending longer than each of these (seconds) is counted under it.
OUTBOX_AGES = (0, 60, 300, 900, 3600)

# Its `_count` is the number of requests answered: a counter of its own would cost each request a
# third write for the same figure.
LATENCY = Histogram(
    "mumaris_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by URL name and status; _count is the requests answered.",
    ["view", "status"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Counter("mumaris_db_queries", "Database queries made while answering requests, by URL name.", ["view"])
LOGINS = Counter("mumaris_logins", "Completed log-ins.")
LOCKOUTS = Counter(
    "mumaris_lockouts", "Log-in lockouts (django-axes): the failure that locks, and each attempt refused while locked."
)
REFUSALS = Counter("mumaris_rate_limit_refusals", "Requests refused by a rate limit, by limit.", ["limit"])


@functools.cache
def _request_metrics(view, status):
    """The series a request of this URL name and status adds to. Kept: the labels are a bounded
    set (URL names, statuses), and finding a series again costs as much as adding to it."""
    return LATENCY.labels(view, str(status)), QUERIES.labels(view)


def record_request(view, status, seconds, queries):
    latency, query_count = _request_metrics(view, status)
    latency.observe(seconds)
    if queries:
        query_count.inc(queries)


def record_login():
    LOGINS.inc()


def record_lockout():
    LOCKOUTS.inc()


def record_refusal(limit_name):
    REFUSALS.labels(limit_name).inc()


class OperationsCollector:
    """The outbox, the task queue and the review queues, read from the database at each scrape."""

    def collect(self):
        now = timezone.now()
        yield from outbox_metrics(now)
        yield from task_queue_metrics(now)
        yield from review_queue_metrics(timezone.localdate(now))


def outbox_metrics(now):
    pending = GaugeMetricFamily(
        "mumaris_outbox_pending",
        "Emails waiting to be sent, pending longer than older_than seconds.",
        labels=["older_than"],
    )
    # One query on the (status, created_at) index: the pending and failed rows are few.
    ages = {
        f"older_than_{age}": Count(
            "pk", filter=Q(status=EmailStatus.PENDING, created_at__lt=now - timedelta(seconds=age))
        )
        for age in OUTBOX_AGES
    }
    counts = OutboundEmail.objects.filter(status__in=(EmailStatus.PENDING, EmailStatus.FAILED)).aggregate(
        failed=Count("pk", filter=Q(status=EmailStatus.FAILED)), **ages
    )
    for age in OUTBOX_AGES:
        pending.add_metric([str(age)], counts[f"older_than_{age}"])
    yield pending
    yield GaugeMetricFamily(
        "mumaris_outbox_failed", "Emails given up on (staff can send them again).", counts["failed"]
    )
    sent = OutboundEmail.objects.filter(sent_at__gte=now - timedelta(minutes=1)).count()
    yield GaugeMetricFamily("mumaris_outbox_sent_last_minute", "Emails sent in the last minute.", sent)


def task_queue_metrics(now):
    # Imported here: django-tasks-db's models need the app registry, ready by the first scrape.
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().aggregate(depth=Count("pk"), oldest=Min("enqueued_at"))
    yield GaugeMetricFamily("mumaris_task_queue_depth", "Tasks ready to run and not yet taken.", ready["depth"])
    waited = (now - ready["oldest"]).total_seconds() if ready["oldest"] else 0.0
    yield GaugeMetricFamily(
        "mumaris_task_queue_oldest_wait_seconds", "How long the oldest ready task has waited.", max(waited, 0.0)
    )


def review_queue_metrics(today):
    """Waiting and overdue requests per kind, from the last count of the periodic job.

    Overdue here is counted from the day of submission: a request returned for correction and
    sent back has its due day moved later by the pause, which the count by day cannot see, so
    this is an upper bound (the admin's overdue filter reads each request's history)."""
    waiting = GaugeMetricFamily("mumaris_review_queue_waiting", "Requests waiting for a decision.", labels=["kind"])
    overdue = GaugeMetricFamily(
        "mumaris_review_queue_overdue", "Waiting requests submitted longer ago than the promise.", labels=["kind"]
    )
    counted = CountedFigures.objects.filter(name__startswith="queue:").values_list("name", "data")
    holidays = holiday_dates() if counted else frozenset()
    for name, data in counted:
        kind = name.removeprefix("queue:")
        by_day = [(day, count) for day, count in data["waiting_by_day"]]
        cut_off = overdue_before(today, settings.SERVICE_LEVEL_DAYS[kind], holidays).isoformat()
        waiting.add_metric([kind], sum(count for _day, count in by_day))
        overdue.add_metric([kind], sum(count for day, count in by_day if day < cut_off))
    yield waiting
    yield overdue


def exposition():
    """The metrics in Prometheus' text format: every worker's counts and the database's figures."""
    registry = CollectorRegistry()
    if MULTIPROCESS_DIRECTORY:
        MultiProcessCollector(registry, path=MULTIPROCESS_DIRECTORY)
    else:
        for metric in (LATENCY, QUERIES, LOGINS, LOCKOUTS, REFUSALS):
            registry.register(metric)
    registry.register(OperationsCollector())
    return generate_latest(registry)
