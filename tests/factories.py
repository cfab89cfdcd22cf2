"""A factory for each model. IDs are valid (Luhn) and unique per sequence number."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.national_id import luhn_check_digit
from applications.models import Application, CPDActivity, Nationality
from employers.models import MemberRole, Membership, Organisation, OrganisationStatus
from profiles.membership import make_membership_number
from profiles.models import DataUpdateRequest, PractitionerProfile, Profession
from registry.models import Registration, RegistrationEvent, RegistrationEventKind
from registry.validity import period_end
from registry.workflow import issue_certificate

PASSWORD = "Correct-Horse-Battery-9"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def valid_id(prefix, number):
    first_nine = f"{prefix}{number:08d}"
    return first_nine + luhn_check_digit(first_nine)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    national_id = factory.Sequence(lambda n: valid_id(1, n + 1000))
    email = factory.Sequence(lambda n: f"person{n}@example.sa")
    full_name_ar = factory.Sequence(lambda n: f"مستخدم رقم {n}")
    full_name_en = factory.Sequence(lambda n: f"User {n}")
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff have a confirmed app device (no admin page opens without one), and `force_login`
        of this instance counts as verified, as a log-in with a code does (django-otp reads
        `otp_device`). `UserFactory(is_staff=True, second_factor=False)` makes one without."""
        if create and self.is_staff and extracted is not False:
            self.otp_device = TOTPDevice.objects.create(user=self, name="app", confirmed=True)


class ResidentFactory(UserFactory):
    national_id = factory.Sequence(lambda n: valid_id(2, n + 1000))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete, eligible draft of a Saudi applicant."""

    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    reference = factory.Sequence(lambda n: f"REG-2026-{n + 900000:06d}")
    nationality = Nationality.SAUDI
    date_of_birth = datetime.date(1990, 1, 15)
    profession = Profession.PHYSICIAN
    specialty = "طب الأسرة"
    employer = "مستشفى الملك فيصل"
    employer_letter_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    employer_letter = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="employer_letter.pdf"))


class PractitionerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PractitionerProfile

    user = factory.SubFactory(UserFactory)
    membership_number = factory.Sequence(lambda n: make_membership_number(2026, n + 500))
    profession = Profession.NURSE
    specialty = "تمريض"
    mobile = "+966501234567"
    email = factory.SelfAttribute("user.email")
    city = "الرياض"
    address = "حي الملز"
    employer = "مستشفى الملك فهد"
    job_title = "ممرض"


class DataUpdateRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataUpdateRequest

    profile = factory.SubFactory(PractitionerProfileFactory)
    number = factory.Sequence(lambda n: f"UPD-2026-{n + 900000:06d}")
    changes = factory.LazyAttribute(lambda request: {"city": {"old": request.profile.city, "new": "جدة"}})
    base_version = factory.SelfAttribute("profile.version")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """An active registration in its first period, with its certificate and first event."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    profile = factory.SubFactory(PractitionerProfileFactory)
    registered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    period_start = factory.SelfAttribute("registered_on")
    valid_until = factory.LazyAttribute(lambda registration: period_end(registration.registered_on, 24))

    @factory.post_generation
    def certificate(self, create, extracted, **kwargs):
        if create:
            RegistrationEvent.objects.create(
                registration=self, kind=RegistrationEventKind.REGISTERED, valid_until=self.valid_until
            )
            issue_certificate(self)


class CPDActivityFactory(factory.django.DjangoModelFactory):
    """A pending activity of 5 hours done 10 days ago, with its certificate."""

    class Meta:
        model = CPDActivity

    profile = factory.SubFactory(PractitionerProfileFactory)
    title = "دورة الإنعاش القلبي الأساسي"
    provider = "جمعية القلب السعودية"
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    hours = Decimal("5.0")
    certificate = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="certificate.pdf"))


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An approved hospital."""

    class Meta:
        model = Organisation

    name_ar = factory.Sequence(lambda n: f"مستشفى رقم {n}")
    name_en = factory.Sequence(lambda n: f"Hospital {n}")
    commercial_registration = factory.Sequence(lambda n: f"{1010000000 + n}")
    facility_licence = factory.Sequence(lambda n: f"MOH-{n:05d}")
    city = "الرياض"
    contact_email = factory.Sequence(lambda n: f"hr{n}@hospital.example.sa")
    status = OrganisationStatus.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    """An administrator with a confirmed second factor (force_login counts as verified)."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.ADMINISTRATOR

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted is not False and self.role == MemberRole.ADMINISTRATOR:
            self.user.otp_device = TOTPDevice.objects.create(user=self.user, name="app", confirmed=True)
