"""The integrity checks find what a crash could leave behind, and nothing in whole data."""

import pytest
from django.core.management import CommandError, call_command

from applications.models import Application, ApplicationEvent
from applications.workflow import approve_application, start_review, submit_application
from portal.integrity import integrity_problems
from profiles.models import PractitionerProfile

from ..factories import ApplicationFactory, DataUpdateRequestFactory

pytestmark = pytest.mark.django_db


def test_whole_data_has_no_problems(alice, rana):
    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice, declared=True)
    approve_application(start_review(application, rana), rana)
    call_command("load_demo")
    assert integrity_problems() == []
    call_command("check_integrity")


def test_an_event_without_its_status_change_is_found(alice):
    application = ApplicationFactory(applicant=alice)
    ApplicationEvent.objects.create(application=application, from_status="draft", to_status="submitted", actor=alice)
    assert any("last event submitted" in problem for problem in integrity_problems())
    with pytest.raises(CommandError):
        call_command("check_integrity")


def test_an_approval_without_a_profile_is_found(alice):
    ApplicationFactory(applicant=alice, status="approved", submitted_at="2026-01-01T00:00:00Z")
    assert any("approved without a numbered profile" in problem for problem in integrity_problems())


def test_an_unnumbered_profile_and_request_are_found(pat):
    PractitionerProfile.objects.filter(user=pat).update(membership_number=None)
    DataUpdateRequestFactory(profile=pat.practitioner_profile, number=None)
    problems = integrity_problems()
    assert any("has no membership number" in problem for problem in problems)
    assert any("has no number" in problem for problem in problems)


def test_an_application_without_reference_is_found(alice):
    ApplicationFactory(applicant=alice, reference=None)
    assert any("has no reference" in problem for problem in integrity_problems())
    assert Application.objects.count() == 1
