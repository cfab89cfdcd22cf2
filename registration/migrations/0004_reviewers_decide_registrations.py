"""Reviewers also read the register and suspend, reinstate or revoke registrations."""

from django.db import migrations

from registration.reviewers import REVIEWER_PERMISSIONS, create_permissions_now, ensure_reviewers_group


def update_reviewers_group(apps, schema_editor):
    create_permissions_now(apps)
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), REVIEWER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0003_list_order_indexes"),
        ("register", "0001_initial"),
    ]

    operations = [migrations.RunPython(update_reviewers_group, migrations.RunPython.noop)]
