"""Check your answers, the declaration, the confirmation and withdrawal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.applications import own_application_with_events
from applications.models import Application, ApplicationStatus
from applications.workflow import NotReadyToSubmit, NotWithdrawable, submit_application, withdraw_application
from core.queue import take_next

from ..factories import ApplicationFactory
from .helpers import pdf

pytestmark = pytest.mark.django_db

SUBMIT_BUTTON = '<button type="submit" class="button">تقديم الطلب</button>'


def check_url(application):
    return f"/applications/{application.reference}/check/"


def test_every_answer_has_a_change_link_to_its_question(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    content = alice_client.get(check_url(application)).content.decode()
    edit, work = f"/applications/{application.reference}/edit/", f"/applications/{application.reference}/edit/work/"
    for url, field in [
        (edit, "nationality"),
        (edit, "date_of_birth"),
        (edit, "profession"),
        (work, "specialty"),
        (work, "employer"),
        (work, "employer_letter_date"),
        (work, "employer_letter"),
    ]:
        assert f'href="{url}#id_{field}"' in content, field
    assert "طب الأسرة" in content
    assert "iqama" not in content  # a Saudi is not asked about one


def test_a_complete_application_offers_the_declaration_and_the_submit_button(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    content = alice_client.get(check_url(application)).content.decode()
    assert "أقرّ بأن البيانات والمستندات المرفقة صحيحة" in content
    assert SUBMIT_BUTTON in content
    assert "أكمل النواقص" not in content


def test_an_incomplete_application_has_no_submit_button_but_its_gaps_each_with_a_change_link(alice_client, alice):
    application = ApplicationFactory(applicant=alice, nationality="", specialty=None, employer_letter=None)
    response = alice_client.get(check_url(application))
    content = response.content.decode()
    assert SUBMIT_BUTTON not in content
    assert 'name="declaration"' not in content
    assert "أكمل النواقص" in content
    assert [gap.url.rsplit("/", 1)[-1] for gap in response.context["gaps"]] == [
        "#id_nationality",
        "#id_specialty",
        "#id_employer_letter",
    ]


def test_each_gap_is_said_once(alice_client, alice):
    alice_client.cookies["mumaris_language"] = "en"
    application = ApplicationFactory(applicant=alice, nationality="")
    content = alice_client.get(check_url(application)).content.decode()
    assert "Choose your nationality." in content
    assert "Nationality is missing" not in content
    assert content.count("Choose your nationality.") == 2  # the gap, and its link's words for screen readers


def test_a_condition_that_fails_for_another_reason_links_to_its_question(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter_date=datetime.date(2020, 1, 1))
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.get(check_url(application))
    [gap] = response.context["gaps"]
    assert "more than three months ago" in gap.message
    assert gap.url.endswith("/edit/work/#id_employer_letter_date")


def test_submitting_without_the_declaration_is_refused_on_its_field(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    response = alice_client.post(check_url(application), {})
    application.refresh_from_db()
    assert response.status_code == 200
    assert application.status == ApplicationStatus.DRAFT
    assert [error.code for error in response.context["form"].errors.as_data()["declaration"]] == ["required"]
    assert '<a href="#id_declaration">' in response.content.decode()


def test_submitting_with_the_declaration_records_it_and_shows_the_confirmation(
    alice_client, alice, outbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(check_url(application), {"declaration": "on"})
    application.refresh_from_db()
    assert response["Location"] == f"/applications/{application.reference}/submitted/"
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.declared_at == application.submitted_at
    assert len(outbox) == 1
    assert application.reference in outbox[0].subject


def test_a_post_while_something_is_missing_submits_nothing(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter_date=datetime.date(2020, 1, 1))
    response = alice_client.post(check_url(application), {"declaration": "on"})
    application.refresh_from_db()
    assert response.status_code == 200
    assert application.status == ApplicationStatus.DRAFT
    assert application.declared_at is None
    assert response.context["gaps"]


def test_a_submitted_application_has_no_check_page(alice_client, alice):
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    response = alice_client.get(check_url(application))
    assert response["Location"] == f"/applications/{application.reference}/"


def test_the_workflow_refuses_a_submission_without_the_declaration(alice):
    application = ApplicationFactory(applicant=alice)
    with pytest.raises(NotReadyToSubmit):
        submit_application(application, alice, declared=False)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_a_returned_application_is_corrected_and_submitted_again(alice_client, alice):
    application = ApplicationFactory(
        applicant=alice, status=ApplicationStatus.RETURNED, employer_letter_date=datetime.date(2020, 1, 1)
    )
    alice_client.post(
        f"/applications/{application.reference}/edit/work/",
        {
            "specialty": application.specialty_id,
            "employer": application.employer,
            "employer_letter_date": timezone.localdate().isoformat(),
            "employer_letter": pdf(),
            "action": "continue",
        },
    )
    alice_client.post(check_url(application), {"declaration": "on"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def submitted(applicant):
    return submit_application(ApplicationFactory(applicant=applicant), applicant, declared=True)


def test_the_confirmation_shows_the_reference_the_expected_date_and_the_email(alice_client, alice):
    application = submitted(alice)
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.get(f"/applications/{application.reference}/submitted/")
    content = response.content.decode()
    assert application.reference in content
    assert "What happens next" in content
    assert "We aim to decide by" in content
    assert response.context["standing"].due is not None
    assert alice.email in content
    assert "Withdraw the application" in content


def test_the_application_and_its_history_are_read_together(alice, bob):
    application = submitted(alice)
    withdraw_application(application, alice)
    specialty = application.specialty
    with CaptureQueriesContext(connection) as captured:
        found, events = own_application_with_events(alice, application.reference)
        # Newest first, each linked to the one application, its applicant and specialty read.
        assert [event.to_status for event in events] == ["withdrawn", "submitted"]
        assert all(event.application is found for event in events)
        assert (found.pk, found.applicant, found.specialty) == (application.pk, alice, specialty)
    assert len(captured) == 1
    assert own_application_with_events(bob, application.reference) == (None, [])


def test_an_application_without_history_is_read_on_its_own(alice):
    application = ApplicationFactory(applicant=alice)
    with CaptureQueriesContext(connection) as captured:
        found, events = own_application_with_events(alice, application.reference)
    assert (found.pk, events, len(captured)) == (application.pk, [], 2)


def test_someone_elses_confirmation_is_not_found(client, alice, bob):
    application = submitted(alice)
    client.force_login(bob)
    assert client.get(f"/applications/{application.reference}/submitted/").status_code == 404


def test_a_draft_has_no_confirmation(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    response = alice_client.get(f"/applications/{application.reference}/submitted/")
    assert response["Location"] == f"/applications/{application.reference}/"


def test_withdrawal_asks_for_confirmation_then_withdraws(alice_client, alice):
    application = submitted(alice)
    url = f"/applications/{application.reference}/withdraw/"
    page = alice_client.get(url)
    assert page.status_code == 200
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    response = alice_client.post(url)
    application.refresh_from_db()
    assert response["Location"] == f"/applications/{application.reference}/"
    assert application.status == ApplicationStatus.WITHDRAWN
    event = application.events.first()
    assert (event.from_status, event.to_status, event.actor) == ("submitted", "withdrawn", alice)
    assert "سحبتَ الطلب" in alice_client.get(response["Location"]).content.decode()


def test_a_withdrawn_application_no_longer_blocks_a_new_one(alice_client, alice):
    withdraw_application(submitted(alice), alice)
    response = alice_client.post(
        "/applications/new/", {"nationality": "saudi", "date_of_birth": "1990-01-15", "action": "save"}
    )
    assert response.status_code == 302
    assert Application.objects.filter(applicant=alice).count() == 2


def test_an_application_a_reviewer_has_taken_cannot_be_withdrawn(alice_client, alice, rana):
    from applications.queue import APPLICATIONS

    application = submitted(alice)
    assert take_next(APPLICATIONS, rana, timezone.localdate()) == application
    response = alice_client.post(f"/applications/{application.reference}/withdraw/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert response["Location"] == f"/applications/{application.reference}/"
    assert alice_client.get(f"/applications/{application.reference}/withdraw/").status_code == 302
    with pytest.raises(NotWithdrawable):
        withdraw_application(application, alice)


def test_a_draft_or_a_decided_application_cannot_be_withdrawn(alice):
    for status in (ApplicationStatus.DRAFT, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED):
        application = ApplicationFactory(applicant=alice, status=status)
        with pytest.raises(NotWithdrawable):
            withdraw_application(application, alice)
        Application.objects.filter(pk=application.pk).delete()


def test_nobody_else_can_withdraw_it(client, alice, bob):
    application = submitted(alice)
    client.force_login(bob)
    assert client.post(f"/applications/{application.reference}/withdraw/").status_code == 404
    with pytest.raises(Application.DoesNotExist):
        withdraw_application(application, bob)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
