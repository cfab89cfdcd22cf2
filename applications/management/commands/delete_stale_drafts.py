"""`manage.py delete_stale_drafts`: warn of the drafts left untouched too long and delete those
whose day has come, with their documents (also a daily job).

Safe to run again the same day or on several servers: each warning is sent once, and a draft
is deleted once.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.drafts import clear_stale_drafts


class Command(BaseCommand):
    help = (
        "Warn of the drafts untouched for DRAFT_RETENTION_DAYS less DRAFT_WARNING_DAYS, and delete "
        "those untouched for DRAFT_RETENTION_DAYS and warned at least DRAFT_WARNING_DAYS ago."
    )

    def handle(self, *args, **options):
        warned, deleted = clear_stale_drafts(timezone.localdate())
        self.stdout.write(f"{warned} draft(s) warned of deletion, {deleted} draft(s) deleted.")
