"""The "Reviewers" group with exactly the review permissions (portal/reviewers.py): here, on the
top floor, because they span the apps below."""

from django.db import migrations

from portal.reviewers import REVIEWERS_GROUP, create_permissions_now, ensure_reviewers_group


def create_reviewers_group(apps, schema_editor):
    create_permissions_now(apps)
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("registry", "0001_initial"),
        ("profiles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, remove_reviewers_group)]
