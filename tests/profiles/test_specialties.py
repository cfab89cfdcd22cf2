"""The specialty list: chosen on the update-member-data page from the profession's entries,
shown by name (in the page's language) before and after approval, and free text of before the
list turned into entries (the data migrations' rule)."""

import pytest
from django.utils import translation

from profiles.models import DataUpdateRequest, ProfileChange, Specialty
from profiles.specialties import specialty_from_text
from profiles.workflow import approve_update_request
from registry.sharing import work_history

from ..factories import SpecialtyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat_client(client, pat):
    client.force_login(pat)
    client.post("/services/update-member-data/", {"membership_number": pat.practitioner_profile.membership_number})
    return client


def current_data(profile, **changes):
    names = ("mobile", "email", "city", "address", "employer", "job_title", "specialty")
    return {**{name: profile.serializable_value(name) for name in names}, **changes}


def test_only_the_professions_offered_specialties_and_ones_own_are_choices(pat_client, pat):
    profile = pat.practitioner_profile
    Specialty.objects.filter(pk=profile.specialty_id).update(is_offered=False)
    critical = SpecialtyFactory(profession="nurse", name_ar="تمريض العناية المركزة", name_en="Critical care nursing")
    physician = SpecialtyFactory()
    choices = pat_client.get("/services/update-member-data/data/").context["form"].fields["specialty"].queryset
    assert set(choices) >= {profile.specialty, critical}
    assert physician not in choices
    response = pat_client.post("/services/update-member-data/data/", current_data(profile, specialty=physician.pk))
    assert "specialty" in response.context["form"].errors


def test_a_new_specialty_is_requested_shown_by_name_and_applied_by_approval(pat_client, pat, rana):
    profile = pat.practitioner_profile
    critical = SpecialtyFactory(profession="nurse", name_ar="تمريض العناية المركزة", name_en="Critical care nursing")
    pat_client.post("/services/update-member-data/data/", current_data(profile, specialty=critical.pk))
    pat_client.cookies["mumaris_language"] = "en"
    summary = pat_client.get("/services/update-member-data/summary/").content.decode()
    assert "General nursing" in summary
    assert "Critical care nursing" in summary
    pat_client.post("/services/update-member-data/summary/")
    update_request = DataUpdateRequest.objects.get()
    assert update_request.changes == {"specialty": {"old": profile.specialty_id, "new": critical.pk}}
    approve_update_request(update_request, rana)
    profile.refresh_from_db()
    assert profile.specialty == critical
    assert ProfileChange.objects.get(field="specialty").new_value == str(critical.pk)
    with translation.override("ar"):
        [(_when, _label, old, new)] = work_history(profile)
    assert (old, new) == ("تمريض عام", "تمريض العناية المركزة")
    pat_client.force_login(rana)
    history = pat_client.get(f"/admin/profiles/practitionerprofile/{profile.pk}/change/").content.decode()
    assert "General nursing" in history
    assert "Critical care nursing" in history


def test_free_text_matches_an_entry_by_either_name_or_becomes_one_for_staff_to_check():
    family = SpecialtyFactory()
    assert specialty_from_text(Specialty, "physician", " طب  الأسرة ") == family
    assert specialty_from_text(Specialty, "physician", "family MEDICINE") == family
    typed = specialty_from_text(Specialty, "physician", "طب النوم")
    assert (typed.name_ar, typed.name_en, typed.is_offered) == ("طب النوم", "", False)
    latin = specialty_from_text(Specialty, "physician", "Sleep medicine")
    assert (latin.name_ar, latin.name_en) == ("Sleep medicine", "Sleep medicine")
    assert specialty_from_text(Specialty, "physician", "  ") is None
    assert specialty_from_text(Specialty, "", "طب الأسرة") is None


def test_a_name_is_given_in_the_language_asked_for_the_arabic_one_standing_in():
    assert SpecialtyFactory().name_in("en") == "Family medicine"
    assert Specialty(name_ar="طب النوم", name_en="").name_in("en") == "طب النوم"
    assert SpecialtyFactory().name_in("ar") == "طب الأسرة"
