"""`manage.py backup`: the database and the documents in one dated archive (core/backup.py)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Write one archive of the database (pg_dump) and the documents, with a manifest of SHA-256 checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", help="where the archive goes (default: backups/)")

    def handle(self, *args, output_dir, **options):
        started = timezone.now()
        try:
            archive = make_backup(output_dir, started.astimezone(datetime.UTC))
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"{archive} ({archive.stat().st_size / 1024 / 1024:.1f} MB, {seconds:.1f} s)")
