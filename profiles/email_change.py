"""A new email address from an approved data-update request: a link to it, and the change on opening.

The address is the log-in and where every decision is mailed, so it changes only once its
owner has shown they read it: the link is signed, expires like a verification link, and is
overtaken by any later approved email change.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from core.emails import queue_email
from core.signed_links import LinkError, make_link_key, read_link_key
from core.site import absolute_reverse

from .models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus

EMAIL_CHANGE_SALT = "profiles.email-change"


def send_email_change_link(update_request):
    new_email = update_request.changes["email"]["new"]
    key = make_link_key({"request": update_request.pk, "email": new_email}, EMAIL_CHANGE_SALT)
    link = absolute_reverse("profiles:confirm_email", args=[key])
    user = update_request.profile.user
    queue_email(
        "profiles/email/confirm_email",
        {"user": user, "link": link},
        new_email,
        user.preferred_language,
        key=f"email-change:{update_request.pk}",
    )


class EmailTaken(Exception):
    """Another account uses the new address; it cannot become this practitioner's."""


def request_for_email_change_key(key):
    """The approved request a key confirms; raises LinkError when expired, invalid or overtaken.

    A later approved email change makes earlier links useless, so an old link cannot bring
    back an address the practitioner has since replaced.
    """
    payload = read_link_key(key, EMAIL_CHANGE_SALT, settings.EMAIL_VERIFICATION_MAX_AGE)
    update_request = (
        DataUpdateRequest.objects.filter(pk=payload.get("request"), status=RequestStatus.APPROVED)
        .select_related("profile")
        .first()
    )
    if update_request is None or update_request.changes.get("email", {}).get("new") != payload.get("email"):
        raise LinkError("invalid")
    later_email_change = DataUpdateRequest.objects.filter(
        profile=update_request.profile_id,
        status=RequestStatus.APPROVED,
        changes__has_key="email",
        decided_at__gt=update_request.decided_at,
    )
    if later_email_change.exists():
        raise LinkError("invalid")
    return update_request


def confirm_email_change(update_request):
    """Make the verified address the practitioner's, on the profile and the account (idempotent).

    The account's address is also the log-in and where every decision is mailed, so both
    change together, in one transaction; an address another account uses is refused.
    """
    new_email = update_request.changes["email"]["new"]
    with transaction.atomic():
        profile = PractitionerProfile.objects.select_for_update().get(pk=update_request.profile_id)
        if profile.email == new_email:
            return profile
        users = get_user_model().objects
        if users.with_email(new_email).exclude(pk=profile.user_id).exists():
            raise EmailTaken(new_email)
        try:
            with transaction.atomic():
                users.filter(pk=profile.user_id).update(email=new_email)
        except IntegrityError as error:
            raise EmailTaken(new_email) from error
        ProfileChange.objects.create(
            profile=profile,
            field="email",
            old_value=profile.email,
            new_value=new_email,
            request=update_request,
            reviewer=update_request.decided_by,
        )
        profile.email = new_email
        profile.version += 1
        profile.save(update_fields=["email", "version", "updated_at"])
    return profile
