"""Turning an application (saved or being edited) into the facts the eligibility rules read."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .cpd import hours_summary
from .eligibility import ApplicantFacts, check_cpd_hours, check_eligibility
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


def application_checklist(application, on_date=None, accepted_hours=None):
    """The eligibility checklist of an application, judged on `on_date` (default: see above).

    A renewal adds the continuing-education hours; a list passes each row's `accepted_hours`
    (annotated in its one query), a single page lets them be counted here.
    """
    on_date = on_date or judgement_date(application)
    results = check_eligibility(facts_from_application(application), on_date, settings.MEDICAL_REPORT_AGE)
    if application.is_renewal:
        if accepted_hours is None:
            profile = application.applicant.practitioner_profile
            accepted_hours = hours_summary(profile, profile.registration, on_date).accepted
        results.append(check_cpd_hours(accepted_hours, Decimal(settings.CPD_HOURS_REQUIRED)))
    return results
