"""Practitioners approved before the register existed get a registration valid from their approval
date (their approved application's decision, else the day their profile was made), an event
saying so and a certificate with a fresh code."""


from django.conf import settings
from django.db import migrations
from django.utils import timezone

from register.codes import new_code
from register.validity import period_end


def registration_date(profile, approved_on):
    decided_at = approved_on.get(profile.user_id)
    return timezone.localdate(decided_at or profile.created_at)


def open_registrations(apps, schema_editor):
    PractitionerProfile = apps.get_model("profiles", "PractitionerProfile")
    Application = apps.get_model("registration", "Application")
    Registration = apps.get_model("register", "Registration")
    RegistrationEvent = apps.get_model("register", "RegistrationEvent")
    Certificate = apps.get_model("register", "Certificate")
    approved_on = dict(
        Application.objects.filter(status="approved", decided_at__isnull=False)
        .order_by("decided_at")
        .values_list("applicant_id", "decided_at")
    )
    for profile in PractitionerProfile.objects.filter(registration__isnull=True).iterator(chunk_size=2000):
        start = registration_date(profile, approved_on)
        valid_until = period_end(start, settings.REGISTRATION_VALIDITY_MONTHS)
        registration = Registration.objects.create(
            profile=profile, registered_on=start, period_start=start, valid_until=valid_until
        )
        RegistrationEvent.objects.create(registration=registration, kind="registered", valid_until=valid_until)
        Certificate.objects.create(registration=registration, code=new_code())


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
        ("registration", "0003_list_order_indexes"),
        ("profiles", "0002_data_review"),
    ]

    operations = [migrations.RunPython(open_registrations, migrations.RunPython.noop)]
