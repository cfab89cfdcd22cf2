"""Where a log-in lands when `next` names no page: the page each kind of user came for."""

from django.urls import reverse


def landing_url_for(user):
    """Practitioners to the electronic services, applicants to طلباتي; staff to the home page,
    whose header leads them to the admin."""
    if user.is_staff:
        return reverse("portal:home")
    # The profile is the profiles app's (one to one, related name `practitioner_profile`); the
    # log-in signal that checks the data review has already fetched it, so this costs no query.
    if getattr(user, "practitioner_profile", None) is not None:
        return reverse("portal:services")
    return reverse("portal:my_requests")
