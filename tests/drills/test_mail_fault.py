"""The mail server stopped for 30 s, then slow, then silent (a tarpit), under sign-ups, resends
and a reviewer's decisions, with two task workers: pages unaffected, every email exactly once.

The experiment runs once for the module (tests/drills/mail_drill.py, about four minutes); each
test below is one thing it must show. The figures are printed (pytest -s) and written to
bench-results/mail-fault.json.
"""

import collections

import pytest

from bench.loadstack import RESULTS_DIR
from bench.measure import print_table

from . import mail_drill
from .mail_drill import EMAIL_TIMEOUT, LATENCY_FACTOR, LATENCY_SLACK, OUTAGE, OUTAGE_GRACE, SLOW_SECONDS, STOP_GRACE
from .mail_drill import TARPIT as TARPIT_SECONDS

pytestmark = pytest.mark.drill


@pytest.fixture(scope="module")
def drill(postgresql):
    outcome = mail_drill.run(RESULTS_DIR)
    print(
        f"\nMail server stopped for {OUTAGE} s of traffic (+{OUTAGE_GRACE} s), then {SLOW_SECONDS} s per message, "
        f"then silent for {TARPIT_SECONDS} s (EMAIL_TIMEOUT={EMAIL_TIMEOUT}). "
        f"Normal speed: p95 ≤ {LATENCY_FACTOR} × baseline p95 + {LATENCY_SLACK * 1000:.0f} ms, "
        f"and every request under {SLOW_SECONDS} s in slow mode."
    )
    print_table(outcome["latency"])
    emails = {key: value for key, value in outcome["emails"].items() if key not in {"rows received", "rows sent"}}
    tarpit = {
        **outcome["tarpit"],
        "/healthz in the tarpit": collections.Counter(outcome["tarpit"]["/healthz in the tarpit"]),
    }
    for name, value in {**outcome["phases"], **outcome["timeline"], **emails, **tarpit}.items():
        print(f"{name}: {value}")
    return outcome


def test_reviewer_logs_in_with_password_and_code(drill):
    assert drill["reviewer logged in"], "the reviewer (password, then the authenticator's code) did not reach the admin"


def test_no_request_fails_in_any_phase(drill):
    assert not drill["failed requests"], (
        f"5xx, tracebacks or no answer (of {drill['requests']}): {drill['failed requests']}"
    )


def test_every_action_is_redirected_at_normal_speed_in_every_phase(drill):
    """Each kind's p95 in the outage, slow and tarpit phases at most 2 × its baseline p95 + 0.25 s,
    no request in the slow or tarpit phase taking 5 s, only redirects, and no 5xx."""
    failed = [row for row in drill["latency"] if row["result"] != "PASS"]
    assert not failed, f"actions not answered with their redirect at normal speed: {failed}"


def test_reviewer_had_applications_throughout_and_every_decision_is_stored(drill):
    assert drill["applications left"] > 0, "the reviewer ran out of applications: raise APPLICATIONS"
    assert not drill["decisions not stored"], f"decisions answered but not stored: {drill['decisions not stored']}"


def test_outbox_drains_after_each_fault(drill):
    never = [name for name, seconds in drill["timeline"].items() if seconds is None]
    assert not never, f"emails still pending {mail_drill.DRAIN_LIMIT} s after: {never}"


def test_tarpit_holds_both_workers(drill):
    stuck = drill["tarpit"]["worker sent SIGTERM in the tarpit"].get("workers stuck on the tarpit", 0)
    assert stuck >= 2, f"the tarpit held {stuck} workers' connections, not both"


def test_healthz_answers_200_throughout_the_tarpit(drill):
    statuses = drill["tarpit"]["/healthz in the tarpit"]
    assert statuses, "/healthz was not asked during the tarpit"
    assert set(statuses) == {200}, f"/healthz in the tarpit: {collections.Counter(statuses)}"


def test_sigterm_stops_a_worker_stuck_on_the_tarpit_in_time(drill):
    stopped = drill["tarpit"]["worker sent SIGTERM in the tarpit"]
    assert stopped.get("exit status") == 0, (
        f"the worker sent SIGTERM did not exit 0 within EMAIL_TIMEOUT + {STOP_GRACE} s "
        f"({EMAIL_TIMEOUT + STOP_GRACE} s): {stopped}"
    )


def test_every_expected_email_arrives_exactly_once(drill):
    emails = drill["emails"]
    assert not emails["missing"], f"expected and never received (recipient, subject): {emails['missing']}"
    assert not emails["extra"], f"received and not expected, or received twice: {emails['extra']}"


def test_no_outbox_row_is_received_twice(drill):
    emails = drill["emails"]
    assert not emails["rows received twice"], f"outbox rows received twice: {emails['rows received twice']}"
    assert emails["messages without an outbox row id"] == 0, "messages whose Message-ID names no outbox row"


def test_the_rows_received_are_the_rows_sent(drill):
    emails = drill["emails"]
    assert emails["rows received"] == emails["rows sent"], "the outbox rows marked sent differ from those received"


def test_every_outbox_row_is_sent(drill):
    assert set(drill["emails"]["outbox"]) == {"sent"}, f"outbox rows by status: {drill['emails']['outbox']}"


def test_emails_queued_during_the_outage_are_sent_after_retries(drill):
    emails = drill["emails"]
    assert emails["queued during the outage"] > 0, "no email was queued during the outage"
    assert min(emails["their attempts"]) > 1, (
        f"emails queued in the outage sent at the first attempt (attempts: count): {emails['their attempts']}"
    )


def test_slow_mode_reaches_the_mail_server(drill):
    assert drill["emails"]["accepted in slow mode"] > 0, "no message was accepted while the mail server was slow"


def test_at_least_two_workers_send_emails(drill):
    senders = drill["emails"]["sent by each worker"]
    assert len(senders) >= 2, f"emails sent by each worker: {senders}"
