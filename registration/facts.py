"""Turning an application (saved or being edited) into the facts the eligibility rules read."""

from django.conf import settings
from django.utils import timezone

from .eligibility import ApplicantFacts, check_eligibility
from .models import Nationality


def facts_from_application(application):
    # The account's ID is the person's national ID or iqama number; what they tick as
    # nationality must agree with it (a Saudi's ID starts with 1, an iqama with 2).
    is_saudi = {Nationality.SAUDI: True, Nationality.NON_SAUDI: False}.get(application.nationality)
    return ApplicantFacts(
        is_saudi=is_saudi,
        id_number=application.applicant.national_id,
        date_of_birth=application.date_of_birth,
        iqama_expiry=application.iqama_expiry,
        employer_letter_date=application.employer_letter_date,
        has_employer_letter=bool(application.employer_letter),
        has_iqama_copy=bool(application.iqama_copy),
        has_medical_report=bool(application.medical_report),
    )


def judgement_date(application):
    """Conditions hold "on the day the application is submitted": that day once submitted
    (and not sent back for correction), else today in Riyadh."""
    if application.submitted_at and not application.is_editable:
        return timezone.localdate(application.submitted_at)
    return timezone.localdate()


def application_checklist(application, on_date=None):
    """The eligibility checklist of an application, judged on `on_date` (default: see above)."""
    on_date = on_date or judgement_date(application)
    return check_eligibility(facts_from_application(application), on_date, settings.MEDICAL_REPORT_AGE)
