from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender, using, verbosity=1, **kwargs):
    """`migrate` also creates the database cache's table (when CACHE_URL is dbcache://), so a
    fresh install cannot miss it; like migrate, it only creates what is missing."""
    call_command("createcachetable", database=using, verbosity=verbosity)


class PortalConfig(AppConfig):
    """Pages and helpers shared by every part of the portal: home, terms, health, errors."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import tasks  # noqa: F401  (registers the periodic jobs)

        post_migrate.connect(create_cache_tables, sender=self)


class MumarisAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our site (Django's documented way to replace admin.site)."""

    default = False  # "portal" itself is PortalConfig

    default_site = "portal.admin_site.MumarisAdminSite"
