"""The "Reviewers" group: read applications, practitioners and requests, and decide on them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS_GROUP = "Reviewers"
REVIEWER_PERMISSIONS = [
    ("registration", "view_application"),
    ("registration", "review_application"),
    ("profiles", "view_practitionerprofile"),
    ("profiles", "view_dataupdaterequest"),
    ("profiles", "review_dataupdaterequest"),
]


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=REVIEWERS_GROUP)
    for app_label, codename in REVIEWER_PERMISSIONS:
        group.permissions.add(permission_model.objects.get(content_type__app_label=app_label, codename=codename))


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
