"""The portal's periodic jobs."""

from django.utils import timezone
from django_tasks import task

from core.periodic import periodic_job

from .service_levels import count_published_figures


@periodic_job("count_published_figures", "hourly")
@task()
def count_published_figures_job():
    """معايير الخدمة: the last 90 days' decisions, counted for the public page."""
    count_published_figures(timezone.localdate())
