"""The public self-check at /eligibility/: no account, nothing stored, the same checklist."""

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
    }
    return {**data, **overrides}


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
