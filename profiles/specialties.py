"""Specialties: the list each profession's practitioners choose from, and turning the free text
typed before the list existed into entries of it (the data migrations call this with their
historical model)."""

import re

from django.db.models import Q

from .models import Specialty

LATIN_ONLY = re.compile(r"[A-Za-z][A-Za-z .,&()'-]*")


def specialty_from_text(specialty_model, profession, text):
    """The specialty of `profession` whose Arabic or English name is `text` (spaces and case
    aside); if none, a new one named by the text and not offered to applicants, for staff to
    check and give its other name. None for empty text or no profession."""
    text = " ".join((text or "").split())
    if not text or not profession:
        return None
    same_profession = specialty_model.objects.filter(profession=profession)
    found = same_profession.filter(name_ar=text).first() or same_profession.filter(name_en__iexact=text).first()
    if found is not None:
        return found
    is_english = LATIN_ONLY.fullmatch(text) is not None
    return specialty_model.objects.create(
        profession=profession, name_ar=text, name_en=text if is_english else "", is_offered=False
    )


def specialties_to_choose(profession, current_id=None):
    """The specialties offered for `profession`, and the person's current one even if retired."""
    return Specialty.objects.filter(profession=profession).filter(Q(is_offered=True) | Q(pk=current_id))


def readable_value(field, value):
    """A stored value of a changed field as a person reads it: the specialty's name (in the
    active language) for its id, other values as they are."""
    if field != "specialty" or value in (None, ""):
        return value
    specialty = Specialty.objects.filter(pk=value).first()
    return str(specialty) if specialty is not None else value
