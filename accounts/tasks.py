"""The accounts app's periodic jobs."""

from django_tasks import task

from core.periodic import periodic_job

from .retention import prune_sessions_and_log_ins
from .signup import delete_expired_unverified_accounts


@periodic_job("delete_unverified_accounts", "hourly")
@task()
def delete_unverified_accounts():
    return delete_expired_unverified_accounts()


@periodic_job("prune_sessions_and_log_ins", "daily")
@task()
def prune_sessions_and_log_ins_job():
    return prune_sessions_and_log_ins()
