from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Eligibility, applications (first registration and renewal) with their documents, their
    review, continuing-education hours and the renewal reminders."""

    name = "applications"
    verbose_name = _("Registration applications")

    def ready(self):
        from . import queue, service_levels, tasks  # noqa: F401  (the review queues, the queues' counters, the periodic jobs)
