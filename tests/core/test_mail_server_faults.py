"""A mail server that accepts the connection and then says nothing, or says it one byte at a time.

The worker must give up within EMAIL_TIMEOUT, hold no transaction or lock while it waits (on
SQLite one held write stops every other write on the site), leave the email to be retried, and
stop within its grace when told to.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as project_settings
from django.db import connection, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from core.emails import deliver, queue_email
from core.models import EmailStatus, OutboundEmail

from ..portal.test_settings import PRODUCTION_ENV, manage

DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
TIMEOUT = 1  # EMAIL_TIMEOUT in these tests, seconds
SLACK = 2  # seconds a test allows beyond it (a loaded machine)


class SilentMailServer:
    """Accepts TCP connections and never sends the SMTP greeting; `trickle`: sends it one byte
    every 0.2 s and never ends the line (a per-read timeout alone never fires)."""

    def __init__(self, trickle=False):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.trickle = trickle
        self.accepted = threading.Event()
        self.closing = threading.Event()
        self.connections = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.connections.append(client)
            self.accepted.set()
            if self.trickle:
                threading.Thread(target=self.drip, args=(client,), daemon=True).start()

    def drip(self, client):
        while not self.closing.wait(0.2):
            try:
                client.sendall(b"2")
            except OSError:
                return

    def close(self):
        self.closing.set()
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for client in self.connections:
            client.close()


@pytest.fixture
def silent_server(settings):
    server = SilentMailServer()
    settings.EMAIL_BACKEND = project_settings.SMTP_EMAIL_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, TIMEOUT
    yield server
    server.close()


def queue_one(alice, key=None):
    return queue_email("accounts/email/verify", {"user": alice, "link": "https://x", "days": 3}, alice.email, "en", key)


def deliver_in_thread(email_id):
    """`deliver` as a worker runs it: its own thread and database connection, no transaction around it."""
    outcome = {}

    def run():
        try:
            outcome["status"] = deliver(email_id)
        finally:
            connection.close()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker, outcome


@DATABASE_QUEUE
@pytest.mark.django_db(transaction=True)
def test_a_silent_mail_server_times_out_and_the_outbox_stays_writable(alice, silent_server):
    email = queue_one(alice)
    started = time.monotonic()
    worker, outcome = deliver_in_thread(email.pk)
    assert silent_server.accepted.wait(5)

    # While the worker waits for the greeting, a request locks and writes the outbox (a new
    # email, as sign-up does): no lock of the worker's may stand in its way (PostgreSQL: NOWAIT
    # fails on a locked row; SQLite: a held write transaction fails this write).
    with transaction.atomic():
        assert OutboundEmail.objects.select_for_update(nowait=True).filter(pk=email.pk).count() == 1
        queue_one(alice, key="written-while-the-worker-waits")

    worker.join(TIMEOUT + SLACK)
    assert not worker.is_alive(), "the worker is still waiting for the mail server"
    assert time.monotonic() - started < TIMEOUT + SLACK
    email.refresh_from_db()
    assert (outcome["status"], email.status, email.attempts) == (EmailStatus.PENDING, EmailStatus.PENDING, 1)
    assert email.last_error
    assert (email.claimed_by, email.claimed_at) == ("", None)
    retry = DBTaskResult.objects.filter(status="READY", args_kwargs__args=[email.pk], run_after=email.next_attempt_at)
    assert retry.exists()


@DATABASE_QUEUE
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_answers_one_byte_at_a_time_is_cut_off_at_the_deadline(alice, settings):
    server = SilentMailServer(trickle=True)
    settings.EMAIL_BACKEND = project_settings.SMTP_EMAIL_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, TIMEOUT
    email = queue_one(alice)
    try:
        worker, outcome = deliver_in_thread(email.pk)
        worker.join(TIMEOUT + SLACK)
        assert not worker.is_alive(), "a byte every 0.2 s kept the worker talking past EMAIL_TIMEOUT"
    finally:
        server.close()
    assert outcome["status"] == EmailStatus.PENDING
    assert OutboundEmail.objects.get().attempts == 1


def test_an_smtp_email_url_gets_the_deadline_backend_and_a_20_second_timeout():
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_TIMEOUT)"
    for url, backend in (
        ("smtp+tls://user:pw@smtp.example.sa:587", "core.smtp.EmailBackend"),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
    ):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=project_settings.BASE_DIR,
            env={**PRODUCTION_ENV, "EMAIL_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.split() == [backend, "20"], result.stderr


QUEUE_ONE = (
    "from core.emails import queue_rendered_email; "
    "queue_rendered_email('Reset your password', 'text', '<p>html</p>', 'alice@example.sa', key='reset-1')"
)


def test_a_worker_stuck_on_a_silent_mail_server_stops_within_its_grace_on_sigterm(tmp_path):
    """The real `db_worker` on its own SQLite file: SIGTERM while it waits; it finishes the attempt
    within EMAIL_TIMEOUT, exits, and the email waits for its retry (not lost, not half-sent)."""
    server = SilentMailServer()
    database = tmp_path / "worker.sqlite3"
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
        "EMAIL_TIMEOUT": "3",
    }

    for arguments in (("migrate", "--verbosity", "0"), ("shell", "--no-imports", "-c", QUEUE_ONE)):
        result = manage(*arguments, env=env)
        assert result.returncode == 0, result.stderr
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"],
        cwd=project_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert server.accepted.wait(30), "the worker never reached the mail server"
        stopping = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=3 + 10) == 0
        assert time.monotonic() - stopping < 3 + 10
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        server.close()
    with sqlite3.connect(database) as db:
        email = db.execute("SELECT status, attempts, claimed_by FROM core_outboundemail").fetchone()
        tasks = db.execute("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at").fetchall()
    assert email == ("pending", 1, "")
    assert tasks == [("SUCCESSFUL",), ("READY",)]  # the attempt is recorded and its retry queued
