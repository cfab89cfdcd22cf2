"""Emails through the outbox and the task queue: atomic with their change, retried, sent once."""

import smtplib
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.emails import deliver, queue_email, retry_now
from core.models import EmailStatus, OutboundEmail, PeriodicRun
from core.periodic import enqueue_due_jobs
from devtools.demo import RENEWING

from ..factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def run_worker():
    """django-tasks-db's worker, until the queue is empty. It closes connections whose autocommit
    differs from the settings' — the test's own transaction — so that check is off here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def queue_one(alice, key=None):
    return queue_email("accounts/email/verify", {"user": alice, "link": "https://x", "days": 3}, alice.email, "en", key)


@DATABASE_QUEUE
def test_a_rolled_back_change_sends_nothing(alice):
    def change_that_fails():
        with transaction.atomic():
            queue_one(alice)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


@DATABASE_QUEUE
def test_a_committed_change_is_sent_by_the_worker_once(alice):
    email = queue_one(alice)
    assert mail.outbox == []  # nothing is sent in the request
    run_worker()
    run_worker()
    assert [message.to for message in mail.outbox] == [["alice@example.sa"]]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)


@DATABASE_QUEUE
def test_an_email_deleted_before_its_turn_is_nothing_to_send(alice):
    """A person's data erased (or the demo history's past emails dropped) while its task waits:
    the worker sends nothing and records no failed task."""
    queue_one(alice).delete()
    run_worker()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@DATABASE_QUEUE
def test_one_event_makes_one_email(alice):
    first, second = queue_one(alice, key="event-1"), queue_one(alice, key="event-1")
    assert first.pk == second.pk
    assert DBTaskResult.objects.count() == 1


@DATABASE_QUEUE
def test_a_failed_send_is_retried_later_and_then_sent(alice, monkeypatch, settings):
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    real_send = EmailMultiAlternatives.send

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("mail server away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    email = queue_one(alice)
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert "mail server away" in email.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after >= timezone.now() + timedelta(seconds=50)
    run_worker()  # not due yet: nothing happens
    assert OutboundEmail.objects.get().attempts == 1

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1


@DATABASE_QUEUE
def test_after_the_last_retry_the_email_is_failed_and_staff_can_send_it_again(alice, monkeypatch, settings, client):
    settings.EMAIL_RETRY_DELAYS = []
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda self, fail_silently=False: 1 / 0)
    email = queue_one(alice)
    run_worker()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "ZeroDivisionError" in email.last_error

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_outboundemail", "change_outboundemail"]))
    client.force_login(staff)
    listing = client.get("/admin/core/outboundemail/?status=failed")
    assert "ZeroDivisionError" in listing.content.decode()
    monkeypatch.undo()
    client.cookies["mumaris_language"] = "en"
    response = client.post(
        "/admin/core/outboundemail/", {"action": "send_again", "_selected_action": [email.pk]}, follow=True
    )
    assert "1 email will be sent again." in response.content.decode()
    run_worker()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_retried_task_never_sends_a_sent_email_again(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one(alice)
    assert deliver(email.pk) == EmailStatus.SENT
    assert retry_now(email) is False
    assert len(mail.outbox) == 1


@DATABASE_QUEUE
def test_no_request_talks_to_the_mail_server(client, alice, rana, monkeypatch):
    sent_in_request = []
    monkeypatch.setattr(EmailMultiAlternatives, "send", lambda self, fail_silently=False: sent_in_request.append(1))
    signup = {
        "full_name_ar": "ليلى",
        "national_id": "1012345672",
        "email": "layla@example.sa",
        "password1": "Sunrise-Over-Riyadh-42",
        "password2": "Sunrise-Over-Riyadh-42",
        "accept_terms": "on",
        "captcha_0": "k",
        "captcha_1": "PASSED",
    }
    assert client.post("/accounts/signup/", signup).status_code == 302
    assert (
        client.post(
            "/accounts/signup/", {**signup, "national_id": RENEWING.national_id, "email": alice.email}
        ).status_code
        == 302
    )
    resend = {"email": "layla@example.sa", "captcha_0": "k", "captcha_1": "PASSED"}
    assert client.post("/accounts/verify/resend/", resend).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": alice.email}).status_code == 302
    application = ApplicationFactory(applicant=alice, status="submitted")
    client.force_login(rana)
    client.post(f"/admin/applications/application/{application.pk}/decide/", {"action": "start_review"})
    client.post(f"/admin/applications/application/{application.pk}/decide/", {"action": "approve", "confirmed": "yes"})
    assert sent_in_request == []
    assert OutboundEmail.objects.count() == 5
    run_worker()
    assert len(sent_in_request) == 5


def test_each_periodic_job_is_enqueued_once_per_period(django_capture_on_commit_callbacks):
    now = timezone.make_aware(datetime(2026, 11, 28, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_due_jobs(now)
        again = enqueue_due_jobs(now + timedelta(minutes=4))
    assert first == [
        "clean_captchas",
        "count_dashboard_figures",
        "count_published_figures",
        "count_service_queues",
        "delete_unverified_accounts",
        "employers_daily_alerts",
        "flush_api_counts",
        "prune_access_log",
        "prune_api_usage",
        "prune_rate_counters",
        "prune_sessions_and_log_ins",
        "prune_task_records",
        "renewal_reminders",
        "returned_deadlines",
        "stale_drafts",
        "sweep_orphan_documents",
        "sweep_outbox",
    ]
    assert again == []
    with django_capture_on_commit_callbacks(execute=True):
        next_hour = enqueue_due_jobs(now + timedelta(hours=1))
    assert set(next_hour) >= {"clean_captchas", "delete_unverified_accounts"}
    assert PeriodicRun.objects.filter(job="clean_captchas").count() == 2


def test_the_captcha_job_deletes_expired_challenges():
    from captcha.models import CaptchaStore

    from core.tasks import clean_expired_captchas

    CaptchaStore.objects.create(challenge="A", response="a", expiration=timezone.now() - timedelta(minutes=1))
    CaptchaStore.objects.create(challenge="B", response="b", expiration=timezone.now() + timedelta(minutes=5))
    clean_expired_captchas.call()
    assert list(CaptchaStore.objects.values_list("challenge", flat=True)) == ["B"]


def test_the_unverified_accounts_and_orphan_jobs_run(settings):
    from accounts.tasks import delete_unverified_accounts
    from applications.tasks import sweep_orphan_documents_job

    old = timezone.now() - settings.EMAIL_VERIFICATION_MAX_AGE - timedelta(hours=1)
    UserFactory(is_active=False, email_verified_at=None, date_joined=old)
    assert delete_unverified_accounts.call() == 1
    assert sweep_orphan_documents_job.call() == 0


@DATABASE_QUEUE
def test_queue_status_reports_depth_and_age(alice):
    from io import StringIO

    from django.core.management.base import CommandError

    queue_one(alice)
    out = StringIO()
    call_command("queue_status", stdout=out)
    assert "ready=1" in out.getvalue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(CommandError, match="worker"):
        call_command("queue_status", stdout=out)


def test_an_email_being_sent_by_a_live_worker_is_not_sent_by_a_second(alice, django_capture_on_commit_callbacks):
    email = queue_one(alice)  # its task runs only when the test's transaction commits: never
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_by="host-b/4242/1f2e3d4c", claimed_at=timezone.now())
    assert deliver(email.pk) == EmailStatus.PENDING
    assert mail.outbox == []
    assert OutboundEmail.objects.get().attempts == 0


def test_a_claim_older_than_the_deadline_and_margin_is_taken_over(alice, settings):
    from core.emails import CLAIM_MARGIN

    email = queue_one(alice)
    abandoned = timezone.now() - timedelta(seconds=settings.EMAIL_TIMEOUT) - CLAIM_MARGIN - timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_by="dead/1/0", claimed_at=abandoned, attempts=1)
    assert deliver(email.pk) == EmailStatus.SENT
    email.refresh_from_db()
    assert (email.attempts, email.claimed_by, len(mail.outbox)) == (2, "", 1)


def worker_killed_mid_send(email, minutes_ago):
    """What a worker killed while the mail server held it leaves: the email claimed, its task FAILED."""
    then = timezone.now() - timedelta(minutes=minutes_ago)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_by="gone/99/0", claimed_at=then, attempts=1)
    DBTaskResult.objects.update(status="FAILED", started_at=then, finished_at=then)


@DATABASE_QUEUE
def test_the_sweep_requeues_an_email_whose_worker_died_mid_send_and_it_is_sent_once(alice):
    from core.emails import sweep_outbox

    lost = queue_one(alice, key="password-reset")
    worker_killed_mid_send(lost, minutes_ago=5)
    OutboundEmail.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep_outbox() == 1
    assert sweep_outbox() == 0  # its new task waits: no second one
    run_worker()
    lost.refresh_from_db()
    assert (lost.status, lost.attempts, len(mail.outbox)) == (EmailStatus.SENT, 2, 1)


@DATABASE_QUEUE
def test_the_sweep_leaves_emails_that_a_task_or_a_live_worker_will_send(alice):
    from core.emails import sweep_outbox

    long_ago = timezone.now() - timedelta(hours=1)
    waiting_in_the_queue = queue_one(alice, key="queued")  # its task is READY
    being_sent = queue_one(alice, key="in-flight")
    OutboundEmail.objects.update(created_at=long_ago)
    DBTaskResult.objects.filter(args_kwargs__args=[being_sent.pk]).update(status="RUNNING")
    OutboundEmail.objects.filter(pk=being_sent.pk).update(claimed_by="live/1/0", claimed_at=timezone.now())
    assert sweep_outbox() == 0
    assert DBTaskResult.objects.count() == 2
    assert waiting_in_the_queue.pk != being_sent.pk


def test_the_outbox_sweep_runs_every_five_minutes(django_capture_on_commit_callbacks):
    now = timezone.make_aware(datetime(2026, 11, 28, 10, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert "sweep_outbox" in enqueue_due_jobs(now)
        assert "sweep_outbox" not in enqueue_due_jobs(now + timedelta(minutes=2))
        assert "sweep_outbox" in enqueue_due_jobs(now + timedelta(minutes=3))


@DATABASE_QUEUE
def test_queue_status_flags_pending_emails_older_than_15_minutes(alice):
    from io import StringIO

    from django.core.management.base import CommandError

    email = queue_one(alice)
    worker_killed_mid_send(email, minutes_ago=20)  # no task waits for it: the queue itself looks empty
    out = StringIO()
    call_command("queue_status", stdout=out)
    assert "pending_emails=1" in out.getvalue()
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(CommandError, match="1 email has waited"):
        call_command("queue_status", stdout=out)
