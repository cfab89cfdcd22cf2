"""The applicant's pages: draft, documents, checklist, submit, طلباتي."""

import datetime
import re

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from devtools.demo import PRACTITIONER

from ..factories import ApplicationFactory
from .helpers import image, pdf, text_named_pdf

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "nationality": "saudi",
        "date_of_birth": "1990-01-15",
        "profession": "physician",
        "specialty": "طب الأسرة",
        "employer": "مستشفى الملك فيصل",
        "employer_letter_date": (today - datetime.timedelta(days=3)).isoformat(),
        "action": "save",
    }
    return {**data, **overrides}


def test_new_application_needs_log_in(client):
    response = client.get("/applications/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_first_save_creates_a_draft_with_a_reference(alice_client, alice):
    response = alice_client.post("/applications/new/", form_data(employer_letter=pdf()))
    application = Application.objects.get(applicant=alice)
    assert response.status_code == 302
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference == f"REG-{timezone.localdate().year}-{application.pk:06d}"
    assert application.employer_letter.name.startswith("documents/")
    assert "letter" not in application.employer_letter.name  # stored under a random name
    assert application.events.get().to_status == ApplicationStatus.DRAFT


def test_partial_draft_can_be_saved(alice_client, alice):
    alice_client.post("/applications/new/", {"nationality": "saudi", "action": "save"})
    assert Application.objects.get(applicant=alice).specialty == ""


def test_one_open_application_per_user(alice_client, alice):
    existing = ApplicationFactory(applicant=alice)
    response = alice_client.get("/applications/new/")
    assert response["Location"] == f"/applications/{existing.reference}/edit/"


def test_continue_goes_to_the_checklist(alice_client, alice):
    response = alice_client.post("/applications/new/", form_data(employer_letter=pdf(), action="continue"))
    application = Application.objects.get(applicant=alice)
    assert response["Location"] == f"/applications/{application.reference}/"
    page = alice_client.get(response["Location"])
    assert [result.passed for result in page.context["checklist"]] == [True, True, True]


def test_submit_an_eligible_application(alice_client, alice, outbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory(applicant=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/applications/{application.reference}/submit/")
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert len(outbox) == 1
    assert application.reference in outbox[0].subject


def test_submission_is_refused_while_a_rule_fails(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter_date=datetime.date(2020, 1, 1))
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.post(f"/applications/{application.reference}/submit/", follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert any("three months" in str(message) for message in response.context["messages"])


def test_submission_is_refused_while_information_is_missing(alice_client, alice):
    application = ApplicationFactory(applicant=alice, specialty="")
    alice_client.post(f"/applications/{application.reference}/submit/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submitted_application_cannot_be_edited(alice_client, alice):
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    response = alice_client.post(f"/applications/{application.reference}/edit/", form_data(specialty="x"))
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.specialty != "x"


def test_returned_application_can_be_corrected_and_resubmitted(alice_client, alice):
    application = ApplicationFactory(
        applicant=alice, status=ApplicationStatus.RETURNED, employer_letter_date=datetime.date(2020, 1, 1)
    )
    alice_client.post(
        f"/applications/{application.reference}/edit/",
        form_data(employer_letter_date=timezone.localdate().isoformat(), employer_letter=pdf()),
    )
    alice_client.post(f"/applications/{application.reference}/submit/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_text_file_named_pdf_is_refused(alice_client, alice):
    response = alice_client.post("/applications/new/", form_data(employer_letter=text_named_pdf()))
    assert response.status_code == 200
    assert response.context["form"].errors["employer_letter"]
    assert not Application.objects.exists()


def test_jpeg_is_accepted_by_content_whatever_its_name(alice_client, alice):
    alice_client.post("/applications/new/", form_data(employer_letter=image(name="letter.pdf")))
    assert Application.objects.get(applicant=alice).employer_letter.name.endswith(".jpg")


def test_failed_validation_keeps_documents_already_on_the_draft(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    stored = application.employer_letter.name
    response = alice_client.post(f"/applications/{application.reference}/edit/", form_data(date_of_birth="not a date"))
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.employer_letter.name == stored


def stored_files(settings):
    root = settings.MEDIA_ROOT / "documents"
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def test_failed_validation_keeps_nothing_from_the_form(alice_client, alice, settings):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    response = alice_client.post(
        f"/applications/{application.reference}/edit/",
        form_data(date_of_birth="not a date", employer_letter=pdf()),
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert not application.employer_letter
    assert application.date_of_birth == datetime.date(1990, 1, 15)
    assert stored_files(settings) == []


def test_a_replaced_document_is_deleted_after_the_commit(
    alice_client, alice, settings, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    url = f"/applications/{application.reference}/edit/"
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(url, form_data(employer_letter=pdf()))
    application.refresh_from_db()
    assert stored_files(settings) == [application.employer_letter.name.removeprefix("documents/")]


def test_bad_iqama_number_is_an_error_on_its_field(alice_client, alice):
    response = alice_client.post("/applications/new/", form_data(nationality="non_saudi", iqama_number="2000000007"))
    assert "iqama_number" in response.context["form"].errors


def test_my_requests_lists_the_applications_with_status(alice_client, alice, bob):
    mine = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    theirs = ApplicationFactory(applicant=bob)
    content = alice_client.get("/requests/").content.decode()
    assert mine.reference in content
    assert theirs.reference not in content


def test_timeline_shows_each_change_with_reason(alice_client, alice, rana):
    from applications.workflow import return_application, start_review, submit_application

    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice)
    start_review(application, rana)
    return_application(application, rana, "Upload a clearer letter")
    content = alice_client.get(f"/applications/{application.reference}/").content.decode()
    assert "Upload a clearer letter" in content
    assert content.count("<li>") >= 4
    assert "قدّمتَ الطلب" in content
    assert "مُعاد لاستكمال النواقص" in content
    assert "بواسطتك" not in content


def test_a_save_from_a_stale_page_cannot_undo_a_submission(alice):
    from applications.applications import NotEditable, save_draft
    from applications.forms import ApplicationForm

    application = ApplicationFactory(applicant=alice)
    form = ApplicationForm(form_data(specialty="from an old tab"), instance=application)
    assert form.is_valid()
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(NotEditable):
        save_draft(alice, form.draft_data(), application)
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == ApplicationStatus.SUBMITTED
    assert stored.specialty != "from an old tab"


def test_a_second_first_save_cannot_open_a_second_application(alice_client, alice):
    from applications.applications import CannotApply, save_draft
    from applications.forms import ApplicationForm

    ApplicationFactory(applicant=alice)
    form = ApplicationForm(form_data(), instance=Application(applicant=alice))
    assert form.is_valid()
    with pytest.raises(CannotApply):
        save_draft(alice, form.draft_data())
    assert Application.objects.filter(applicant=alice).count() == 1


def test_a_practitioner_cannot_start_an_application(client, pat):
    client.force_login(pat)
    response = client.get("/applications/new/")
    assert response["Location"] == "/requests/"


def test_the_iqama_number_must_be_the_accounts_own(client):
    from ..factories import ResidentFactory

    resident = ResidentFactory()
    client.force_login(resident)
    page = client.get("/applications/new/")
    assert f'value="{resident.national_id}"' in page.content.decode()
    response = client.post(
        "/applications/new/", form_data(nationality="non_saudi", iqama_number=PRACTITIONER.national_id)
    )
    assert [error.code for error in response.context["form"].errors.as_data()["iqama_number"]] == ["not_yours"]


def test_a_saudi_id_cannot_pass_as_a_resident(alice):
    from applications.facts import application_checklist

    application = ApplicationFactory(
        applicant=alice, nationality="non_saudi", iqama_number="", iqama_expiry=datetime.date(2030, 1, 1)
    )
    residence = application_checklist(application)[1]
    assert not residence.passed


def test_conditions_are_judged_on_the_day_of_submission(alice):
    from applications.facts import application_checklist

    submitted_on = timezone.now() - datetime.timedelta(days=120)
    application = ApplicationFactory(
        applicant=alice,
        status=ApplicationStatus.UNDER_REVIEW,
        submitted_at=submitted_on,
        employer_letter_date=timezone.localdate(submitted_on) - datetime.timedelta(days=5),
    )
    assert application_checklist(application)[0].passed
    application.status = ApplicationStatus.RETURNED  # corrected and resubmitted: judged anew
    assert not application_checklist(application)[0].passed


def test_application_form_marks_what_submission_needs_and_asks_for_a_profession(alice_client):
    content = alice_client.get("/applications/new/").content.decode()
    assert "اختياري" not in content, "every field is needed to submit, so none is marked optional"
    assert "جميع الحقول مطلوبة لتقديم الطلب" in content
    assert '<option value="" selected>اختر مهنتك</option>' in content
    assert "---------" not in content
    for name in ("date_of_birth", "profession", "specialty", "employer", "employer_letter_date", "employer_letter"):
        assert re.search(rf'<(input|select)[^>]*name="{name}"[^>]*aria-required="true"', content), name
    assert "مطلوب لغير السعوديين" in content  # the conditional ones say when


def test_required_marks_do_not_stop_a_partial_draft(alice_client, alice):
    response = alice_client.post("/applications/new/", {"specialty": "طب الأسرة", "action": "save"})
    assert response.status_code == 302
    assert Application.objects.get(applicant=alice).specialty == "طب الأسرة"
