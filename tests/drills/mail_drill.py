"""The mail-server fault drill's experiment: the SMTP server away, slow, then silent, while people
keep using the portal. What it must show is asserted in test_mail_fault.py.

gunicorn (production settings) on a fresh PostgreSQL database, two task workers
(`manage.py db_worker`) competing for the email tasks, and a real SMTP server (aiosmtpd, in this
process, on a loopback port) that records every message it accepts. One client of each kind
works throughout, starting an action every half second:
- sign-ups: one verification email each (every other visitor has chosen English);
- resend-verification posts: a new link for an account signed up here and not yet verified,
  or, one post in four, for an unknown address (which sends nothing);
- the demo reviewer's decisions on applications made here: start review (no email), then
  approve or return (one email to the applicant); the reviewer logs in with the password and a
  code from an authenticator key made for the drill.
Phases: (1) baseline, the mail server up, 10 s; (2) outage: the mail server stopped (its port
closed) for 30 s of traffic and 2 s more; (3) the mail server back: wait until no email is
pending, then 10 s more of baseline; (4) slow: the mail server takes 5 s per message during 15 s
of traffic, then fast again to drain; (5) tarpit: a server on the mail port that accepts each
connection and never sends the SMTP greeting, for 30 s of traffic; once both workers are stuck
on it one of them is sent SIGTERM (and a fresh one started), and /healthz is asked every second;
then the real server again, to drain.
For the drill SIGNUP_RATE and EMAIL_SENDING_RATE are raised to 10000/h (one client makes every
sign-up and every resend) and EMAIL_RETRY_DELAYS is shortened to 20, 30, 60… s (RETRY_DELAYS).
"""

import asyncio
import collections
import contextlib
import email
import email.policy
import gettext
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time

from aiosmtpd.controller import Controller
from django_otp.oath import totp

from bench.loadstack import BASE_DIR, Stack, Visitor, cpu_seconds, fetch_status, free_port, random_national_id
from bench.measure import Recorder, percentile
from devtools.demo import DEMO_PASSWORD
from devtools.demo import REVIEWER as DEMO_REVIEWER

# Seconds of traffic in each phase; the baseline is run twice, before the outage and after it,
# so that it samples the (shared, noisy) machine on both sides.
BASELINE, OUTAGE, SLOW, TARPIT = 10, 30, 15, 30
OUTAGE_GRACE = 2  # the port stays closed a little longer, so the last emails queued meet it too
DRAIN_LIMIT = 120  # seconds to wait for the outbox to empty
SLOW_SECONDS = 5  # per message, in slow mode
EMAIL_TIMEOUT = 20  # the default: a worker gives up on the silent server after this
STOP_GRACE = 10  # seconds beyond EMAIL_TIMEOUT a worker may take to stop on SIGTERM
PACE = 0.5  # each client starts an action at most this often (seconds)
LATENCY_FACTOR, LATENCY_SLACK = 2, 0.25  # normal speed: p95 <= factor × baseline p95 + slack
APPLICATIONS = 120  # submitted applications for the reviewer, who decides one every 2 × PACE
REVIEWER = DEMO_REVIEWER.national_id  # the demo reviewer of `manage.py load_demo`
# Seconds between attempts. Production waits 60 s first, so a 30-s outage costs each email one
# failed attempt; this keeps that (one or two) and sends everything within ~30 s of the restart.
# A schedule of a few seconds retries each email about five times during the outage, work that
# competes with the pages for the CPU (docs/performance.md, "Mail-server outage").
RETRY_DELAYS = "20,30,60,60,60,60"
RESEND = "/accounts/verify/resend/"
PHASES = ("baseline", "outage", "slow", "tarpit")
KINDS = ("sign-up", "resend", "decision")

