"""What anyone may see of a registration: the public card, found by membership number or code.

Never the national ID, birth date, contact data or documents: the card is built from an
explicit list of fields, so a new field on the profile does not appear here by accident.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.membership import parse_membership_number
from profiles.models import Profession

from .codes import parse_code
from .models import Certificate, Registration, RegistrationStatus, ShareCode
from .validity import EXPIRED, effective_status

CARD_RELATED = ("profile__user",)
STATUS_LABELS = {**dict(RegistrationStatus.choices), EXPIRED: _("Expired")}


@dataclass(frozen=True)
class PublicCard:
    membership_number: str
    name_ar: str
    name_en: str
    profession: str
    specialty: str
    status: str
    valid_until: date

    @property
    def in_good_standing(self):
        return self.status == RegistrationStatus.ACTIVE

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def public_card(registration, today=None):
    profile, user = registration.profile, registration.profile.user
    return PublicCard(
        membership_number=profile.display_membership_number,
        name_ar=user.full_name_ar,
        name_en=user.full_name_en,
        profession=Profession(profile.profession).label,  # lazy: the page's language, not the view's
        specialty=profile.specialty,
        status=effective_status(registration.status, registration.valid_until, today or timezone.localdate()),
        valid_until=registration.valid_until,
    )


def registration_by_membership_number(text):
    """The registration whose membership number was typed (any common form), or None."""
    number = parse_membership_number(text)
    if number is None:
        return None
    return Registration.objects.select_related(*CARD_RELATED).filter(profile__membership_number=number).first()


def find_code(text):
    """The certificate or share code typed or scanned, with its registration: (certificate, None),
    (None, share_code) or (None, None)."""
    code = parse_code(text)
    if code is None:
        return None, None
    certificate = (
        Certificate.objects.select_related(*(f"registration__{name}" for name in CARD_RELATED))
        .filter(code=code)
        .first()
    )
    if certificate is not None:
        return certificate, None
    share_code = (
        ShareCode.objects.select_related(*(f"registration__{name}" for name in CARD_RELATED)).filter(code=code).first()
    )
    return None, share_code


def looks_like_code(text):
    return parse_code(text) is not None


def standing_of(profile, today=None):
    """The practitioner's own registration as their pages show it (None for someone not registered)."""
    registration = getattr(profile, "registration", None) if profile is not None else None
    return public_card(registration, today) if registration is not None else None
