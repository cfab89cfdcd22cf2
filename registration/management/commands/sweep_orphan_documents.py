"""`manage.py sweep_orphan_documents`: delete stored files no application refers to (run daily)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from registration.documents import sweep_orphan_documents
from registration.models import Application, DocumentKind


class Command(BaseCommand):
    help = "Delete uploaded documents that no application refers to and that are older than an hour."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, **options):
        fields = [kind.value for kind in DocumentKind]
        referenced = {name for row in Application.objects.values_list(*fields) for name in row if name}
        storage = Application._meta.get_field(DocumentKind.EMPLOYER_LETTER).storage
        deleted = sweep_orphan_documents(
            storage, referenced, timedelta(minutes=options["older_than_minutes"]), timezone.now()
        )
        self.stdout.write(f"Deleted {len(deleted)} orphan document(s).")
