"""Emails go through the outbox and the task queue; no request ever talks to the mail server.

`queue_email` renders the message in the recipient's language and writes it, with the task
that will send it, in the caller's transaction: a rolled-back change sends nothing, and a
committed one is sent by a worker however long the mail server is away. `deliver` is that
worker's job: one attempt, and on failure the next one after a growing delay, for days.
"""

import logging
import uuid
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import EmailStatus, OutboundEmail

logger = logging.getLogger("mumaris.email")


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


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt, or None when it was the last."""
    delays = settings.EMAIL_RETRY_DELAYS
    return timedelta(seconds=delays[attempts - 1]) if attempts <= len(delays) else None


def deliver(email_id):
    """Send one queued email (once: a sent or failed one is left alone). Returns its status."""
    with transaction.atomic():
        # The row stays locked while the mail server answers: two workers never send it twice.
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status != EmailStatus.PENDING:
            return email.status
        email.attempts += 1
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
        try:
            message.send()
        except Exception as error:  # SMTP, network and TLS errors alike: any of them is retried.
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            delay = retry_delay(email.attempts)
            if delay is None:
                email.status = EmailStatus.FAILED
                email.next_attempt_at = None
                logger.error("email %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
            else:
                email.next_attempt_at = timezone.now() + delay
                deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
                logger.warning("email %s attempt %s failed, next in %s: %s", email.pk, email.attempts, delay, error)
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.next_attempt_at = None
            email.last_error = ""
        email.save()
    return email.status


@task()
def deliver_email(email_id):
    """The queue's job for one email (`manage.py db_worker` runs it)."""
    return deliver(email_id)


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
