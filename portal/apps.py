from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: the pages that span apps (home, services, طلباتي, data rights, the access-log
    page, errors). Nothing imports it."""

    name = "portal"
    verbose_name = "Portal pages"

    def ready(self):
        from . import tasks  # noqa: F401, PLC0415  (registers the periodic jobs)
