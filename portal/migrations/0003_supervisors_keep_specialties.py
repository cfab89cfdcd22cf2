"""Supervisors keep the specialty list (profiles.Specialty, issue 25) in the admin."""

from django.db import migrations

from portal.reviewers import SPECIALTY_SUPERVISOR_PERMISSIONS, create_permissions_now, ensure_supervisors_group


def give_supervisors_the_specialty_list(apps, schema_editor):
    create_permissions_now(apps)
    # The permissions as they were then (organisations' come with 0004).
    ensure_supervisors_group(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), SPECIALTY_SUPERVISOR_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_supervisors_group"),
        ("profiles", "0005_specialty_required"),
    ]

    operations = [migrations.RunPython(give_supervisors_the_specialty_list, migrations.RunPython.noop)]
