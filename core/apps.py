import logging

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using, verbosity=1, **kwargs):
    """`migrate` also creates the database cache's table (when CACHE_URL is dbcache://), so a
    fresh install cannot miss it; like migrate, it only creates what is missing."""
    call_command("createcachetable", database=using, verbosity=verbosity)


def forget_holidays_on_change(sender, **kwargs):
    from .holidays import forget_holidays
    from .service_levels import forget_kept_facts

    forget_holidays()
    forget_kept_facts()


class CoreConfig(AppConfig):
    """The ground floor every app builds on: the outbox and tasks, periodic jobs, decisions, the
    access log, rate limits, signed links, dates and digits. It imports none of our apps."""

    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from . import tasks  # noqa: F401  (registers the periodic jobs)

        post_migrate.connect(create_cache_tables, sender=self)
        # Every working-day count reads the holidays from the cache: a change shows at once (in the
        # other workers' expected dates within service_levels.FACTS_KEPT_SECONDS).
        holiday = self.get_model("Holiday")
        post_save.connect(forget_holidays_on_change, sender=holiday)
        post_delete.connect(forget_holidays_on_change, sender=holiday)
        # No log line of ours names its thread or process (settings.LOGGING's format): a record need
        # not look them up, which every request's line paid for (the logging HOWTO's "Optimization").
        logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
        if settings.REQUEST_TELEMETRY:
            from .request_log import count_queries_on

            connection_created.connect(count_queries_on, dispatch_uid="core.count_queries_on")


class MumarisAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our site (Django's documented way to replace admin.site)."""

    default = False  # "core" itself is CoreConfig

    default_site = "core.admin_site.MumarisAdminSite"
