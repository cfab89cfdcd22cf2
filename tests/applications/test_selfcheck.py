"""The public self-check at /eligibility/: no account, nothing stored, the same checklist; the
nationality and the date of birth first, then only the questions they make apply."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Application
from devtools.demo import APPLICANT, PRACTITIONER

pytestmark = pytest.mark.django_db


def answers(**overrides):
    today = timezone.localdate()
    data = {
        "nationality": "saudi",
        "date_of_birth": "1990-01-01",
        "employer_letter_date": (today - datetime.timedelta(days=10)).isoformat(),
        "stage": "questions",
    }
    return {**data, **overrides}


def years_ago(years, days=0):
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=days)).isoformat()


def test_page_lists_the_conditions(client):
    response = client.get("/eligibility/")
    assert response.status_code == 200
    assert response.context["results"] is None


def test_eligible_saudi_gets_three_ticks(client):
    response = client.post("/eligibility/", answers())
    assert response.status_code == 200
    assert [result.passed for result in response.context["results"]] == [True, True, True]
    assert response.context["eligible"]
    content = response.content.decode()
    assert "✓" in content
    assert "تستوفي شروط التسجيل" in content
    assert "لا يلزمك تقرير طبي (العمر:" in content
    assert "تحقَّق من الأهلية" in content
    assert not Application.objects.exists()


def test_old_letter_gets_a_cross_with_explanation(client):
    response = client.post("/eligibility/", answers(employer_letter_date="2020-01-01"))
    results = response.context["results"]
    assert not results[0].passed
    assert not response.context["eligible"]
    assert results[0].explanation in response.content.decode()


def test_resident_with_expired_iqama_fails_rule_two(client):
    data = answers(
        nationality="non_saudi", iqama_number=PRACTITIONER.national_id, iqama_expiry="2020-01-01", has_iqama_copy="on"
    )
    assert not client.post("/eligibility/", data).context["results"][1].passed


def test_resident_iqama_in_arabic_indic_digits(client):
    expiry = (timezone.localdate() + datetime.timedelta(days=100)).isoformat()
    data = answers(nationality="non_saudi", iqama_number="٢٠٠٠٠٠٠٠٠٦", iqama_expiry=expiry, has_iqama_copy="on")
    assert client.post("/eligibility/", data).context["eligible"]


def test_an_iqama_number_in_other_scripts_digits_is_refused(client):
    expiry = (timezone.localdate() + datetime.timedelta(days=100)).isoformat()
    # Mathematical double-struck zeros and six: str.isdigit() and int() take them for 0 and 6.
    typed = "2" + "\U0001d7d8" * 8 + "\U0001d7de"
    data = answers(nationality="non_saudi", iqama_number=typed, iqama_expiry=expiry, has_iqama_copy="on")
    form = client.post("/eligibility/", data).context["form"]
    assert form.has_error("iqama_number", code="other_digits")


def test_invalid_answers_show_errors_and_no_checklist(client):
    response = client.post("/eligibility/", {"nationality": "martian", "date_of_birth": "not a date"})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert set(response.context["form"].errors) >= {"nationality", "date_of_birth"}


def test_invalid_iqama_number_is_an_error(client):
    response = client.post("/eligibility/", answers(nationality="non_saudi", iqama_number=APPLICANT.national_id))
    assert "iqama_number" in response.context["form"].errors


def test_the_first_page_asks_the_nationality_and_the_date_of_birth_only(client):
    form = client.get("/eligibility/").context["form"]
    assert list(form.fields) == ["nationality", "date_of_birth"]


def test_an_empty_first_page_says_what_to_answer_once_each(client):
    client.cookies["mumaris_language"] = "en"
    response = client.post("/eligibility/", {})
    assert [error.code for error in response.context["form"].errors.as_data()["nationality"]] == ["required"]
    content = response.content.decode()
    assert content.count("Choose your nationality.") == 2  # the summary's link and the field's message
    assert content.count("Enter your date of birth.") == 2


def test_a_saudi_under_the_age_is_asked_neither_the_iqama_nor_the_medical_report(client):
    response = client.post("/eligibility/", {"nationality": "saudi", "date_of_birth": "1990-01-01"})
    form = response.context["form"]
    assert [field.name for field in form.visible_fields()] == ["employer_letter_date"]
    assert response.context["results"] is None
    content = response.content.decode()
    assert 'name="iqama_number"' not in content
    assert 'name="has_medical_report"' not in content
    assert '<input type="hidden" name="nationality" value="saudi"' in content


def test_a_resident_is_asked_about_the_iqama(client):
    form = client.post("/eligibility/", {"nationality": "non_saudi", "date_of_birth": "1990-01-01"}).context["form"]
    assert {"iqama_number", "iqama_expiry", "has_iqama_copy"} <= set(form.fields)


def test_only_someone_older_than_the_age_is_asked_for_a_medical_report(client, settings):
    age = settings.MEDICAL_REPORT_AGE
    older = client.post("/eligibility/", {"nationality": "saudi", "date_of_birth": years_ago(age + 1)})
    exactly = client.post("/eligibility/", {"nationality": "saudi", "date_of_birth": years_ago(age, days=1)})
    assert "has_medical_report" in older.context["form"].fields
    assert "has_medical_report" not in exactly.context["form"].fields


def test_a_person_older_than_the_age_without_a_report_fails_rule_three(client, settings):
    data = answers(date_of_birth=years_ago(settings.MEDICAL_REPORT_AGE + 2))
    assert not client.post("/eligibility/", data).context["results"][2].passed
    data["has_medical_report"] = "on"
    assert client.post("/eligibility/", data).context["eligible"]


def test_tampered_basics_on_the_second_page_go_back_to_the_first(client):
    response = client.post("/eligibility/", answers(nationality="martian"))
    assert response.context["basics"] is None
    assert "nationality" in response.context["form"].errors
