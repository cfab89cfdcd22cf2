"""The access log: every look by staff at a person's file leaves a trace (core.models.AccessRecord).

National controls ask for such logs kept at least 12 months; the owner may see them (without
the staff member's name) under سجل الاطلاع على بياناتي.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import client_address
from .fixed_reads import fixed_read
from .models import AccessAction, AccessRecord, StaffSearch

# What the owner reads for each record: staff are "a reviewer", never named.
OWNER_DESCRIPTIONS = {
    AccessAction.VIEWED_APPLICATION: _("A reviewer opened your registration application %(target)s."),
    AccessAction.VIEWED_UPDATE_REQUEST: _("A reviewer opened your data update request %(target)s."),
    AccessAction.VIEWED_PROFILE: _("A reviewer opened your practitioner record."),
    AccessAction.DOWNLOADED_DOCUMENT: _("A reviewer downloaded your %(document)s (%(target)s)."),
    AccessAction.DECIDED: _("A reviewer recorded a decision on %(target)s."),
    AccessAction.FOUND_IN_SEARCH: _("A reviewer's search in the staff pages found your file."),
    AccessAction.VIEWED_HISTORY: _("A reviewer opened the change history of %(target)s."),
}


def record_access(request, owner_id, action, target=""):
    """One insert; nothing is recorded when a person opens their own file."""
    if owner_id is None or owner_id == request.user.pk:
        return None
    return AccessRecord.objects.create(
        staff=request.user,
        owner_id=owner_id,
        action=action,
        target=str(target)[:100],
        client_address=client_address(request)[:45],
    )


def record_search(request, listed, term, result_count, owner_ids):
    """A staff search in the list `listed`: the term and how many rows it matched (one insert),
    and a record in the access log of each person among `owner_ids`, the rows on the page shown
    (one more insert however many: a page is bounded by the list's page size)."""
    address = client_address(request)[:45]
    search = StaffSearch.objects.create(
        staff=request.user, listed=listed, term=term[:200], result_count=result_count, client_address=address
    )
    found = sorted(set(owner_ids) - {None, request.user.pk})
    AccessRecord.objects.bulk_create(
        AccessRecord(
            staff=request.user,
            owner_id=owner_id,
            action=AccessAction.FOUND_IN_SEARCH,
            target=f"search-{search.pk}",
            client_address=address,
        )
        for owner_id in found
    )
    return search


def prune_access_log(now=None):
    """Delete the records and searches older than the retention; safe on every server at once."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _by_model = AccessRecord.objects.filter(at__lt=cutoff).delete()
    searches, _by_model = StaffSearch.objects.filter(at__lt=cutoff).delete()
    return deleted + searches


def access_records_of(owner):
    """The looks at the person's file, newest first, as a listing to page through (one fixed
    statement a page: core/fixed_reads.py)."""
    return _access_records_of.listing(owner.pk)


@fixed_read
def _access_records_of(owner_id):
    return AccessRecord.objects.filter(owner=owner_id).only("action", "target", "at")
