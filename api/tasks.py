"""The API's periodic jobs."""

from django_tasks import task

from core.periodic import periodic_job

from .usage import flush_counts, prune_lookups


@periodic_job("prune_api_usage", "daily")
@task()
def prune_api_usage():
    """API use counts older than ACCESS_LOG_RETENTION_DAYS."""
    return prune_lookups()


@periodic_job("flush_api_counts", "every 5 minutes")  # usage.FLUSHED_EVERY_MINUTES
@task()
def flush_api_counts():
    """The API's use counts added up in the limits' Redis, written to the tables (none without it)."""
    return flush_counts()
