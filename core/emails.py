"""Emails go through the outbox and the task queue; no request ever talks to the mail server.

`queue_email` renders the message in the recipient's language and writes it, with the task
that will send it, in the caller's transaction: a rolled-back change sends nothing, and a
committed one is sent by a worker however long the mail server is away. `deliver` is that
worker's job: one attempt, and on failure the next one after a growing delay, for days.
`sweep_outbox` (a periodic job) re-queues an email whose worker died in the middle of an attempt.
"""

import logging
import os
import socket
import uuid
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import EmailStatus, OutboundEmail

logger = logging.getLogger("mumaris.email")
# Time a worker may spend around the send itself (building the message, writing the outcome)
# before its claim counts as abandoned.
CLAIM_MARGIN = timedelta(seconds=60)


def render_email(template_prefix, context, language):
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` in `language`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context, using="text").split())
        text_body = render_to_string(f"{template_prefix}.txt", context, using="text")
        html_body = render_to_string(f"{template_prefix}.html", context)
    return subject, text_body, html_body


def queue_email(template_prefix, context, to_address, language, key=None, *, calendar=""):
    """Render the email now and queue it; `key` names the event (one email per key). `calendar`:
    an iCalendar text to attach."""
    subject, text_body, html_body = render_email(template_prefix, context, language)
    return queue_rendered_email(subject, text_body, html_body, to_address, key=key, calendar=calendar)


def queue_rendered_email(subject, text_body, html_body, to_address, key=None, *, calendar=""):
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key or f"once:{uuid.uuid4()}",
            defaults={
                "to_address": to_address,
                "subject": subject[:300],
                "text_body": text_body,
                "html_body": html_body,
                "calendar": calendar,
            },
        )
        if created:
            deliver_email.enqueue(email.pk)
    return email


def queue_rendered_emails_at_once(emails):
    """Queue many rendered emails (a daily job's thousands) with one INSERT for the rows, then
    each one's task. `emails`: OutboundEmail instances, unsaved, each with its key. Call inside the
    transaction that makes their keys new: a key already in the outbox raises IntegrityError and
    nothing of the batch is kept."""
    with transaction.atomic():
        created = OutboundEmail.objects.bulk_create(emails)
        for email in created:
            deliver_email.enqueue(email.pk)
    return created


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt, or None when it was the last."""
    delays = settings.EMAIL_RETRY_DELAYS
    return timedelta(seconds=delays[attempts - 1]) if attempts <= len(delays) else None


def claim_expiry():
    """How old a claim is when its worker must have died: the send's deadline (EMAIL_TIMEOUT,
    portal/smtp.py) and a margin for the database writes on either side of it."""
    return timedelta(seconds=settings.EMAIL_TIMEOUT) + CLAIM_MARGIN


def claim(email_id, now):
    """Take a pending email for one attempt: who and when, on the row, committed before anyone
    talks to the mail server. None when it is sent, failed, or another worker is sending it."""
    claimant = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"[:100]
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_expiry())
    # One conditional UPDATE: of two workers only one matches, on SQLite and PostgreSQL alike.
    taken = OutboundEmail.objects.filter(unclaimed, pk=email_id, status=EmailStatus.PENDING).update(
        claimed_by=claimant, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimant if taken else None


def build_message(email):
    message = EmailMultiAlternatives(
        email.subject,
        email.text_body,
        settings.DEFAULT_FROM_EMAIL,
        [email.to_address],
        headers={"Message-ID": make_msgid(idstring=f"outbox-{email.pk}", domain="mumaris")},
    )
    message.attach_alternative(email.html_body, "text/html")
    if email.calendar:
        message.attach("mumaris.ics", email.calendar, "text/calendar")
    return message


def record_attempt(email, claimant, error):
    """Write an attempt's outcome and release the claim, if it is still ours; on failure queue
    the next attempt in the same transaction. Returns the email's status."""
    now = timezone.now()
    delay = None if error is None else retry_delay(email.attempts)
    if error is None:
        outcome = {"status": EmailStatus.SENT, "sent_at": now, "next_attempt_at": None, "last_error": ""}
    else:
        outcome = {
            "status": EmailStatus.FAILED if delay is None else EmailStatus.PENDING,
            "next_attempt_at": None if delay is None else now + delay,
            "last_error": f"{type(error).__name__}: {error}"[:2000],
        }
    with transaction.atomic():
        ours = OutboundEmail.objects.filter(pk=email.pk, claimed_by=claimant)
        if not ours.update(claimed_by="", claimed_at=None, **outcome):
            # Our send outlived its claim and the sweep handed the email to another worker.
            logger.error("email %s: claim %s expired during the attempt (error: %s)", email.pk, claimant, error)
            return OutboundEmail.objects.get(pk=email.pk).status
        if delay is not None:
            deliver_email.using(run_after=outcome["next_attempt_at"]).enqueue(email.pk)
    if outcome["status"] == EmailStatus.FAILED:
        logger.error("email %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
    elif error is not None:
        logger.warning("email %s attempt %s failed, next in %s: %s", email.pk, email.attempts, delay, error)
    return outcome["status"]


def deliver(email_id):
    """Send one queued email (once: a sent, failed or claimed one is left alone). Returns its status.

    Three steps, and no transaction or lock is held while the mail server is talked to: claim
    the row (committed), send, record the outcome. Exactly once while workers live: a claimed
    row is sent by its claimant only. At least once is the best any SMTP client can do in one
    window: a worker killed after the server accepted the message and before the outcome was
    written leaves a claim the sweep later re-queues, and the message goes out again.
    """
    claimant = claim(email_id, timezone.now())
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None:
        # Deleted before its turn (a person's data erased, or the demo history's past emails):
        # nothing to send, and no failure to report.
        logger.info("email %s no longer exists: nothing to send", email_id)
        return None
    if claimant is None:
        return email.status
    try:
        build_message(email).send()
    except Exception as error:  # SMTP, network, TLS errors and the deadline alike: any of them is retried.
        return record_attempt(email, claimant, error)
    return record_attempt(email, claimant, None)


@task()
def deliver_email(email_id):
    """The queue's job for one email (`manage.py db_worker` runs it)."""
    return deliver(email_id)


def sweep_outbox():
    """Re-queue each pending email no task will send: its worker died mid-attempt (killed, or
    stopped by force), leaving a claim older than `claim_expiry` and a task that is over.
    Returns how many. An email whose task still waits, or whose claim is fresh, is left alone;
    one re-queued twice would still be sent once (the claim)."""
    overdue = timezone.now() - claim_expiry()
    stranded = (
        OutboundEmail.objects.filter(status=EmailStatus.PENDING, created_at__lt=overdue)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=overdue))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=overdue))
    )
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver_email.module_path)
    has_a_task = {args_kwargs["args"][0] for args_kwargs in waiting.values_list("args_kwargs", flat=True)}
    requeued = [pk for pk in stranded.values_list("pk", flat=True) if pk not in has_a_task]
    for pk in requeued:
        deliver_email.enqueue(pk)
    if requeued:
        logger.warning("re-queued %s emails whose attempt was abandoned: %s", len(requeued), requeued)
    return len(requeued)


def retry_now(email):
    """Staff's "send again": a failed (or waiting) email gets a fresh attempt now."""
    with transaction.atomic():
        locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
        if locked.status == EmailStatus.SENT:
            return False
        locked.status = EmailStatus.PENDING
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
        deliver_email.enqueue(locked.pk)
    return True
