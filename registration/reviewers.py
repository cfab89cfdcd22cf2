"""The "Reviewers" group: read applications, practitioners and requests, and decide on them."""

REVIEWERS_GROUP = "Reviewers"
REVIEWER_PERMISSIONS = [
    ("registration", "view_application"),
    ("registration", "review_application"),
    ("profiles", "view_practitionerprofile"),
    ("profiles", "view_dataupdaterequest"),
    ("profiles", "review_dataupdaterequest"),
]


def ensure_reviewers_group(group_model, permission_model):
    """Create the group if needed and give it exactly the review permissions.

    Takes the models as arguments so the data migration can pass its historical ones.
    """
    group, _created = group_model.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in REVIEWER_PERMISSIONS
        ]
    )
    return group
