"""The employers' periodic job: each morning's email of changes to every organisation."""

from django.utils import timezone
from django_tasks import task

from core.periodic import periodic_job

from .alerts import send_daily_alerts


@periodic_job("employers_daily_alerts", "daily")
@task()
def daily_alerts_job():
    return send_daily_alerts(timezone.localdate())
