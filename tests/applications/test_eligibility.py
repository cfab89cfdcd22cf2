"""The registration rules at every boundary. Pure: no database."""

import datetime

import pytest
from django.utils import translation

from applications.eligibility import (
    ApplicantFacts,
    add_months,
    all_passed,
    check_eligibility,
    check_employer_letter,
    check_medical_report,
    check_nationality_and_residence,
    completed_years,
    employer_letter_is_recent,
)
from devtools.demo import APPLICANT, PRACTITIONER

D = datetime.date
SAUDI = ApplicantFacts(
    is_saudi=True, id_number=APPLICANT.national_id, date_of_birth=D(1990, 1, 1), has_employer_letter=True
)
RESIDENT = ApplicantFacts(
    is_saudi=False,
    id_number=PRACTITIONER.national_id,
    date_of_birth=D(1990, 1, 1),
    iqama_expiry=D(2027, 1, 1),
    has_iqama_copy=True,
    has_employer_letter=True,
)


@pytest.fixture(autouse=True)
def _english():
    """Explanations are asserted in English; one test below checks the Arabic."""
    with translation.override("en"):
        yield


def letter(on_date, letter_date):
    facts = ApplicantFacts(is_saudi=True, employer_letter_date=letter_date, has_employer_letter=True)
    return check_employer_letter(facts, on_date)


# --- Rule 1: the employer's letter -------------------------------------------------------
def test_letter_exactly_three_months_old_passes():
    assert letter(D(2026, 6, 15), D(2026, 3, 15)).passed


def test_letter_three_months_and_a_day_old_fails():
    assert not letter(D(2026, 6, 16), D(2026, 3, 15)).passed


def test_letter_of_30_november_is_valid_on_28_february():
    assert letter(D(2027, 2, 28), D(2026, 11, 30)).passed


def test_letter_of_30_november_is_not_valid_on_1_march():
    assert not letter(D(2027, 3, 1), D(2026, 11, 30)).passed


def test_letter_of_30_november_is_valid_on_29_february_of_a_leap_year():
    assert letter(D(2028, 2, 29), D(2027, 11, 30)).passed
    assert not letter(D(2028, 3, 1), D(2027, 11, 30)).passed


def test_letter_of_31_august_is_valid_until_30_november():
    assert letter(D(2026, 11, 30), D(2026, 8, 31)).passed
    assert not letter(D(2026, 12, 1), D(2026, 8, 31)).passed


def test_letter_dated_today_passes():
    assert letter(D(2026, 6, 1), D(2026, 6, 1)).passed


def test_future_dated_letter_fails():
    result = letter(D(2026, 6, 1), D(2026, 6, 2))
    assert not result.passed
    assert "future" in result.explanation


def test_missing_letter_fails():
    assert not check_employer_letter(ApplicantFacts(is_saudi=True), D(2026, 6, 1)).passed


def test_letter_date_without_the_document_fails():
    facts = ApplicantFacts(is_saudi=True, employer_letter_date=D(2026, 6, 1), has_employer_letter=False)
    assert not check_employer_letter(facts, D(2026, 6, 1)).passed


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 10, 15), 3) == D(2027, 1, 15)


def test_employer_letter_is_recent_is_inclusive_at_both_ends():
    assert employer_letter_is_recent(D(2026, 1, 1), D(2026, 1, 1))
    assert employer_letter_is_recent(D(2026, 1, 1), D(2026, 4, 1))
    assert not employer_letter_is_recent(D(2026, 1, 1), D(2026, 4, 2))


# --- Rule 2: nationality and residence -----------------------------------------------------
def test_saudi_with_national_id_passes():
    assert check_nationality_and_residence(SAUDI, D(2026, 6, 1)).passed


def test_saudi_with_an_id_starting_with_2_fails():
    facts = ApplicantFacts(is_saudi=True, id_number=PRACTITIONER.national_id)
    assert not check_nationality_and_residence(facts, D(2026, 6, 1)).passed


def test_resident_with_valid_iqama_passes():
    assert check_nationality_and_residence(RESIDENT, D(2026, 6, 1)).passed


