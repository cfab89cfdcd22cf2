"""Reviewers also read continuing-education activities and accept or reject them."""

from django.db import migrations

from registration.reviewers import REVIEWER_PERMISSIONS, create_permissions_now, ensure_reviewers_group


def update_reviewers_group(apps, schema_editor):
    create_permissions_now(apps)
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), REVIEWER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("registration", "0005_application_kind_cpdactivity")]

    operations = [migrations.RunPython(update_reviewers_group, migrations.RunPython.noop)]
