from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    """Eligibility, registration applications with their documents, and their review."""

    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from . import tasks  # noqa: F401  (registers the periodic jobs)
