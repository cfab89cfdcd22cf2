"""Create the "Reviewers" group (see registration/reviewers.py)."""

from django.db import migrations

from registration.reviewers import REVIEWERS_GROUP, create_permissions_now, ensure_reviewers_group

# The group's permissions when this migration was written (later ones add to them).
PERMISSIONS = [
    ("registration", "view_application"),
    ("registration", "review_application"),
    ("profiles", "view_practitionerprofile"),
    ("profiles", "view_dataupdaterequest"),
    ("profiles", "review_dataupdaterequest"),
]


def create_reviewers_group(apps, schema_editor):
    create_permissions_now(apps)
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PERMISSIONS)


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
        ("profiles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