ARABIC = gettext.translation("django", BASE_DIR / "locale", languages=["ar"])
VERIFY_SUBJECT = "Mumaris: verify your email address"
DECIDED_SUBJECT = "Mumaris: application %(reference)s — %(status)s"
# The reviewer's decisions in turn: (action, status stored, status label, reason).
DECISIONS = [
    ("approve", "approved", "Approved", ""),
    ("return", "returned", "Returned for correction", "The employer letter is unreadable; please upload it again."),
]
OUTBOX = (
    "SELECT id, status, attempts, lower(to_address) AS recipient, subject,"
    " extract(epoch FROM created_at)::float8 AS created FROM core_outboundemail"
)
PENDING = "SELECT count(*) FROM core_outboundemail WHERE status = 'pending'"


def translated(language, text):
    return ARABIC.gettext(text) if language == "ar" else text


def kind_of(answer):
    """Which client's action a request was: 'sign-up', 'resend', 'decision', or 'other' (pages)."""
    if answer.method == "POST" and answer.path == "/accounts/signup/":
        return "sign-up"
    if answer.method == "POST" and answer.path == RESEND:
        return "resend"
    if answer.method == "POST" and answer.path.endswith("/decide/"):
        return "decision"
    return "other"


class Mailbox:
    """The SMTP server's handler: records every message it accepts; `slow` makes each take 5 s."""

    def __init__(self):
        self.messages = []  # (recipient, subject, Message-ID, accepted in slow mode)
        self.slow = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        slow = self.slow
        if slow:
            await asyncio.sleep(SLOW_SECONDS)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # A long encoded subject starts on a folded line ("Subject:", then " =?utf-8?b?…?="); the
        # parser keeps that fold's space, which mail clients drop.
        subject = str(message["Subject"]).strip()
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient.lower(), subject, str(message["Message-ID"]), slow))
        return "250 Message accepted for delivery"


class MailServer:
    """aiosmtpd on a fixed loopback port: `stop` closes the port (connections refused), `start` reopens it."""

    def __init__(self, mailbox, port):
        self.mailbox = mailbox
        self.port = port
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost")
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Tarpit:
    """On the mail server's port while it runs: accepts each connection and never says a word."""

    def __init__(self, port):
        self.port = port
        self.listener = None
        self.held = []

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.hold, daemon=True).start()

    def hold(self):
        while True:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:  # closed by stop()
                return

    def stop(self):
        # shutdown wakes the thread blocked in accept(); close alone would leave the port bound.
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.held:
            connection.close()


