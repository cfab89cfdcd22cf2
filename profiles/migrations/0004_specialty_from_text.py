"""Each profile's free-text specialty becomes an entry of the list (a name that matches one, or a
new entry not offered to applicants, for staff to check); the specialty in pending and decided
data-update requests and in the profiles' history becomes that entry's id."""

from django.db import migrations

from profiles.specialties import specialty_from_text


def text_to_specialty(apps, schema_editor):
    specialty = apps.get_model("profiles", "Specialty")
    profile_model = apps.get_model("profiles", "PractitionerProfile")
    for profile in profile_model.objects.all().iterator(chunk_size=500):
        found = specialty_from_text(specialty, profile.profession, profile.specialty_text)
        if found is None:  # a profile with no specialty typed: staff can see and correct these
            found, _created = specialty.objects.get_or_create(
                profession=profile.profession,
                name_ar="غير محدد",
                defaults={"name_en": "Not specified", "is_offered": False},
            )
        profile_model.objects.filter(pk=profile.pk).update(specialty=found)

    def to_id(profession, text):
        found = specialty_from_text(specialty, profession, text)
        return found.pk if found is not None else None

    for update_request in apps.get_model("profiles", "DataUpdateRequest").objects.filter(
        changes__has_key="specialty"
    ):
        profession = profile_model.objects.get(pk=update_request.profile_id).profession
        change = update_request.changes["specialty"]
        change["old"], change["new"] = to_id(profession, change["old"]), to_id(profession, change["new"])
        update_request.save(update_fields=["changes"])
    for change in apps.get_model("profiles", "ProfileChange").objects.filter(field="specialty"):
        profession = profile_model.objects.get(pk=change.profile_id).profession
        change.old_value = str(to_id(profession, change.old_value) or "")
        change.new_value = str(to_id(profession, change.new_value) or "")
        change.save(update_fields=["old_value", "new_value"])


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0003_specialty"),
    ]

    operations = [migrations.RunPython(text_to_specialty, migrations.RunPython.noop)]
