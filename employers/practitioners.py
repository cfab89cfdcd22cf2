"""What a practitioner sees of the organisations that watch them (their access-log page)."""

from core.fixed_reads import fixed_read

from .models import WatchRecord


def watch_records_of(registration):
    """The organisations' additions and removals of the registration, newest first (none for
    someone not registered: None); each with its organisation's names."""
    if registration is None:
        return []
    return _watch_records_of.listing(registration.pk)


@fixed_read
def _watch_records_of(registration_id):
    return (
        WatchRecord.objects.filter(practitioner=registration_id)
        .select_related("organisation")
        .only("action", "at", "organisation__name_ar", "organisation__name_en")
        .order_by("-at", "-id")
    )
