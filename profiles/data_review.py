"""The periodic review of member data, as the seed describes: at log-in, when the data is old.

`review_is_due` is the rule (pure); the other functions record what the practitioner chose.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import PractitionerProfile, RequestStatus


def review_is_due(confirmed_at, now, period, has_pending_request):
    """Due when the data was last confirmed more than `period` ago and no update is pending."""
    return not has_pending_request and now - confirmed_at > period


def profile_review_is_due(profile, now=None):
    now = now or timezone.now()
    # A query only when the date alone would make the review due (not at most log-ins).
    if not review_is_due(profile.data_confirmed_at, now, settings.DATA_REVIEW_PERIOD, has_pending_request=False):
        return False
    has_pending = profile.update_requests.filter(status=RequestStatus.PENDING).exists()
    return review_is_due(profile.data_confirmed_at, now, settings.DATA_REVIEW_PERIOD, has_pending)


def remaining_postponements(profile):
    return max(settings.DATA_REVIEW_MAX_POSTPONEMENTS - profile.data_review_postponements, 0)


def can_postpone(profile):
    return remaining_postponements(profile) > 0


def confirm_data(profile):
    """ "My data is correct": the data counts as current from now on."""
    PractitionerProfile.objects.filter(pk=profile.pk).update(
        data_confirmed_at=timezone.now(), data_review_postponements=0
    )


def postpone_review(profile):
    """ "Later": counted; refused (returns False) once the allowed number is used up."""
    with transaction.atomic():
        locked = PractitionerProfile.objects.select_for_update().get(pk=profile.pk)
        if not can_postpone(locked):
            return False
        locked.data_review_postponements += 1
        locked.save(update_fields=["data_review_postponements"])
    return True
