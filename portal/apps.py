from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Pages and helpers shared by every part of the portal: home, terms, health, errors."""

    name = "portal"
    verbose_name = _("Portal")
