"""The registration app's periodic jobs."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from core.periodic import periodic_job

from .documents import sweep_orphan_documents
from .drafts import clear_stale_drafts
from .models import Application, CPDActivity, DocumentKind
from .reminders import send_renewal_reminders
from .returned import enforce_answer_deadlines


def sweep_orphans(older_than=timedelta(hours=1)):
    """Delete the stored documents no application or activity refers to; returns their names."""
    fields = [kind.value for kind in DocumentKind]
    referenced = {name for row in Application.objects.values_list(*fields) for name in row if name}
    referenced |= set(CPDActivity.objects.values_list("certificate", flat=True))
    storage = Application._meta.get_field(DocumentKind.EMPLOYER_LETTER).storage
    return sweep_orphan_documents(storage, referenced, older_than, timezone.now())


@periodic_job("sweep_orphan_documents", "daily")
@task()
def sweep_orphan_documents_job():
    return len(sweep_orphans())


@periodic_job("renewal_reminders", "daily")
@task()
def renewal_reminders_job():
    return send_renewal_reminders(timezone.localdate())


@periodic_job("returned_deadlines", "daily")
@task()
def returned_deadlines_job():
    closed, reminded = enforce_answer_deadlines(timezone.localdate())
    return {"closed": closed, "reminded": reminded}


@periodic_job("stale_drafts", "daily")
@task()
def stale_drafts_job():
    warned, deleted = clear_stale_drafts(timezone.localdate())
    return {"warned": warned, "deleted": deleted}