class Drill:
    """The three clients, what they were answered, and the emails their actions should cause."""

    def __init__(self, stack, applications, workers):
        self.stack = stack
        self.workers = workers  # the task workers (Popen)
        self.phases = {}  # phase -> its length, the workers' CPU time in it, the load average after it
        self.applications = collections.deque(applications)  # submitted, waiting for a decision
        self.recorder = Recorder(phase="setup")  # every request, tagged with its phase
        self.expected = collections.Counter()  # (recipient, subject) -> how many emails
        self.actions = collections.Counter()  # what the clients did that was answered, by outcome
        self.lock = threading.Lock()  # for the counters, which every client adds to
        self.unverified = []  # (email, language) of the accounts signed up here
        self.in_review = None  # the application the reviewer has started reviewing
        self.decided = {}  # application id -> the status the reviewer gave it
        self.reviewer = Visitor(stack.url, self.recorder)

    def done(self, action, recipient=None, subject=None):
        """Count an action that was answered, and the email it should send, if any."""
        with self.lock:
            self.actions[action] += 1
            if recipient:
                self.expected[recipient, subject] += 1

    def sign_up(self, number):
        visitor = Visitor(self.stack.url, self.recorder)
        language = "en" if number % 2 else "ar"
        visitor.cookies["mumaris_language"] = language
        national_id = random_national_id()
        if visitor.sign_up(national_id)[0] == 302:
            address = f"visitor-{national_id}@example.sa"
            self.done("sign-up: verification email", address, translated(language, VERIFY_SUBJECT))
            self.unverified.append((address, language))

    def resend(self, number):
        if number % 4 == 3 or not self.unverified:
            address, language = f"nobody-{secrets.token_hex(6)}@example.sa", None
        else:
            address, language = secrets.choice(self.unverified)
        fields = {"email": address, "captcha_0": "x", "captcha_1": "PASSED"}
        if Visitor(self.stack.url, self.recorder).post(RESEND, fields)[0] == 302:
            if language:
                self.done("resend: verification email", address, translated(language, VERIFY_SUBJECT))
            else:
                self.done("resend for an unknown address: no email")

    def decide(self, number):
        """Start reviewing the next application, or decide on the one under review (in turn)."""
        if self.in_review is None:
            if self.applications:
                self.in_review = self.applications.popleft()
                fields = {"action": "start_review", "reason": ""}
                if self.reviewer.post(decide_path(self.in_review[0]), fields)[0] == 302:
                    self.done("start review: no email")
            return
        (application_id, reference, address, language), self.in_review = self.in_review, None
        action, status, label, reason = DECISIONS[number // 2 % len(DECISIONS)]
        fields = {"action": action, "reason": reason, "confirmed": "yes"}  # as the confirmation page posts
        if self.reviewer.post(decide_path(application_id), fields)[0] == 302:
            values = {"reference": reference, "status": translated(language, label)}
            self.done(f"{action}: email to the applicant", address, translated(language, DECIDED_SUBJECT) % values)
            self.decided[application_id] = status

    def run_phase(self, phase, seconds):
        """All three clients for `seconds`; returns the phase's (start, end) as Unix times."""
        started = time.time()
        cpu = self.workers_cpu()
        self.recorder.phase = phase
        threads = [
            threading.Thread(target=paced, args=(action, seconds))
            for action in (self.sign_up, self.resend, self.decide)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.recorder.phase = "between phases"
        figures = self.phases.setdefault(phase, {"seconds": 0, "workers' CPU seconds": 0})
        figures["seconds"] = round(figures["seconds"] + time.time() - started, 1)
        cpu = sum(seconds - cpu.get(pid, 0) for pid, seconds in self.workers_cpu().items())
        figures["workers' CPU seconds"] = round(figures["workers' CPU seconds"] + cpu, 1)
        figures["load average (1 min)"] = round(os.getloadavg()[0], 1)
        return started, time.time()

    def workers_cpu(self):
        """CPU seconds of each worker still running, by pid (a stopped one has left the list)."""
        return {worker.pid: cpu_seconds(worker.pid) for worker in self.workers if worker.poll() is None}

    def stop_a_stuck_worker(self, tarpit, outcome):
        """Once both workers wait on the tarpit, SIGTERM one, time its exit, start another."""
        deadline = time.monotonic() + TARPIT
        while len(tarpit.held) < len(self.workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        outcome["workers stuck on the tarpit"] = len(tarpit.held)
        worker = self.workers[0]
        stopping = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        try:
            outcome["exit status"] = worker.wait(timeout=EMAIL_TIMEOUT + STOP_GRACE)
        except subprocess.TimeoutExpired:
            outcome["exit status"] = None
        outcome["seconds to stop"] = round(time.monotonic() - stopping, 1)
        self.workers = [*self.workers[1:], self.stack.start_worker()]


def ask_healthz(url, seconds, statuses):
    """GET /healthz every second for `seconds`, appending each status (None: no answer)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        statuses.append(fetch_status(url + "/healthz"))
        time.sleep(1)


def log_in_reviewer(visitor, key):
    """The password, then the code the reviewer's app would show; True once the admin opens."""
    visitor.log_in(REVIEWER, DEMO_PASSWORD)
    visitor.post("/accounts/login/code/", {"code": f"{totp(bytes.fromhex(key)):06d}"})
    return visitor.get("/admin/")[0] == 200


def decide_path(application_id):
    return f"/admin/applications/application/{application_id}/decide/"


def paced(action, seconds):
    deadline = time.monotonic() + seconds
    number = 0
    while (started := time.monotonic()) < deadline:
        action(number)
        number += 1
        time.sleep(max(0.0, started + PACE - time.monotonic()))


def drain(stack):
    """Seconds until no email is pending, or None after DRAIN_LIMIT."""
    started = time.monotonic()
    while time.monotonic() < started + DRAIN_LIMIT:
        if stack.value(PENDING) == 0:
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


def latency_rows(answers):
    """One row per phase and kind: statuses, 5xx, p50, p95, max, p95 over the baseline's, and
    whether the row passes (answered, only redirects, no 5xx, at normal speed)."""
    rows = []
    for phase in PHASES:
        for kind in KINDS:
            mine = [answer for answer in answers if answer.phase == phase and kind_of(answer) == kind]
            seconds = [answer.seconds for answer in mine]
            baseline = [answer.seconds for answer in answers if answer.phase == "baseline" and kind_of(answer) == kind]
            baseline_p95 = percentile(baseline, 0.95)
            p95 = percentile(seconds, 0.95)
            statuses = collections.Counter(str(answer.status) for answer in mine)
            server_errors = sum(1 for answer in mine if answer.failed)
            normal = p95 <= LATENCY_FACTOR * baseline_p95 + LATENCY_SLACK
            # A page that waited for the slow or silent mail server would take SLOW_SECONDS or more.
            normal = normal and (phase not in {"slow", "tarpit"} or max(seconds, default=0) < SLOW_SECONDS)
            passed = bool(mine) and server_errors == 0 and set(statuses) == {"302"} and normal
            rows.append(
                {
                    "phase": phase,
                    "kind": kind,
                    "requests": str(len(mine)),
                    "statuses": " ".join(f"{status}×{count}" for status, count in sorted(statuses.items())),
                    "5xx": str(server_errors),
                    "p50 ms": f"{percentile(seconds, 0.5) * 1000:.0f}",
                    "p95 ms": f"{p95 * 1000:.0f}",
                    "max ms": f"{max(seconds, default=float('nan')) * 1000:.0f}",
                    "p95 / baseline": f"{p95 / baseline_p95:.2f}",
                    "result": "PASS" if passed else "FAIL",
                }
            )
    return rows


def email_figures(drill, mailbox, outbox, outage, sent_by_worker):
    """What arrived against what was expected, and the outbox's view of it."""
    received = collections.Counter((recipient, subject) for recipient, subject, _id, _slow in mailbox.messages)
    row_ids = [re.search(r"outbox-(\d+)@", message_id) for _r, _s, message_id, _slow in mailbox.messages]
    row_ids = [int(match.group(1)) if match else None for match in row_ids]
    in_outage = [row for row in outbox if outage[0] <= row["created"] <= outage[1]]
    return {
        "actions": dict(drill.actions),
        "expected": sum(drill.expected.values()),
        "received": len(mailbox.messages),
        "missing": [list(key) for key in drill.expected - received],
        "extra": [list(key) for key in received - drill.expected],
        "rows received twice": sorted(pk for pk, count in collections.Counter(row_ids).items() if count > 1),
        "messages without an outbox row id": row_ids.count(None),
        "rows received": sorted({pk for pk in row_ids if pk is not None}),
        "rows sent": sorted(row["id"] for row in outbox if row["status"] == "sent"),
        "outbox": dict(collections.Counter(row["status"] for row in outbox)),
        "queued during the outage": len(in_outage),
        "their attempts": dict(sorted(collections.Counter(row["attempts"] for row in in_outage).items())),
        "accepted in slow mode": sum(1 for message in mailbox.messages if message[3]),
        "sent by each worker": sorted(row["sent"] for row in sent_by_worker),
    }


def run_tarpit(drill, mail_server):
    """Phase 5: the silent server on the mail port for TARPIT s of traffic; returns its figures."""
    mail_server.stop()
    tarpit = Tarpit(mail_server.port)
    tarpit.start()
    stopped, healthz = {}, []
    helpers = [
        threading.Thread(target=drill.stop_a_stuck_worker, args=(tarpit, stopped)),
        threading.Thread(target=ask_healthz, args=(drill.stack.url, TARPIT, healthz)),
    ]
    for helper in helpers:
        helper.start()
    drill.run_phase("tarpit", TARPIT)
    for helper in helpers:
        helper.join()
    tarpit.stop()
    mail_server.start()
    return {
        "connections the tarpit held": len(tarpit.held),
        "/healthz in the tarpit": list(healthz),
        "worker sent SIGTERM in the tarpit": stopped,
    }


def run(results_dir):
    """The whole drill; returns its figures (and writes them to results_dir/mail-fault.json)."""
    started = time.monotonic()
    mailbox = Mailbox()
    mail_server = MailServer(mailbox, free_port())
    port = free_port()
    settings = {
        "EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}",
        "EMAIL_RETRY_DELAYS": RETRY_DELAYS,
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SIGNUP_RATE": "10000/h",
        "EMAIL_SENDING_RATE": "10000/h",
    }
    timeline = {}
    with contextlib.ExitStack() as running:
        running.callback(mail_server.stop)  # after the stack's workers have stopped
        stack = running.enter_context(Stack("mail_fault", port=port, **settings))
        # Applicants with a submitted application each, and the reviewer's authenticator app with a
        # key the drill knows: staff reach the admin after a second factor.
        applications = json.loads(stack.manage("make_submitted_applications", str(APPLICATIONS)))
        key = secrets.token_hex(20)
        stack.manage("add_authenticator", REVIEWER, key)
        # What load_demo and the submissions queued: sent in the warm-up, expected like the rest.
        queued_before = [(row["recipient"], row["subject"]) for row in stack.rows(OUTBOX)]
        mail_server.start()
        drill = Drill(stack, applications, workers=[stack.start_worker() for _ in range(2)])
        drill.expected.update(queued_before)
        drill.actions["queued before the drill (demo data, submissions)"] = len(queued_before)
        timeline["warm-up drained (s)"] = drain(stack)
        logged_in = log_in_reviewer(drill.reviewer, key)

        drill.run_phase("baseline", BASELINE)
        mail_server.stop()
        outage = drill.run_phase("outage", OUTAGE)
        time.sleep(OUTAGE_GRACE)
        mail_server.start()
        timeline["mail server stopped (s)"] = round(time.time() - outage[0], 1)
        timeline["outbox drained after restart (s)"] = drain(stack)
        drill.run_phase("baseline", BASELINE)
        mailbox.slow = True
        drill.run_phase("slow", SLOW)
        mailbox.slow = False
        timeline["outbox drained after slow mode (s)"] = drain(stack)
        tarpit = run_tarpit(drill, mail_server)
        timeline["outbox drained after the tarpit (s)"] = drain(stack)

        outbox = stack.rows(OUTBOX)
        stored = {row["id"]: row["status"] for row in stack.rows("SELECT id, status FROM applications_application")}
        sent_by_worker = json.loads(stack.manage("emails_sent_by_worker"))

    timeline["decisions"] = len(drill.decided)
    timeline["run time (s)"] = round(time.monotonic() - started)
    outcome = {
        "latency": latency_rows(drill.recorder.answers),
        "failed requests": [
            f"{answer.phase} {answer.method} {answer.path}: {answer.status}"
            for answer in drill.recorder.answers
            if answer.failed
        ],
        "requests": len(drill.recorder.answers),
        "reviewer logged in": logged_in,
        "applications left": len(drill.applications),
        "decisions not stored": {pk: status for pk, status in drill.decided.items() if stored.get(pk) != status},
        "phases": drill.phases,
        "timeline": timeline,
        "emails": email_figures(drill, mailbox, outbox, outage, sent_by_worker),
        "tarpit": tarpit,
    }
    (results_dir / "mail-fault.json").write_text(json.dumps(outcome, indent=2, ensure_ascii=False, default=str))
    return outcome
