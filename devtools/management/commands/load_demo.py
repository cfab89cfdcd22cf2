"""Demo data for `make run`: an applicant, a submitted application, a practitioner, a reviewer, a
practitioner whose registration is due for renewal, a supervisor with twelve weeks of past
decisions (devtools/history.py), counted at once for the dashboard and the expected dates, and an
approved hospital watching both practitioners.

Idempotent: people who already exist are left as they are. Prints the log-ins.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from applications.applications import save_draft
from applications.cpd import accept_activity, record_activity
from applications.models import Nationality
from applications.workflow import approve_application, start_review, submit_application
from core.dates import add_months
from core.service_levels import count_queues
from devtools.demo import DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_PEOPLE
from devtools.demo_documents import attendance_certificate, employer_letter, iqama_copy, shared_employer_letter
from devtools.history import demo_staff_member, load_history
from employers.models import Organisation
from employers.watchlist import add_numbers
from employers.workflow import approve_organisation, sign_up_organisation
from portal.dashboard import count_waiting_figures, count_weekly_figures
from portal.service_levels import count_published_figures
from profiles.models import Profession, Specialty
from registry.models import Registration

# The renewing practitioner's registration ends this many days from today: renewal is open.
RENEWING_DAYS_LEFT = 25


def verified_user(national_id, email, full_name_ar, full_name_en):
    return get_user_model().objects.create_verified_user(
        national_id=national_id,
        email=email,
        password=DEMO_PASSWORD,
        full_name_ar=full_name_ar,
        full_name_en=full_name_en,
        terms_version=settings.TERMS_VERSION,
        terms_accepted_at=timezone.now(),
    )


def demo_specialty(profession, name_ar, name_en):
    """An entry of the starting list (profiles migration 0003), made again if it was deleted."""
    return Specialty.objects.get_or_create(profession=profession, name_ar=name_ar, defaults={"name_en": name_en})[0]


def complete_application(user, *, shared_letter=False, **facts):
    """A draft with every answer and real documents (a PDF letter; an iqama scan if not Saudi).

    `shared_letter`: the letter many applicants share (devtools.demo_documents), not one of their own.
    """
    data = {
        "date_of_birth": datetime.date(1985, 5, 14),
        "profession": Profession.NURSE,
        "specialty": demo_specialty(Profession.NURSE, "تمريض عام", "General nursing"),
        "employer": "مستشفى الملك فهد",
        "employer_letter_date": timezone.localdate() - datetime.timedelta(days=10),
        **facts,
    }
    with translation.override("ar"):
        profession = str(Profession(data["profession"]).label)
    if shared_letter:
        data["employer_letter"] = shared_employer_letter(data["employer"], profession)
    else:
        data["employer_letter"] = employer_letter(user, data["employer"], profession, data["employer_letter_date"])
    if data.get("nationality") == Nationality.NON_SAUDI:
        data["iqama_copy"] = iqama_copy(user, data["iqama_number"], data["iqama_expiry"])
    return save_draft(user, data)


def renewing_practitioner(reviewer):
    """A physician registered almost a period ago: renewal is open, 24 of 30 hours are accepted
    and 6 wait for the reviewer."""
    practitioner = verified_user(*DEMO_PEOPLE["renewing"])
    application = complete_application(
        practitioner,
        nationality=Nationality.SAUDI,
        profession=Profession.PHYSICIAN,
        specialty=demo_specialty(Profession.PHYSICIAN, "طب الأسرة", "Family medicine"),
    )
    submit_application(application, practitioner, declared=True)
    approve_application(start_review(application, reviewer), reviewer)
    registration = Registration.objects.get(profile__user=practitioner)
    valid_until = timezone.localdate() + datetime.timedelta(days=RENEWING_DAYS_LEFT)
    start = add_months(valid_until + datetime.timedelta(days=1), -settings.REGISTRATION_VALIDITY_MONTHS)
    Registration.objects.filter(pk=registration.pk).update(
        registered_on=start, period_start=start, valid_until=valid_until
    )
    registration.events.update(valid_until=valid_until)
    registration.refresh_from_db()
    profile = practitioner.practitioner_profile
    for title, hours, days_ago in (
        ("دورة الإنعاش القلبي المتقدم", "16", 200),
        ("مؤتمر طب الأسرة السنوي", "8", 90),
        ("ورشة مكافحة العدوى", "6", 10),
    ):
        facts = {
            "title": title,
            "provider": "الهيئة السعودية للتخصصات الصحية",
            "completed_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "hours": Decimal(hours),
        }
        certificate = attendance_certificate(practitioner, **facts)
        activity = record_activity(profile, registration, {**facts, "certificate": certificate})
        if days_ago > 30:
            accept_activity(activity, reviewer)


def demo_organisation(reviewer):
    """An approved hospital whose administrator is the demo employer, watching the demo practitioners."""
    administrator = verified_user(*DEMO_PEOPLE["employer"])
    organisation = sign_up_organisation(user=administrator, **DEMO_ORGANISATION)
    approve_organisation(organisation, reviewer)
    numbers = Registration.objects.filter(
        profile__user__national_id__in=[DEMO_PEOPLE["practitioner"].national_id, DEMO_PEOPLE["renewing"].national_id]
    ).values_list("profile__membership_number", flat=True)
    add_numbers(organisation, list(enumerate(numbers, start=1)), administrator)


class Command(BaseCommand):
    help = "Load demo people and applications, and print their log-ins."

    def handle(self, *args, **options):
        users = get_user_model().objects
        with transaction.atomic():
            if not users.filter(national_id=DEMO_PEOPLE["reviewer"].national_id).exists():
                demo_staff_member(DEMO_PEOPLE["reviewer"])
            reviewer = users.get(national_id=DEMO_PEOPLE["reviewer"].national_id)
            if not users.filter(national_id=DEMO_PEOPLE["applicant"].national_id).exists():
                verified_user(*DEMO_PEOPLE["applicant"])
            if not users.filter(national_id=DEMO_PEOPLE["submitted"].national_id).exists():
                applicant = verified_user(*DEMO_PEOPLE["submitted"])
                submit_application(
                    complete_application(applicant, nationality=Nationality.SAUDI), applicant, declared=True
                )
            if not users.filter(national_id=DEMO_PEOPLE["practitioner"].national_id).exists():
                practitioner = verified_user(*DEMO_PEOPLE["practitioner"])
                application = complete_application(
                    practitioner,
                    nationality=Nationality.NON_SAUDI,
                    iqama_number=DEMO_PEOPLE["practitioner"].national_id,
                    iqama_expiry=timezone.localdate() + datetime.timedelta(days=400),
                )
                submit_application(application, practitioner, declared=True)
                start_review(application, reviewer)
                approve_application(application, reviewer)
                profile = practitioner.practitioner_profile
                profile.mobile = "+966501234567"
                profile.city = "الرياض"
                profile.job_title = "ممرضة"
                # Confirmed over a year ago: the log-in asks her to review it, as the seed describes.
                profile.data_confirmed_at = timezone.now() - datetime.timedelta(days=400)
                profile.save()
            if not users.filter(national_id=DEMO_PEOPLE["renewing"].national_id).exists():
                renewing_practitioner(reviewer)
            if not users.filter(national_id=DEMO_PEOPLE["supervisor"].national_id).exists():
                load_history(
                    reviewer, lambda user, **facts: complete_application(user, nationality=Nationality.SAUDI, **facts)
                )
            if not Organisation.objects.filter(commercial_registration=DEMO_ORGANISATION["commercial_registration"]):
                demo_organisation(reviewer)
        # What the periodic jobs would count within the hour, counted now.
        today = timezone.localdate()
        count_queues(today)
        count_waiting_figures(today)
        count_weekly_figures(today, count_published_figures(today))
        self.print_logins()

    def print_logins(self):
        practitioner = get_user_model().objects.get(national_id=DEMO_PEOPLE["practitioner"].national_id)
        membership = practitioner.practitioner_profile.display_membership_number
        rows = [
            ("Applicant (no application yet)", DEMO_PEOPLE["applicant"].national_id),
            ("Applicant with a submitted application", DEMO_PEOPLE["submitted"].national_id),
            (f"Practitioner, membership number {membership}", DEMO_PEOPLE["practitioner"].national_id),
            ("Reviewer (staff, /admin/)", DEMO_PEOPLE["reviewer"].national_id),
            ("Supervisor (staff, /admin/dashboard/)", DEMO_PEOPLE["supervisor"].national_id),
            (
                f"Practitioner whose registration ends in {RENEWING_DAYS_LEFT} days (renewal open)",
                DEMO_PEOPLE["renewing"].national_id,
            ),
            (
                f"Administrator of {DEMO_ORGANISATION['name_en']} (/employers/; to change its list, turn on two-step)",
                DEMO_PEOPLE["employer"].national_id,
            ),
        ]
        self.stdout.write(f"\nDemo log-ins (username = ID number, password = {DEMO_PASSWORD}):")
        for label, national_id in rows:
            self.stdout.write(f"  {national_id}  {label}")
        self.stdout.write("")
