"""The applicant's pages: the two question pages, documents, drafts, طلباتي.

Check your answers, the confirmation and withdrawal: test_check_answers.py."""

import datetime
import re

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from devtools.demo import PRACTITIONER

from ..factories import ApplicationFactory, SpecialtyFactory
from .helpers import image, pdf, text_named_pdf

pytestmark = pytest.mark.django_db


def details_data(**overrides):
    """Step 1's answers."""
    return {
        "nationality": "saudi",
        "date_of_birth": "1990-01-15",
        "profession": "physician",
        "action": "save",
        **overrides,
    }


def work_data(**overrides):
    """Step 2's answers, for a physician."""
    today = timezone.localdate()
    data = {
        "specialty": SpecialtyFactory().pk,
        "employer": "مستشفى الملك فيصل",
        "employer_letter_date": (today - datetime.timedelta(days=3)).isoformat(),
        "action": "save",
    }
    return {**data, **overrides}


def work_url(application):
    return f"/applications/{application.reference}/edit/work/"


def test_new_application_needs_log_in(client):
    response = client.get("/applications/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_first_save_creates_a_draft_with_a_reference(alice_client, alice):
    response = alice_client.post("/applications/new/", details_data())
    application = Application.objects.get(applicant=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.reference}/edit/"
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference == f"REG-{timezone.localdate().year}-{application.pk:06d}"
    assert application.events.get().to_status == ApplicationStatus.DRAFT


def test_the_first_page_asks_only_what_decides_the_others(alice_client):
    form = alice_client.get("/applications/new/").context["form"]
    assert list(form.fields) == ["nationality", "date_of_birth", "profession"]


def test_an_empty_first_page_is_not_continued(alice_client, alice):
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.post("/applications/new/", {"action": "continue"})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert {name: [error.code for error in field_errors] for name, field_errors in errors.items()} == {
        "nationality": ["missing"],
        "date_of_birth": ["missing"],
        "profession": ["missing"],
    }
    content = response.content.decode()
    assert content.count("Choose your nationality.") == 2  # once in the summary, once at its field
    assert '<a href="#id_nationality_0">Choose your nationality.</a>' in content
    assert '<a href="#id_date_of_birth">Enter your date of birth.</a>' in content
    assert not Application.objects.exists()


def test_an_empty_first_page_can_be_saved_as_a_draft(alice_client, alice):
    alice_client.post("/applications/new/", {"nationality": "saudi", "action": "save"})
    assert Application.objects.get(applicant=alice).date_of_birth is None


def test_continuing_the_first_page_leads_to_the_second(alice_client, alice):
    response = alice_client.post("/applications/new/", details_data(action="continue"))
    application = Application.objects.get(applicant=alice)
    assert response["Location"] == work_url(application)


def test_a_saudi_under_the_age_is_asked_no_iqama_and_no_medical_report(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    form = alice_client.get(work_url(application)).context["form"]
    assert list(form.fields) == ["specialty", "employer", "employer_letter_date", "employer_letter"]
    content = alice_client.get(work_url(application)).content.decode()
    assert 'name="iqama_number"' not in content
    assert 'name="medical_report"' not in content


def test_a_resident_is_asked_for_the_iqama(client):
    from ..factories import ResidentFactory

    resident = ResidentFactory()
    client.force_login(resident)
    application = ApplicationFactory(applicant=resident, nationality="non_saudi")
    page = client.get(work_url(application))
    assert {"iqama_number", "iqama_expiry", "iqama_copy"} <= set(page.context["form"].fields)
    assert "medical_report" not in page.context["form"].fields
    assert f'value="{resident.national_id}"' in page.content.decode()


def test_someone_older_than_the_age_is_asked_for_a_medical_report(alice_client, alice, settings):
    born = timezone.localdate().replace(year=timezone.localdate().year - settings.MEDICAL_REPORT_AGE - 1)
    application = ApplicationFactory(applicant=alice, date_of_birth=born - datetime.timedelta(days=1))
    assert "medical_report" in alice_client.get(work_url(application)).context["form"].fields


def test_someone_of_exactly_the_age_is_not_asked_for_a_medical_report(alice_client, alice, settings):
    today = timezone.localdate()
    born = today.replace(year=today.year - settings.MEDICAL_REPORT_AGE) - datetime.timedelta(days=1)
    application = ApplicationFactory(applicant=alice, date_of_birth=born)
    assert "medical_report" not in alice_client.get(work_url(application)).context["form"].fields


def test_an_empty_second_page_is_not_continued(alice_client, alice):
    application = ApplicationFactory(applicant=alice, specialty=None, employer="", employer_letter=None)
    response = alice_client.post(work_url(application), {"action": "continue", "employer_letter_date": ""})
    errors = response.context["form"].errors.as_data()
    assert sorted(errors) == ["employer", "employer_letter", "employer_letter_date", "specialty"]
    assert all(error.code == "missing" for field_errors in errors.values() for error in field_errors)


def test_continuing_the_second_page_leads_to_check_your_answers(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    response = alice_client.post(work_url(application), work_data(action="continue"))
    assert response["Location"] == f"/applications/{application.reference}/check/"


def test_a_document_already_uploaded_answers_its_question(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    response = alice_client.post(work_url(application), work_data(action="continue"))
    assert response.status_code == 302


def test_a_letter_older_than_three_months_is_an_error_on_its_date(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    alice_client.cookies["mumaris_language"] = "en"
    response = alice_client.post(work_url(application), work_data(employer_letter_date="2020-01-01", action="continue"))
    assert [error.code for error in response.context["form"].errors.as_data()["employer_letter_date"]] == [
        "letter_date"
    ]
    assert "more than three months ago" in response.content.decode()


def test_an_old_letter_can_still_be_kept_in_a_draft(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    response = alice_client.post(work_url(application), work_data(employer_letter_date="2020-01-01"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.employer_letter_date == datetime.date(2020, 1, 1)


def test_an_expired_iqama_is_an_error_on_its_expiry(client):
    from ..factories import ResidentFactory

    resident = ResidentFactory()
    client.force_login(resident)
    application = ApplicationFactory(applicant=resident, nationality="non_saudi")
    response = client.post(
        work_url(application),
        work_data(iqama_number=resident.national_id, iqama_expiry="2020-01-01", iqama_copy=pdf(), action="continue"),
    )
    assert [error.code for error in response.context["form"].errors.as_data()["iqama_expiry"]] == ["iqama_expired"]


def test_the_specialties_offered_are_those_of_the_profession(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    retired = SpecialtyFactory(name_ar="تخصص قديم", name_en="Old", is_offered=False)
    nursing = SpecialtyFactory(profession="nurse", name_ar="تمريض عام")
    choices = alice_client.get(work_url(application)).context["form"].fields["specialty"].queryset
    assert application.specialty in choices
    assert nursing not in choices
    assert retired not in choices
    response = alice_client.post(work_url(application), work_data(specialty=nursing.pk))
    assert "specialty" in response.context["form"].errors


def test_the_specialty_is_named_in_the_pages_language(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    alice_client.cookies["mumaris_language"] = "en"
    assert ">Family medicine</option>" in alice_client.get(work_url(application)).content.decode()
    alice_client.cookies["mumaris_language"] = "ar"
    assert ">طب الأسرة</option>" in alice_client.get(work_url(application)).content.decode()


def test_changing_the_profession_clears_a_specialty_of_the_old_one(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    alice_client.post(f"/applications/{application.reference}/edit/", details_data(profession="nurse"))
    application.refresh_from_db()
    assert application.specialty is None


def test_becoming_saudi_clears_the_iqama_answers(alice_client, alice):
    application = ApplicationFactory(
        applicant=alice, nationality="non_saudi", iqama_number="2000000006", iqama_expiry=datetime.date(2030, 1, 1)
    )
    alice_client.post(f"/applications/{application.reference}/edit/", details_data(nationality="saudi"))
    application.refresh_from_db()
    assert (application.iqama_number, application.iqama_expiry) == ("", None)


def test_one_open_application_per_user(alice_client, alice):
    existing = ApplicationFactory(applicant=alice)
    response = alice_client.get("/applications/new/")
    assert response["Location"] == f"/applications/{existing.reference}/edit/"


def test_submitted_application_cannot_be_edited(alice_client, alice):
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    response = alice_client.post(work_url(application), work_data(employer="x"))
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.employer != "x"


def test_a_stored_document_is_named_by_its_content(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    alice_client.post(work_url(application), work_data(employer_letter=pdf()))
    application.refresh_from_db()
    assert application.employer_letter.name.startswith("documents/")
    assert "letter" not in application.employer_letter.name  # stored under a random name


def test_text_file_named_pdf_is_refused(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    response = alice_client.post(work_url(application), work_data(employer_letter=text_named_pdf()))
    assert response.status_code == 200
    assert response.context["form"].errors["employer_letter"]
    application.refresh_from_db()
    assert not application.employer_letter


def test_jpeg_is_accepted_by_content_whatever_its_name(alice_client, alice):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    alice_client.post(work_url(application), work_data(employer_letter=image(name="letter.pdf")))
    application.refresh_from_db()
    assert application.employer_letter.name.endswith(".jpg")


def test_failed_validation_keeps_documents_already_on_the_draft(alice_client, alice):
    application = ApplicationFactory(applicant=alice)
    stored = application.employer_letter.name
    response = alice_client.post(work_url(application), work_data(employer_letter_date="not a date"))
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.employer_letter.name == stored


def stored_files(settings):
    root = settings.MEDIA_ROOT / "documents"
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def test_failed_validation_keeps_nothing_from_the_form(alice_client, alice, settings):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    response = alice_client.post(
        work_url(application), work_data(employer_letter_date="not a date", employer_letter=pdf(), employer="new")
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert not application.employer_letter
    assert application.employer == "مستشفى الملك فيصل"
    assert stored_files(settings) == []


def test_a_replaced_document_is_deleted_after_the_commit(
    alice_client, alice, settings, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=alice, employer_letter=None)
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.post(work_url(application), work_data(employer_letter=pdf()))
    application.refresh_from_db()
    assert stored_files(settings) == [application.employer_letter.name.removeprefix("documents/")]


def test_bad_iqama_number_is_an_error_on_its_field(client):
    from ..factories import ResidentFactory

    resident = ResidentFactory()
    client.force_login(resident)
    application = ApplicationFactory(applicant=resident, nationality="non_saudi")
    response = client.post(work_url(application), work_data(iqama_number="2000000007"))
    assert "iqama_number" in response.context["form"].errors


def test_the_iqama_number_must_be_the_accounts_own(client):
    from ..factories import ResidentFactory

    resident = ResidentFactory()
    client.force_login(resident)
    application = ApplicationFactory(applicant=resident, nationality="non_saudi")
    response = client.post(work_url(application), work_data(iqama_number=PRACTITIONER.national_id))
    assert [error.code for error in response.context["form"].errors.as_data()["iqama_number"]] == ["not_yours"]


def test_my_requests_lists_the_applications_with_status(alice_client, alice, bob):
    mine = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    theirs = ApplicationFactory(applicant=bob)
    content = alice_client.get("/requests/").content.decode()
    assert mine.reference in content
    assert theirs.reference not in content


def test_timeline_shows_each_change_with_reason(alice_client, alice, rana):
    from applications.workflow import return_application, start_review, submit_application

    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice, declared=True)
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
    from applications.forms import WorkStepForm

    application = ApplicationFactory(applicant=alice)
    form = WorkStepForm(work_data(employer="from an old tab"), instance=application)
    assert form.is_valid()
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    with pytest.raises(NotEditable):
        save_draft(alice, form.draft_data(), application)
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == ApplicationStatus.SUBMITTED
    assert stored.employer != "from an old tab"


def test_a_second_first_save_cannot_open_a_second_application(alice_client, alice):
    from applications.applications import CannotApply, save_draft
    from applications.forms import DetailsStepForm

    ApplicationFactory(applicant=alice)
    form = DetailsStepForm(details_data(), instance=Application(applicant=alice))
    assert form.is_valid()
    with pytest.raises(CannotApply):
        save_draft(alice, form.draft_data())
    assert Application.objects.filter(applicant=alice).count() == 1


def test_a_practitioner_cannot_start_an_application(client, pat):
    client.force_login(pat)
    response = client.get("/applications/new/")
    assert response["Location"] == "/requests/"


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


def test_the_questions_are_marked_as_needed_and_a_profession_is_chosen_from_a_list(alice_client, alice):
    content = alice_client.get("/applications/new/").content.decode()
    assert "اختياري" not in content, "every question asked is needed to submit, so none is marked optional"
    assert '<option value="" selected>اختر مهنتك</option>' in content
    assert "---------" not in content
    for name in ("date_of_birth", "profession"):
        assert re.search(rf'<(input|select)[^>]*name="{name}"[^>]*aria-required="true"', content), name
    application = ApplicationFactory(applicant=alice)
    content = alice_client.get(work_url(application)).content.decode()
    for name in ("specialty", "employer", "employer_letter_date", "employer_letter"):
        assert re.search(rf'<(input|select)[^>]*name="{name}"[^>]*aria-required="true"', content), name
