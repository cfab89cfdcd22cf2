"""`manage.py prune_access_log`: delete access records past the retention (also a daily job)."""

from django.core.management.base import BaseCommand

from core.access_log import prune_access_log


class Command(BaseCommand):
    help = "Delete access-log records older than ACCESS_LOG_RETENTION_DAYS (safe on every server at once)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {prune_access_log()} access record(s).")
