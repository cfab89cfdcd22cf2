from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """The register: registrations, their validity and status, certificates, verification, share codes."""

    name = "registry"
    verbose_name = _("The register")

    def ready(self):
        from accounts.session_user import read_with_the_profile  # noqa: PLC0415

        from . import pdf_text  # noqa: F401, PLC0415  (registers its system check)
        from .models import Registration  # noqa: PLC0415

        # Nearly every page of a practitioner shows their registration (the renewal notice, the
        # services, the certificate): it comes with the session's user, in the same statement.
        read_with_the_profile(Registration._meta.get_field("profile"))
