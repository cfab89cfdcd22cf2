"""Turning an application (saved or being edited) into the facts the eligibility rules read."""

from django.conf import settings
from django.utils import timezone

from .eligibility import ApplicantFacts, check_eligibility
from .models import Nationality


def facts_from_application(application):
    is_saudi = {Nationality.SAUDI: True, Nationality.NON_SAUDI: False}.get(application.nationality)
    id_number = application.applicant.national_id if is_saudi else application.iqama_number
    return ApplicantFacts(
        is_saudi=is_saudi,
        id_number=id_number or "",
        date_of_birth=application.date_of_birth,
        iqama_expiry=application.iqama_expiry,
        employer_letter_date=application.employer_letter_date,
        has_employer_letter=bool(application.employer_letter),
        has_iqama_copy=bool(application.iqama_copy),
        has_medical_report=bool(application.medical_report),
    )


def application_checklist(application, on_date=None):
    """The eligibility checklist of an application, judged on `on_date` (default: today in Riyadh)."""
    on_date = on_date or timezone.localdate()
    return check_eligibility(facts_from_application(application), on_date, settings.MEDICAL_REPORT_AGE)
