"""Reading a practitioner's data-update requests."""

from .models import DataUpdateRequest


def requests_of(user):
    """The user's data-update requests, newest first (none for someone without a profile)."""
    return DataUpdateRequest.objects.filter(profile__user=user).order_by("-created_at")
