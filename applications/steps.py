"""The application's question pages and what is still missing before it can be submitted.

Two question pages, then "check your answers": the first asks what decides the others (the
nationality, the date of birth and the profession), the second asks only what applies to this
applicant — the iqama's number, expiry and copy of someone not Saudi, a medical report from
someone older than the age (eligibility.py decides both) — and the specialties of the profession
chosen. Nothing here needs JavaScript: the second page is built from the first page's answers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .eligibility import asks_for_iqama, needs_medical_report
from .facts import application_checklist, facts_from_application, judgement_date


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    url_name: str
    questions: tuple[str, ...]

    def url(self, application, field=None):
        address = reverse(self.url_name, args=[application.reference])
        return f"{address}#id_{field}" if field else address


DETAILS = Step(1, _("Your details"), "applications:application_edit", ("nationality", "date_of_birth", "profession"))
WORK = Step(
    2,
    _("Work and documents"),
    "applications:application_work",
    (
        "specialty",
        "employer",
        "employer_letter_date",
        "employer_letter",
        "iqama_number",
        "iqama_expiry",
        "iqama_copy",
        "medical_report",
    ),
)
STEPS = (DETAILS, WORK)
RESIDENT_QUESTIONS = ("iqama_number", "iqama_expiry", "iqama_copy")
DOCUMENTS = ("employer_letter", "iqama_copy", "medical_report")

# What a question left unanswered says, on its page and on the check page: one message a field.
MISSING_ANSWER = {
    "nationality": _("Choose your nationality."),
    "date_of_birth": _("Enter your date of birth."),
    "profession": _("Choose your profession."),
    "specialty": _("Choose your specialty."),
    "employer": _("Enter the name of your employer."),
    "employer_letter_date": _("Enter the date written on the employer's letter."),
    "employer_letter": _("Upload the employer's letter."),
    "iqama_number": _("Enter your iqama number."),
    "iqama_expiry": _("Enter your iqama's expiry date."),
    "iqama_copy": _("Upload a copy of your iqama."),
    "medical_report": _("Upload a medical report."),
}

# Each eligibility rule: the answers it reads (a missing one already says what to do) and the
# question to change when it fails for another reason.
RULE_ANSWERS = {
    "employer_letter": (("employer_letter_date", "employer_letter"), "employer_letter_date"),
    "residence": (("nationality", *RESIDENT_QUESTIONS), "iqama_expiry"),
    "medical_report": (("date_of_birth", "medical_report"), "medical_report"),
}


def step_of(field):
    return next(step for step in STEPS if field in step.questions)


def asks_for_medical_report(date_of_birth, on_date):
    return needs_medical_report(date_of_birth, on_date, settings.MEDICAL_REPORT_AGE)


def questions_for(application, step, on_date=None):
    """The questions of `step` that apply to this applicant, in the page's order."""
    on_date = on_date or judgement_date(application)
    facts = facts_from_application(application)
    skipped = set()
    if not asks_for_iqama(facts.is_saudi):
        skipped.update(RESIDENT_QUESTIONS)
    if not asks_for_medical_report(application.date_of_birth, on_date):
        skipped.add("medical_report")
    return [name for name in step.questions if name not in skipped]


def is_answered(application, field):
    value = application.serializable_value(field)  # the specialty's id: no query for its row
    return bool(value) if field in DOCUMENTS else value not in (None, "")


def missing_answers(application, on_date=None):
    """The questions that apply and are not answered, every page's in order."""
    return [
        field
        for step in STEPS
        for field in questions_for(application, step, on_date)
        if not is_answered(application, field)
    ]


@dataclass(frozen=True)
class Gap:
    """Something that stops the submission: what to do, and where to do it ("" when nowhere)."""

    message: str
    url: str = ""


def submission_gaps(application, on_date=None):
    """Everything that stops the application being submitted, each said once: the unanswered
    questions, then the conditions that fail for another reason (a letter too old, an expired
    iqama, too few continuing-education hours)."""
    on_date = on_date or judgement_date(application)
    missing = missing_answers(application, on_date)
    gaps = [Gap(MISSING_ANSWER[field], step_of(field).url(application, field)) for field in missing]
    for result in application_checklist(application, on_date):
        if result.passed:
            continue
        if result.code == "cpd_hours":
            gaps.append(Gap(result.explanation, reverse("applications:cpd")))
            continue
        answers, to_change = RULE_ANSWERS[result.code]
        if any(field in missing for field in answers):
            continue
        if result.code == "residence" and facts_from_application(application).is_saudi:
            to_change = "nationality"  # a Saudi whose ID is an iqama number
        gaps.append(Gap(result.explanation, step_of(to_change).url(application, to_change)))
    return gaps
