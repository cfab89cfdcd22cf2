"""`manage.py sweep_orphan_documents`: delete stored files no application refers to (also a daily job)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from applications.tasks import sweep_orphans


class Command(BaseCommand):
    help = "Delete uploaded documents that no application refers to and that are older than an hour."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, **options):
        deleted = sweep_orphans(timedelta(minutes=options["older_than_minutes"]))
        self.stdout.write(f"Deleted {len(deleted)} orphan document(s).")
