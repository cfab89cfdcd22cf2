"""Status changes: allowed paths only, one event each, membership number on approval."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from applications.models import ApplicationStatus
from applications.workflow import (
    IllegalTransition,
    NotReadyToSubmit,
    approve_application,
    reject_application,
    return_application,
    start_review,
    submit_application,
)
from core.decisions import ReasonRequired
from devtools.demo import APPLICANT
from profiles.membership import parse_membership_number
from registry.validity import renewal_opens_on

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_review(alice, rana):
    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice, declared=True)
    return start_review(application, rana)


def test_each_change_records_from_to_who_and_reason(alice, rana, under_review):
    returned = return_application(under_review, rana, "The letter is unreadable")
    events = list(returned.events.order_by("created_at", "id"))
    assert [(event.from_status, event.to_status) for event in events] == [
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "returned"),
    ]
    assert [event.actor for event in events] == [alice, rana, rana]
    assert events[-1].reason == "The letter is unreadable"
    assert returned.decision_reason == "The letter is unreadable"


def test_approval_issues_a_membership_number_and_a_profile(alice, rana, under_review):
    approved = approve_application(under_review, rana)
    assert approved.status == ApplicationStatus.APPROVED
    profile = alice.practitioner_profile
    assert re.fullmatch(r"\d{10}", profile.membership_number)
    assert re.fullmatch(r"\d{2}-\d{4}-\d{4}", profile.display_membership_number)
    assert parse_membership_number(profile.display_membership_number) == profile.membership_number
    assert profile.profession == approved.profession
    assert profile.email == alice.email


def test_membership_numbers_are_unique(rana, bob, alice):
    numbers = set()
    for applicant in (alice, bob):
        application = ApplicationFactory(applicant=applicant)
        submit_application(application, applicant, declared=True)
        approve_application(start_review(application, rana), rana)
        numbers.add(applicant.practitioner_profile.membership_number)
    assert len(numbers) == 2


@pytest.mark.parametrize(
    ("status", "change"),
    [
        (ApplicationStatus.DRAFT, approve_application),
        (ApplicationStatus.DRAFT, start_review),
        (ApplicationStatus.SUBMITTED, approve_application),
        (ApplicationStatus.APPROVED, lambda app, user: reject_application(app, user, "x")),
        (ApplicationStatus.REJECTED, lambda app, user: return_application(app, user, "x")),
        (ApplicationStatus.SUBMITTED, lambda app, user: submit_application(app, user, declared=True)),
    ],
)
def test_illegal_changes_raise_and_change_nothing(alice, rana, status, change):
    application = ApplicationFactory(applicant=alice, status=status)
    with pytest.raises(IllegalTransition):
        change(application, rana)
    application.refresh_from_db()
    assert application.status == status
    assert not application.events.exists()


@pytest.mark.parametrize("decide", [return_application, reject_application])
@pytest.mark.parametrize("reason", ["", "   "])
def test_return_and_reject_need_a_reason(rana, under_review, decide, reason):
    with pytest.raises(ReasonRequired):
        decide(under_review, rana, reason)
    under_review.refresh_from_db()
    assert under_review.status == ApplicationStatus.UNDER_REVIEW


def test_submission_lists_every_problem(alice):
    application = ApplicationFactory(applicant=alice, specialty=None, employer_letter=None)
    with pytest.raises(NotReadyToSubmit) as caught:
        submit_application(application, alice, declared=True)
    assert len(caught.value.problems) == 2


def test_every_decision_emails_the_applicant_in_her_language(
    alice, rana, under_review, outbox, django_capture_on_commit_callbacks
):
    alice.preferred_language = "en"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        approve_application(under_review, rana)
    assert outbox[-1].to == [alice.email]
    assert "Approved" in outbox[-1].subject
    assert alice.practitioner_profile.display_membership_number in outbox[-1].body


def test_the_approval_email_says_what_the_practitioner_now_has(
    alice, rana, under_review, outbox, django_capture_on_commit_callbacks
):
    alice.preferred_language = "en"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        approve_application(under_review, rana)
    registration = alice.practitioner_profile.registration
    text, html = outbox[-1].body, outbox[-1].alternatives[0][0]
    for body in (text, html):
        assert alice.practitioner_profile.display_membership_number in body
        assert "/services/certificate/" in body
        assert registration.valid_until.strftime("%-d %B %Y") in body
        assert renewal_opens_on(registration.valid_until).strftime("%-d %B %Y") in body
        assert f"Continuing-education hours to record before renewal: {settings.CPD_HOURS_REQUIRED}" in body


def test_the_applicant_withdraws_only_what_a_reviewer_has_not_opened(alice, rana):
    from applications.workflow import ALLOWED_TRANSITIONS, can_withdraw

    assert ApplicationStatus.WITHDRAWN in ALLOWED_TRANSITIONS[ApplicationStatus.SUBMITTED]
    assert not any(
        ApplicationStatus.WITHDRAWN in ALLOWED_TRANSITIONS[status]
        for status in ALLOWED_TRANSITIONS
        if status != ApplicationStatus.SUBMITTED
    )
    waiting = ApplicationFactory.build(applicant=alice, status=ApplicationStatus.SUBMITTED)
    assert can_withdraw(waiting)
    waiting.assigned_to = rana
    assert not can_withdraw(waiting)


def test_arabic_email_for_an_arabic_applicant(alice, rana, under_review, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reject_application(under_review, rana, "مستندات ناقصة")
    assert "مرفوض" in outbox[-1].subject
    assert "مستندات ناقصة" in outbox[-1].body


def test_demo_data_loads_twice_without_error(capsys):
    call_command("load_demo")
    call_command("load_demo")
    output = capsys.readouterr().out
    assert APPLICANT.national_id in output
    assert "Mumaris-Demo-2026" in output


def test_approving_someone_already_registered_is_refused(pat, rana):
    from applications.workflow import AlreadyRegistered

    application = ApplicationFactory(applicant=pat, status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(AlreadyRegistered):
        approve_application(application, rana)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
