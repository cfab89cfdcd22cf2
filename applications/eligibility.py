"""The registration conditions, as pure functions: an applicant's facts and a date in, results out.

No database and no request: the public self-check, the application form and the reviewer's
page all call `check_eligibility` and show the same checklist. Explanations are in the
active language.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.national_id import CITIZEN_PREFIX, RESIDENT_PREFIX, luhn_is_valid
from core.dates import add_months

LETTER_VALIDITY_MONTHS = 3
DEFAULT_MEDICAL_REPORT_AGE = 65


@dataclass(frozen=True)
class ApplicantFacts:
    is_saudi: bool | None
    id_number: str = ""
    date_of_birth: datetime.date | None = None
    iqama_expiry: datetime.date | None = None
    employer_letter_date: datetime.date | None = None
    has_employer_letter: bool = False
    has_iqama_copy: bool = False
    has_medical_report: bool = False


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    passed: bool
    explanation: str


def employer_letter_is_recent(letter_date, on_date):
    """A letter is valid from its date until the same day three calendar months later."""
    return letter_date <= on_date <= add_months(letter_date, LETTER_VALIDITY_MONTHS)


def completed_years(date_of_birth, on_date):
    """Age in completed years (someone born on 29 February has a birthday on 1 March in other years)."""
    years = on_date.year - date_of_birth.year
    if (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def asks_for_iqama(is_saudi):
    """The iqama's number, expiry and copy are asked of an applicant who said they are not Saudi."""
    return is_saudi is False


def needs_medical_report(date_of_birth, on_date, medical_report_age=DEFAULT_MEDICAL_REPORT_AGE):
    """An applicant older than `medical_report_age` (in completed years on `on_date`) submits a
    medical report; 65 years and some days is not older than 65."""
    if date_of_birth is None or date_of_birth > on_date:
        return False
    return completed_years(date_of_birth, on_date) > medical_report_age


def _readable(day):
    return date_format(day, "j F Y")


def employer_letter_date_problem(letter_date, on_date):
    """Why a letter of this date does not qualify on `on_date`, or None when it does."""
    if letter_date > on_date:
        return _("The letter's date is in the future. Check the date on the letter.")
    if not employer_letter_is_recent(letter_date, on_date):
        return _("The letter is dated %(date)s, more than three months ago. Ask your employer for a new letter.") % {
            "date": _readable(letter_date)
        }
    return None


def iqama_expiry_problem(iqama_expiry, on_date):
    """Why an iqama expiring on this day does not qualify on `on_date`, or None when it does."""
    if iqama_expiry < on_date:
        return _("The iqama expired on %(date)s. Renew it before applying.") % {"date": _readable(iqama_expiry)}
    return None


def check_employer_letter(facts, on_date):
    title = _("Letter of introduction from the employer, no older than three months")
    if not facts.has_employer_letter or facts.employer_letter_date is None:
        return RuleResult("employer_letter", title, False, _("Upload the letter and give its date."))
    letter_date = facts.employer_letter_date
    problem = employer_letter_date_problem(letter_date, on_date)
    if problem:
        return RuleResult("employer_letter", title, False, problem)
    return RuleResult(
        "employer_letter",
        title,
        True,
        _("The letter is dated %(date)s and is valid until %(until)s.")
        % {"date": _readable(letter_date), "until": _readable(add_months(letter_date, LETTER_VALIDITY_MONTHS))},
    )


def check_nationality_and_residence(facts, on_date):  # noqa: PLR0911  (one return per outcome)
    title = _("Saudi nationality, or a valid residence permit (iqama)")
    code = "residence"
    if facts.is_saudi is None:
        return RuleResult(code, title, False, _("Choose your nationality."))
    if facts.is_saudi:
        if facts.id_number.startswith(CITIZEN_PREFIX):
            return RuleResult(code, title, True, _("Saudi applicant with a national ID."))
        return RuleResult(code, title, False, _("A Saudi applicant's national ID starts with 1."))
    number = facts.id_number
    if not (len(number) == 10 and number.isdigit() and number.startswith(RESIDENT_PREFIX) and luhn_is_valid(number)):
        return RuleResult(code, title, False, _("Give a valid iqama number: 10 digits starting with 2."))
    if facts.iqama_expiry is None:
        return RuleResult(code, title, False, _("Give the iqama's expiry date."))
    if problem := iqama_expiry_problem(facts.iqama_expiry, on_date):
        return RuleResult(code, title, False, problem)
    if not facts.has_iqama_copy:
        return RuleResult(code, title, False, _("Upload a copy of the iqama."))
    return RuleResult(
        code, title, True, _("The iqama is valid until %(date)s.") % {"date": _readable(facts.iqama_expiry)}
    )


def check_medical_report(facts, on_date, medical_report_age=DEFAULT_MEDICAL_REPORT_AGE):
    title = _("A medical report for applicants older than %(age)s") % {"age": medical_report_age}
    code = "medical_report"
    if facts.date_of_birth is None:
        return RuleResult(code, title, False, _("Give your date of birth."))
    if facts.date_of_birth > on_date:
        return RuleResult(code, title, False, _("The date of birth is in the future. Check it."))
    age = completed_years(facts.date_of_birth, on_date)
    if not needs_medical_report(facts.date_of_birth, on_date, medical_report_age):
        return RuleResult(code, title, True, _("Not required at your age (%(age)s).") % {"age": age})
    if not facts.has_medical_report:
        return RuleResult(code, title, False, _("You are %(age)s years old: upload a medical report.") % {"age": age})
    return RuleResult(
        code, title, True, _("You are %(age)s years old and a medical report is attached.") % {"age": age}
    )


def check_eligibility(facts, on_date, medical_report_age=DEFAULT_MEDICAL_REPORT_AGE):
    """Every rule's result for `facts` on `on_date`, in the order the conditions are listed."""
    return [
        check_employer_letter(facts, on_date),
        check_nationality_and_residence(facts, on_date),
        check_medical_report(facts, on_date, medical_report_age),
    ]


def format_hours(hours):
    """12.0 → "12", 12.5 → "12.5"."""
    return f"{hours:.1f}".removesuffix(".0")


def check_cpd_hours(accepted, required):
    """Renewal: enough accepted continuing-education hours in the registration's period."""
    title = _("Continuing-education hours needed in the registration's period: %(required)s") % {
        "required": format_hours(required)
    }
    values = {"accepted": format_hours(accepted), "required": format_hours(required)}
    if accepted >= required:
        return RuleResult("cpd_hours", title, True, _("Hours accepted: %(accepted)s of %(required)s.") % values)
    values["missing"] = format_hours(required - accepted)
    return RuleResult(
        "cpd_hours",
        title,
        False,
        _(
            "Hours accepted: %(accepted)s of %(required)s; still needed: %(missing)s. Record your activities;"
            " they count once a reviewer accepts them."
        )
        % values,
    )


def all_passed(results):
    return all(result.passed for result in results)
