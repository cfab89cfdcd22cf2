"""Creating a practitioner's profile when their registration is approved."""

from django.utils import timezone

from .membership import make_membership_number
from .models import PractitionerProfile


def create_practitioner_profile(*, user, profession, specialty, employer):
    """Create the profile and give it a unique membership number.

    The number is derived from the row's own id, which the database hands out uniquely even
    when two reviewers approve at the same moment. Call inside the approval's transaction.
    """
    profile = PractitionerProfile.objects.create(
        user=user, profession=profession, specialty=specialty, employer=employer, email=user.email
    )
    profile.membership_number = make_membership_number(timezone.localdate().year, profile.pk)
    profile.save(update_fields=["membership_number"])
    return profile
