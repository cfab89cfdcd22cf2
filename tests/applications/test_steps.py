"""Which questions an applicant is asked and what stops a submission (applications/steps.py),
and the rules they rest on: no database, unsaved rows."""

import datetime

import pytest

from accounts.models import User
from applications.eligibility import asks_for_iqama, needs_medical_report
from applications.models import Application, Nationality
from applications.steps import DETAILS, WORK, missing_answers, questions_for, submission_gaps

TODAY = datetime.date(2026, 6, 15)


def application(**answers):
    return Application(
        applicant=User(national_id=answers.pop("national_id", "1000000008")),
        reference="REG-2026-000001",
        **answers,
    )


def test_only_someone_who_said_they_are_not_saudi_is_asked_about_an_iqama():
    assert asks_for_iqama(False)
    assert not asks_for_iqama(True)
    assert not asks_for_iqama(None)  # not answered yet: not asked yet


@pytest.mark.parametrize(
    ("born", "needed"),
    [
        (datetime.date(1961, 6, 15), False),  # 65 today: not older than 65
        (datetime.date(1960, 6, 16), False),  # 65 and 364 days
        (datetime.date(1960, 6, 15), True),  # 66 today
        (None, False),
        (datetime.date(2027, 1, 1), False),  # a date in the future decides nothing
    ],
)
def test_a_medical_report_is_needed_only_past_the_age(born, needed):
    assert needs_medical_report(born, TODAY, 65) is needed


def test_the_first_page_asks_the_same_of_everyone():
    assert questions_for(application(), DETAILS, TODAY) == ["nationality", "date_of_birth", "profession"]


def test_a_saudi_under_the_age_is_asked_neither_the_iqama_nor_the_report():
    asked = questions_for(
        application(nationality=Nationality.SAUDI, date_of_birth=datetime.date(1990, 1, 1)), WORK, TODAY
    )
    assert asked == ["specialty", "employer", "employer_letter_date", "employer_letter"]


def test_a_resident_past_the_age_is_asked_both():
    resident = application(nationality=Nationality.NON_SAUDI, date_of_birth=datetime.date(1950, 1, 1))
    assert questions_for(resident, WORK, TODAY)[-4:] == ["iqama_number", "iqama_expiry", "iqama_copy", "medical_report"]


def test_missing_answers_are_those_asked_and_empty_in_page_order():
    draft = application(nationality=Nationality.NON_SAUDI, employer="مستشفى")
    assert missing_answers(draft, TODAY) == [
        "date_of_birth",
        "profession",
        "specialty",
        "employer_letter_date",
        "employer_letter",
        "iqama_number",
        "iqama_expiry",
        "iqama_copy",
    ]


def test_a_gap_is_said_once_even_when_a_condition_reads_the_same_answer(settings):
    settings.MEDICAL_REPORT_AGE = 65
    gaps = submission_gaps(application(), TODAY)
    messages = [str(gap.message) for gap in gaps]
    assert len(messages) == len(set(messages))
    # The nationality's missing answer, not the residence rule's "choose your nationality" as well.
    assert [gap.url.rsplit("#", 1)[-1] for gap in gaps] == [
        "id_nationality",
        "id_date_of_birth",
        "id_profession",
        "id_specialty",
        "id_employer",
        "id_employer_letter_date",
        "id_employer_letter",
    ]


def test_a_saudi_whose_id_is_an_iqama_number_is_sent_to_the_nationality():
    resident_id = application(
        national_id="2000000006",
        nationality=Nationality.SAUDI,
        date_of_birth=datetime.date(1990, 1, 1),
        profession="nurse",
        specialty_id=1,
        employer="مستشفى",
        employer_letter_date=TODAY,
        employer_letter="documents/x.pdf",
    )
    [gap] = submission_gaps(resident_id, TODAY)
    assert gap.url.endswith("/edit/#id_nationality")
