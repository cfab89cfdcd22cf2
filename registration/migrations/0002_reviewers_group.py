"""Create the "Reviewers" group (see registration/reviewers.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from registration.reviewers import REVIEWERS_GROUP, ensure_reviewers_group


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_reviewers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


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
