from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The employers' read-only JSON API (/api/v1/): its tokens, what each token was used for, and
    the documentation page."""

    name = "api"
    verbose_name = _("Employers' API")

    def ready(self):
        from . import tasks  # noqa: F401, PLC0415  (prunes the look-up counts, a periodic job)
