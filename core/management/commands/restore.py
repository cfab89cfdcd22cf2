"""`manage.py restore ARCHIVE`: an archive of `manage.py backup` into an empty database and
document storage (those of the settings: DATABASE_URL, MEDIA_ROOT or DOCUMENTS_BUCKET)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty document storage."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            documents = restore_backup(archive)
        except BackupError as error:
            raise CommandError(f"restore: {error}") from error
        self.stdout.write(f"restored the database and {documents} documents from {archive}")
