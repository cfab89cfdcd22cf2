"""Reviewers also read the register and suspend, reinstate or revoke registrations."""

from django.db import migrations

from registration.reviewers import create_permissions_now, ensure_reviewers_group

# The group's permissions when this migration was written (later ones add to them).
PERMISSIONS = [
    ("registration", "view_application"),
    ("registration", "review_application"),
    ("profiles", "view_practitionerprofile"),
    ("profiles", "view_dataupdaterequest"),
    ("profiles", "review_dataupdaterequest"),
    ("register", "view_registration"),
    ("register", "decide_registration"),
]


def update_reviewers_group(apps, schema_editor):
    create_permissions_now(apps)
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0003_list_order_indexes"),
        ("register", "0001_initial"),
    ]

    operations = [migrations.RunPython(update_reviewers_group, migrations.RunPython.noop)]
