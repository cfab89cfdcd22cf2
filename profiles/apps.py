from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    """Registered practitioners: their member data and the requests to update it."""

    name = "profiles"
    verbose_name = _("Practitioners")

    def ready(self):
        from . import queue, service_levels, signals  # noqa: F401  (the review queue, its counter, the log-in receiver)
