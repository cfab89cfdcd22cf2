"""The "Supervisors" group (portal/reviewers.py): the review permissions, and assigning each kind
of request to reviewers; and the new permissions of the review queue exist before it."""

from django.db import migrations

from portal.reviewers import (
    QUEUE_SUPERVISOR_PERMISSIONS,
    SUPERVISORS_GROUP,
    create_permissions_now,
    ensure_supervisors_group,
)


def create_supervisors_group(apps, schema_editor):
    create_permissions_now(apps)
    # The permissions as they were then (the specialty list's come with 0003).
    ensure_supervisors_group(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), QUEUE_SUPERVISOR_PERMISSIONS
    )


def remove_supervisors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SUPERVISORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_reviewers_group"),
        ("applications", "0004_review_assignment"),
        ("profiles", "0002_review_assignment"),
    ]

    operations = [migrations.RunPython(create_supervisors_group, remove_supervisors_group)]
