"""Each application's free-text specialty becomes an entry of its profession's list (a name that
matches one, or a new entry not offered to applicants). A draft with no profession chosen keeps
no specialty: the applicant chooses it again from the list."""

from django.db import migrations

from profiles.specialties import specialty_from_text


def text_to_specialty(apps, schema_editor):
    specialty = apps.get_model("profiles", "Specialty")
    application_model = apps.get_model("applications", "Application")
    typed = application_model.objects.exclude(specialty_text="").exclude(profession="")
    for application in typed.only("pk", "profession", "specialty_text").iterator(chunk_size=500):
        found = specialty_from_text(specialty, application.profession, application.specialty_text)
        application_model.objects.filter(pk=application.pk).update(specialty=found)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_specialty_from_list"),
    ]

    operations = [migrations.RunPython(text_to_specialty, migrations.RunPython.noop)]
