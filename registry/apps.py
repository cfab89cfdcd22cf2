from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The register: registrations, their validity and status, certificates, verification, share codes."""

    name = "registry"
    verbose_name = _("The register")

    def ready(self):
        from . import pdf_text  # noqa: F401, PLC0415  (registers its system check)
