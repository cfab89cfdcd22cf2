"""What a practitioner sees of the organisations that watch them (their access-log page)."""

from .models import WatchRecord


def watch_records_of(user):
    """The organisations' additions and removals of the user's registration, newest first (none
    for someone not registered); each with its organisation's names."""
    return (
        WatchRecord.objects.filter(practitioner__profile__user=user)
        .select_related("organisation")
        .only("action", "at", "organisation__name_ar", "organisation__name_en")
        .order_by("-at", "-id")
    )
