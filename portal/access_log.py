"""The access log: every look by staff at a person's file leaves a trace (portal.models.AccessRecord).

National controls ask for such logs kept at least 12 months; the owner may see them (without
the staff member's name) under سجل الاطلاع على بياناتي.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import client_address
from .models import AccessAction, AccessRecord

# What the owner reads for each record: staff are "a reviewer", never named.
OWNER_DESCRIPTIONS = {
    AccessAction.VIEWED_APPLICATION: _("A reviewer opened your registration application %(target)s."),
    AccessAction.VIEWED_UPDATE_REQUEST: _("A reviewer opened your data update request %(target)s."),
    AccessAction.VIEWED_PROFILE: _("A reviewer opened your practitioner record."),
    AccessAction.DOWNLOADED_DOCUMENT: _("A reviewer downloaded your %(document)s (%(target)s)."),
    AccessAction.DECIDED: _("A reviewer recorded a decision on %(target)s."),
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


def prune_access_log(now=None):
    """Delete the records older than the retention; one DELETE, safe on every server at once."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _by_model = AccessRecord.objects.filter(at__lt=cutoff).delete()
    return deleted
