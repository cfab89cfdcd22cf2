from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    """Registered practitioners: their member data and the requests to update it."""

    name = "profiles"
    verbose_name = _("Practitioners")

    def ready(self):
        from . import service_levels, signals  # noqa: F401  (registers the queue's counter, connects the log-in receiver)
