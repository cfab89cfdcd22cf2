"""The registration app's periodic jobs."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from portal.periodic import periodic_job

from .documents import sweep_orphan_documents
from .models import Application, DocumentKind


def sweep_orphans(older_than=timedelta(hours=1)):
    """Delete the stored documents no application refers to; returns their names."""
    fields = [kind.value for kind in DocumentKind]
    referenced = {name for row in Application.objects.values_list(*fields) for name in row if name}
    storage = Application._meta.get_field(DocumentKind.EMPLOYER_LETTER).storage
    return sweep_orphan_documents(storage, referenced, older_than, timezone.now())


@periodic_job("sweep_orphan_documents", "daily")
@task()
def sweep_orphan_documents_job():
    return len(sweep_orphans())
