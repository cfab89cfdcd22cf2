"""At log-in, note in the session whether the practitioner's data review is due."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .data_review import profile_review_is_due
from .middleware import REVIEW_DUE_KEY


@receiver(user_logged_in)
def ask_for_data_review(sender, request, user, **kwargs):
    profile = getattr(user, "practitioner_profile", None)
    if profile is not None and profile_review_is_due(profile):
        request.session[REVIEW_DUE_KEY] = True
