"""The staff groups: "Reviewers" read applications, practitioners and requests and decide on
them; "Supervisors" do that too, and see every queue, reassign its requests and decide one that
another reviewer holds (core/queue.py), keep the specialty list and approve or refuse organisations."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

REVIEWERS_GROUP = "Reviewers"
REVIEWER_PERMISSIONS = [
    ("applications", "view_application"),
    ("applications", "review_application"),
    ("profiles", "view_practitionerprofile"),
    ("profiles", "view_dataupdaterequest"),
    ("profiles", "review_dataupdaterequest"),
    ("registry", "view_registration"),
    ("registry", "decide_registration"),
    ("applications", "view_cpdactivity"),
    ("applications", "review_cpdactivity"),
]

SUPERVISORS_GROUP = "Supervisors"
QUEUE_SUPERVISOR_PERMISSIONS = [
    *REVIEWER_PERMISSIONS,
    ("applications", "assign_application"),
    ("applications", "assign_cpdactivity"),
    ("profiles", "assign_dataupdaterequest"),
]
# The specialty list applicants choose from (issue 25): add entries, name them, retire them.
SPECIALTY_SUPERVISOR_PERMISSIONS = [
    *QUEUE_SUPERVISOR_PERMISSIONS,
    ("profiles", "view_specialty"),
    ("profiles", "add_specialty"),
    ("profiles", "change_specialty"),
]
SUPERVISOR_PERMISSIONS = [
    *SPECIALTY_SUPERVISOR_PERMISSIONS,
    # Organisations (issue 26): approving one lets an outside body follow practitioners' records
    # every day, a trust decision above a single application, so it is the supervisors'.
    ("employers", "view_organisation"),
    ("employers", "decide_organisation"),
]


def create_permissions_now(apps):
    """For data migrations: permissions are normally created after all migrations; make them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def ensure_reviewers_group(group_model, permission_model, permissions=REVIEWER_PERMISSIONS, name=REVIEWERS_GROUP):
    """Create the group if needed and give it exactly the review permissions.

    Takes the models (and the list) as arguments so the data migrations can pass their
    historical ones.
    """
    group, _created = group_model.objects.get_or_create(name=name)
    group.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in permissions
        ]
    )
    return group


def create_reviewer(*, national_id, email, full_name_ar, password):
    """A verified, active staff user who belongs to the Reviewers group."""
    with transaction.atomic():
        user = get_user_model().objects.create_verified_user(
            national_id=national_id, email=email, password=password, full_name_ar=full_name_ar, is_staff=True
        )
        user.groups.add(ensure_reviewers_group(Group, Permission))
    return user


def ensure_supervisors_group(group_model, permission_model, permissions=SUPERVISOR_PERMISSIONS):
    return ensure_reviewers_group(group_model, permission_model, permissions, SUPERVISORS_GROUP)


def is_supervisor(user):
    """A member of the Supervisors group, or a superuser: who sees the supervisors' dashboard."""
    return user.is_active and (user.is_superuser or user.groups.filter(name=SUPERVISORS_GROUP).exists())