def test_iqama_expiring_today_passes():
    assert check_nationality_and_residence(RESIDENT, D(2027, 1, 1)).passed


def test_iqama_expired_yesterday_fails():
    result = check_nationality_and_residence(RESIDENT, D(2027, 1, 2))
    assert not result.passed
    assert "expired" in result.explanation


def test_iqama_number_with_a_bad_check_digit_fails():
    facts = ApplicantFacts(**{**RESIDENT.__dict__, "id_number": "2000000007"})
    assert not check_nationality_and_residence(facts, D(2026, 6, 1)).passed


def test_iqama_number_starting_with_1_fails():
    facts = ApplicantFacts(**{**RESIDENT.__dict__, "id_number": APPLICANT.national_id})
    assert not check_nationality_and_residence(facts, D(2026, 6, 1)).passed


def test_iqama_without_expiry_fails():
    facts = ApplicantFacts(**{**RESIDENT.__dict__, "iqama_expiry": None})
    assert not check_nationality_and_residence(facts, D(2026, 6, 1)).passed


def test_iqama_without_a_copy_fails():
    facts = ApplicantFacts(**{**RESIDENT.__dict__, "has_iqama_copy": False})
    result = check_nationality_and_residence(facts, D(2026, 6, 1))
    assert not result.passed
    assert "copy" in result.explanation


def test_unknown_nationality_fails():
    assert not check_nationality_and_residence(ApplicantFacts(is_saudi=None), D(2026, 6, 1)).passed


# --- Rule 3: the medical report ----------------------------------------------------------
def medical(date_of_birth, on_date, has_report=False, threshold=65):
    facts = ApplicantFacts(is_saudi=True, date_of_birth=date_of_birth, has_medical_report=has_report)
    return check_medical_report(facts, on_date, threshold)


def test_on_the_65th_birthday_no_report_is_needed():
    assert medical(D(1961, 6, 1), D(2026, 6, 1)).passed


def test_the_day_before_the_66th_birthday_no_report_is_needed():
    assert medical(D(1961, 6, 1), D(2027, 5, 31)).passed


def test_on_the_66th_birthday_a_report_is_needed():
    result = medical(D(1961, 6, 1), D(2027, 6, 1))
    assert not result.passed
    assert "66" in result.explanation


def test_on_the_66th_birthday_with_a_report_passes():
    assert medical(D(1961, 6, 1), D(2027, 6, 1), has_report=True).passed


def test_born_on_29_february_turns_a_year_older_on_1_march():
    assert completed_years(D(1960, 2, 29), D(2026, 2, 28)) == 65
    assert completed_years(D(1960, 2, 29), D(2026, 3, 1)) == 66
    assert completed_years(D(1960, 2, 29), D(2028, 2, 29)) == 68


def test_threshold_comes_from_the_caller():
    assert not medical(D(1965, 1, 1), D(2026, 6, 1), threshold=60).passed


def test_missing_date_of_birth_fails():
    assert not check_medical_report(ApplicantFacts(is_saudi=True), D(2026, 6, 1)).passed


def test_future_date_of_birth_fails():
    assert not medical(D(2030, 1, 1), D(2026, 6, 1)).passed


# --- All rules together ------------------------------------------------------------------
def test_all_rules_in_order_with_codes():
    facts = ApplicantFacts(**{**SAUDI.__dict__, "employer_letter_date": D(2026, 5, 1)})
    results = check_eligibility(facts, D(2026, 6, 1))
    assert [result.code for result in results] == ["employer_letter", "residence", "medical_report"]
    assert all_passed(results)


def test_one_failing_rule_makes_the_applicant_ineligible():
    results = check_eligibility(SAUDI, D(2026, 6, 1))
    assert not all_passed(results)
    assert [result.passed for result in results] == [False, True, True]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_explanations_are_in_the_active_language(language):
    with translation.override(language):
        result = letter(D(2026, 6, 1), D(2026, 6, 2))
    is_arabic = any("\u0600" <= character <= "\u06ff" for character in result.explanation)
    assert is_arabic == (language == "ar")
