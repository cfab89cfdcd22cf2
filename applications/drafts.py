"""Drafts left untouched: a warning DRAFT_WARNING_DAYS before DRAFT_RETENTION_DAYS have passed
since the last change, then the draft and its documents are deleted (the daily job
`stale_drafts`, `manage.py delete_stale_drafts`). The rules are in deadlines.py (pure).

The warning's outbox key names the draft and its last change, so it goes once however many
servers run the job, and a draft changed since starts afresh. The day the warning was queued
(its outbox row) is when the notice began: the deletion never comes sooner than
DRAFT_WARNING_DAYS after it.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.emails import queue_email
from core.models import OutboundEmail

from .deadlines import DraftFate, draft_deletion_day, draft_fate
from .models import Application, ApplicationStatus, DocumentKind

security_log = logging.getLogger("mumaris.security")


def draft_warning_key(application):
    return f"draft-warning:{application.pk}:{application.updated_at.isoformat()}"


def stale_drafts(today):
    """[(draft, fate, deletion day)] of the drafts with something to do today."""
    untouched_since = today - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS - settings.DRAFT_WARNING_DAYS)
    candidates = (
        Application.objects.filter(status=ApplicationStatus.DRAFT, updated_at__date__lte=untouched_since)
        .select_related("applicant")
        .order_by("updated_at", "pk")
    )
    drafts = {draft_warning_key(application): application for application in candidates}
    warned = dict(OutboundEmail.objects.filter(key__in=list(drafts)).values_list("key", "created_at"))
    found = []
    for key, application in drafts.items():
        last_touched_on = timezone.localdate(application.updated_at)
        warned_on = timezone.localdate(warned[key]) if key in warned else None
        rule = (settings.DRAFT_RETENTION_DAYS, settings.DRAFT_WARNING_DAYS)
        fate = draft_fate(last_touched_on, warned_on, today, *rule)
        if fate is not None:
            # A warning goes today: the notice runs from today.
            notice_from = today if fate == DraftFate.WARN else warned_on
            found.append((application, fate, draft_deletion_day(last_touched_on, notice_from, *rule)))
    return found


def warn_of_deletion(application, deletion_day):
    """Queue the one warning that the draft will be deleted on `deletion_day`."""
    user = application.applicant
    context = {
        "user": user,
        "application": application,
        "deletion_day": deletion_day,
        "last_touched_on": timezone.localdate(application.updated_at),
    }
    queue_email(
        "applications/email/draft_warning",
        context,
        user.email,
        user.preferred_language,
        key=draft_warning_key(application),
    )


def delete_stale_draft(application):
    """Delete a draft and its events; its documents' files once the deletion is committed (never
    before: a rolled-back deletion keeps them). False, and nothing done, when the draft was
    changed or submitted since `application` was read."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().filter(pk=application.pk).first()
        if locked is None or locked.status != ApplicationStatus.DRAFT or locked.updated_at != application.updated_at:
            return False
        documents = [locked.document(kind) for kind in DocumentKind if locked.document(kind)]
        reference = locked.reference
        locked.delete()
        for document in documents:
            transaction.on_commit(partial(document.storage.delete, document.name))
    security_log.info("draft %s deleted: untouched for %s days", reference, settings.DRAFT_RETENTION_DAYS)
    return True


def clear_stale_drafts(today):
    """The daily job: warn of the drafts due to go, delete those whose day has come. Returns
    (warned, deleted)."""
    warned = deleted = 0
    for application, fate, deletion_day in stale_drafts(today):
        if fate == DraftFate.WARN:
            warn_of_deletion(application, deletion_day)
            warned += 1
        elif delete_stale_draft(application):
            deleted += 1
    return warned, deleted
