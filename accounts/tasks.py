"""The accounts app's periodic jobs."""

from django_tasks import task

from core.periodic import periodic_job

from .signup import delete_expired_unverified_accounts


@periodic_job("delete_unverified_accounts", "hourly")
@task()
def delete_unverified_accounts():
    return delete_expired_unverified_accounts()
