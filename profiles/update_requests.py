"""Reading data-update requests: a practitioner's list, and a request's changes as table rows."""

from .models import DataUpdateRequest, PractitionerProfile


def requests_of(profile):
    """A practitioner's data-update requests, newest first, with what their list shows (none
    for someone without a profile)."""
    if profile is None:
        return DataUpdateRequest.objects.none()
    return (
        DataUpdateRequest.objects.filter(profile=profile).only("number", "status", "created_at").order_by("-created_at")
    )


def change_rows(changes):
    """(field label, old value, new value) for each change of {"field": {"old", "new"}}."""
    return [
        (PractitionerProfile._meta.get_field(name).verbose_name, change["old"], change["new"])
        for name, change in changes.items()
    ]
