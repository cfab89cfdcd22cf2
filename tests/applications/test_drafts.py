"""Drafts untouched for 180 days: a warning 15 days before (once), then the draft, its events
and its documents' files are deleted (once), however many servers run the job."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.applications import save_draft
from applications.drafts import clear_stale_drafts
from applications.models import Application, ApplicationEvent
from applications.workflow import submit_application
from core.hijri import calendar_parts
from core.models import OutboundEmail
from core.periodic import enqueue_due_jobs

from ..factories import ApplicationFactory
from .helpers import image

pytestmark = pytest.mark.django_db


def untouched_for(application, days):
    """As if the draft had last been changed `days` days ago."""
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))
    application.refresh_from_db()
    return application


def warnings():
    return list(OutboundEmail.objects.filter(key__startswith="draft-warning:"))


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def draft(alice):
    application = ApplicationFactory(applicant=alice, iqama_copy=image())
    ApplicationEvent.objects.create(application=application, from_status="", to_status="draft", actor=alice)
    return untouched_for(application, 165)


def test_the_warning_then_the_deletion_once_each_with_two_servers_every_day(draft, django_capture_on_commit_callbacks):
    files = [draft.employer_letter, draft.iqama_copy]
    storage = draft.employer_letter.storage
    assert all(storage.exists(document.name) for document in files)
    happened = []
    for offset in range(20):
        for _server in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                warned, deleted = clear_stale_drafts(in_days(offset))
            happened += [("warned", offset)] * warned + [("deleted", offset)] * deleted
    assert happened == [("warned", 0), ("deleted", 15)]
    assert len(warnings()) == 1
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=draft.pk).exists()
    assert not any(storage.exists(document.name) for document in files), "the files are gone too"


def test_a_draft_is_left_alone_before_its_warning_day(alice):
    young = untouched_for(ApplicationFactory(applicant=alice), 164)
    assert clear_stale_drafts(timezone.localdate()) == (0, 0)
    assert Application.objects.filter(pk=young.pk).exists()


def test_a_draft_found_late_still_gets_fifteen_days_notice(draft):
    untouched_for(draft, 200)
    assert clear_stale_drafts(timezone.localdate()) == (1, 0)
    assert clear_stale_drafts(in_days(14)) == (0, 0)
    assert clear_stale_drafts(in_days(15)) == (0, 1)


def test_a_draft_changed_after_its_warning_is_kept_and_starts_afresh(draft, alice):
    clear_stale_drafts(timezone.localdate())
    save_draft(alice, {"employer": "مستشفى الملك خالد"}, draft)
    assert clear_stale_drafts(in_days(15)) == (0, 0)
    assert Application.objects.filter(pk=draft.pk).exists()
    # 165 days after that change, a new warning.
    assert clear_stale_drafts(in_days(165)) == (1, 0)
    assert len(warnings()) == 2


def test_a_submitted_application_is_never_deleted(draft, alice):
    clear_stale_drafts(timezone.localdate())
    submit_application(draft, alice, declared=True)
    untouched_for(draft, 400)
    assert clear_stale_drafts(in_days(15)) == (0, 0)
    assert Application.objects.filter(pk=draft.pk).exists()


def test_the_warning_gives_the_deletion_day_in_both_calendars(draft, alice):
    alice.preferred_language = "en"
    alice.save()
    clear_stale_drafts(timezone.localdate())
    (email,) = warnings()
    gregorian, hijri = calendar_parts(in_days(15), "en")
    assert email.to_address == alice.email
    assert draft.reference in email.subject
    assert f"on {in_days(15):%A} {gregorian} ({hijri})" in email.text_body
    assert f"/applications/{draft.reference}/" in email.html_body


def test_the_daily_job_runs_once_on_two_servers_and_the_command_adds_nothing(draft, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first_server = enqueue_due_jobs(now)
        second_server = enqueue_due_jobs(now)
    assert "stale_drafts" in first_server
    assert "stale_drafts" not in second_server
    call_command("delete_stale_drafts")
    assert len(warnings()) == 1
