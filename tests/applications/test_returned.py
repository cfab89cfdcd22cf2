"""A request returned for correction: 30 days to answer, reminders at 15 and 25 days, then
"closed: no answer" — each once, however many servers run the job and however often."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from applications.applications import can_apply, save_draft
from applications.models import Application, ApplicationKind, ApplicationStatus
from applications.renewal import renewal_state
from applications.returned import enforce_answer_deadlines
from applications.workflow import (
    ALLOWED_TRANSITIONS,
    AnswerNotLate,
    close_unanswered_application,
    decisions_for,
    return_application,
    start_review,
    submit_application,
)
from core.hijri import calendar_parts
from core.models import OutboundEmail
from core.periodic import enqueue_due_jobs
from portal.integrity import integrity_problems

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def returned_by(applicant, reviewer, kind=ApplicationKind.REGISTRATION):
    application = ApplicationFactory(applicant=applicant, kind=kind)
    submit_application(application, applicant, declared=True)
    return return_application(start_review(application, reviewer), reviewer, "The letter is unreadable")


def returned_days_ago(application, days):
    """Move the return back `days` days, as if it had happened then."""
    Application.objects.filter(pk=application.pk).update(
        decided_at=application.decided_at - datetime.timedelta(days=days)
    )
    application.refresh_from_db()
    return application


def returned_on(application):
    return timezone.localdate(application.decided_at)


def reminders():
    return list(OutboundEmail.objects.filter(key__startswith="answer-reminder:").order_by("id"))


def closure_emails():
    return [email for email in OutboundEmail.objects.order_by("id") if ":closed:" in email.key]


@pytest.fixture
def returned(alice, rana):
    return returned_by(alice, rana)


def test_the_return_closes_only_into_closed_and_no_reviewer_can_close(returned):
    assert ALLOWED_TRANSITIONS[ApplicationStatus.RETURNED] == {ApplicationStatus.SUBMITTED, ApplicationStatus.CLOSED}
    assert decisions_for(returned) == []


def test_each_reminder_and_the_closure_once_when_two_servers_run_the_job_every_day(returned):
    start = returned_on(returned)
    happened = []
    for offset in range(40):
        today = start + datetime.timedelta(days=offset)
        for _server in range(2):
            closed, reminded = enforce_answer_deadlines(today)
            happened += [("reminder", offset)] * reminded + [("closed", offset)] * closed
    assert happened == [("reminder", 15), ("reminder", 25), ("closed", 31)]
    assert [email.key.rsplit(":", 1)[1] for email in reminders()] == ["15", "25"]
    assert len(closure_emails()) == 1
    returned.refresh_from_db()
    assert returned.status == ApplicationStatus.CLOSED
    last = returned.events.first()
    assert (last.from_status, last.to_status, last.actor) == ("returned", "closed", None)


def test_after_a_pause_only_the_latest_reminder_goes_and_a_late_one_is_closed_without_one(alice, bob, rana):
    paused = returned_by(alice, rana)
    late = returned_by(bob, rana)
    today = returned_on(paused) + datetime.timedelta(days=27)
    returned_days_ago(late, 4)  # returned 31 days before `today`
    assert enforce_answer_deadlines(today) == (1, 1)
    assert reminders()[0].key.endswith(f"{paused.pk}:{paused.decided_at.isoformat()}:25")
    assert enforce_answer_deadlines(today + datetime.timedelta(days=1)) == (0, 0)


def test_a_corrected_application_is_neither_reminded_nor_closed(returned, alice):
    submit_application(returned, alice, declared=True)
    later = returned_on(returned) + datetime.timedelta(days=31)
    assert enforce_answer_deadlines(later) == (0, 0)
    with pytest.raises(AnswerNotLate):
        close_unanswered_application(returned, later)


def test_a_second_return_has_its_own_deadline_and_reminders(returned, alice, rana):
    first_return = returned_on(returned)
    enforce_answer_deadlines(first_return + datetime.timedelta(days=15))
    submit_application(returned, alice, declared=True)
    again = return_application(start_review(returned, rana), rana, "Still unreadable")
    again = returned_days_ago(again, 1)
    assert again.answer_deadline == returned_on(again) + datetime.timedelta(days=30)
    assert enforce_answer_deadlines(returned_on(again) + datetime.timedelta(days=15)) == (0, 1)
    assert len(reminders()) == 2
    with pytest.raises(AnswerNotLate):
        close_unanswered_application(again, returned_on(again) + datetime.timedelta(days=30))


def test_the_daily_job_runs_once_on_two_servers_and_the_command_adds_nothing(
    returned, django_capture_on_commit_callbacks
):
    returned_days_ago(returned, 15)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first_server = enqueue_due_jobs(now)
        second_server = enqueue_due_jobs(now)
    assert "returned_deadlines" in first_server
    assert "returned_deadlines" not in second_server
    call_command("close_unanswered_applications")
    assert len(reminders()) == 1


def test_the_reminder_gives_the_deadline_in_both_calendars_and_the_reason(returned, alice):
    alice.preferred_language = "en"
    alice.save()
    enforce_answer_deadlines(returned_on(returned) + datetime.timedelta(days=25))
    (email,) = reminders()
    gregorian, hijri = calendar_parts(returned.answer_deadline, "en")
    assert email.subject == f"Mumaris: 5 days left to correct application {returned.reference}"
    assert f"by {returned.answer_deadline:%A} {gregorian} ({hijri})" in email.text_body
    assert "The letter is unreadable" in email.text_body
    assert f"/applications/{returned.reference}/" in email.html_body


def test_the_closure_email_says_how_to_start_again(returned, alice):
    enforce_answer_deadlines(returned_on(returned) + datetime.timedelta(days=31))
    (email,) = closure_emails()
    assert email.to_address == alice.email
    assert "/applications/new/" in email.text_body
    assert "/applications/new/" in email.html_body
    assert returned.reference in email.subject


def test_a_closed_application_lets_the_person_start_a_new_one(returned, alice, alice_client):
    assert not can_apply(alice)
    enforce_answer_deadlines(returned_on(returned) + datetime.timedelta(days=31))
    assert can_apply(alice)
    assert alice_client.get("/applications/new/").status_code == 200
    page = alice_client.get("/requests/").content.decode()
    assert 'href="/applications/new/"' in page
    new = save_draft(alice, {"employer": "مستشفى الملك خالد"})
    assert new.status == ApplicationStatus.DRAFT
    assert new.pk != returned.pk


def test_the_database_still_allows_one_open_application_only(returned, alice):
    with pytest.raises(IntegrityError):
        Application.objects.create(applicant=alice, reference="REG-2026-999999")


def test_a_closed_renewal_no_longer_stands_in_the_way_of_renewing(pat):
    renewal = ApplicationFactory(
        applicant=pat,
        kind=ApplicationKind.RENEWAL,
        status=ApplicationStatus.RETURNED,
        submitted_at=timezone.now() - datetime.timedelta(days=40),
        decided_at=timezone.now() - datetime.timedelta(days=31),
    )
    assert renewal_state(pat).refusal == "open_application"
    assert enforce_answer_deadlines(timezone.localdate()) == (1, 0)
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.CLOSED
    assert renewal_state(pat).open_application is None
    (email,) = closure_emails()
    assert "/services/renewal/" in email.text_body


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_deadline_is_shown_in_both_calendars_on_the_application_page_and_my_requests(
    returned, alice_client, language
):
    alice_client.cookies["mumaris_language"] = language
    gregorian, hijri = calendar_parts(returned.answer_deadline, language)
    sentence = "Correct it and submit it again by" if language == "en" else "في موعد أقصاه"
    for path in (returned.get_absolute_url(), "/requests/"):
        page = alice_client.get(path).content.decode()
        assert f'<time datetime="{returned.answer_deadline.isoformat()}">{gregorian}</time>' in page, path
        assert hijri in page, path
        assert sentence in page, path


def test_a_closed_application_page_says_so_and_how_to_start_again(returned, alice_client):
    enforce_answer_deadlines(returned_on(returned) + datetime.timedelta(days=31))
    alice_client.cookies["mumaris_language"] = "en"
    page = alice_client.get(returned.get_absolute_url()).content.decode()
    assert "Closed: no answer" in page
    assert "automatically, as no answer came in time" in page
    assert 'href="/applications/new/"' in page
    assert "submit it again by" not in page


def test_the_integrity_check_passes_with_closed_applications(returned):
    enforce_answer_deadlines(returned_on(returned) + datetime.timedelta(days=31))
    assert integrity_problems() == []


def test_the_returns_own_email_gives_the_deadline(returned):
    email = OutboundEmail.objects.filter(key__contains=":returned:").get()
    gregorian, _hijri = calendar_parts(returned.answer_deadline, "ar")
    assert gregorian in email.text_body
    assert "في موعد أقصاه" in email.text_body
