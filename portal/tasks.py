"""The portal's periodic jobs."""

from django.utils import timezone
from django_tasks import task

from core.periodic import periodic_job

from .dashboard import count_waiting_figures, count_weekly_figures
from .service_levels import count_published_figures


@periodic_job("count_published_figures", "hourly")
@task()
def count_published_figures_job():
    """معايير الخدمة: the last 90 days' decisions, counted for the public page; and from the same
    decisions, the supervisors' dashboard's weekly figures."""
    today = timezone.localdate()
    count_weekly_figures(today, count_published_figures(today))


@periodic_job("count_dashboard_figures", "every 5 minutes")
@task()
def count_dashboard_figures_job():
    """The supervisors' dashboard: the waiting requests by kind and age, and the overdue ones."""
    count_waiting_figures(timezone.localdate())
