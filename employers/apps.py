from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    """Organisations (hospitals, clinics): their members and invitations, the practitioners they
    watch, and the daily email of what changed."""

    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        from . import tasks  # noqa: F401, PLC0415  (the daily alert, a periodic job)
