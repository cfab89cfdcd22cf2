"""The API's periodic job."""

from django_tasks import task

from core.periodic import periodic_job

from .usage import prune_lookups


@periodic_job("prune_api_usage", "daily")
@task()
def prune_api_usage():
    """API use counts older than ACCESS_LOG_RETENTION_DAYS."""
    return prune_lookups()
