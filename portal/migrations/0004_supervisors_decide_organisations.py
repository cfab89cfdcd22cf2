"""Supervisors approve or refuse organisations (employers.Organisation, issue 26) in the admin."""

from django.db import migrations

from portal.reviewers import create_permissions_now, ensure_supervisors_group


def give_supervisors_the_organisations(apps, schema_editor):
    create_permissions_now(apps)
    ensure_supervisors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_supervisors_keep_specialties"),
        ("employers", "0001_initial"),
    ]

    operations = [migrations.RunPython(give_supervisors_the_organisations, migrations.RunPython.noop)]
