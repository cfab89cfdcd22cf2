"""A profile's registration read by one fixed statement (registry.public.registration_of_profile)
is the ORM's: the same values, linked both ways, and no further query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.models import PractitionerProfile
from registry.models import Registration
from registry.public import registration_of, registration_of_profile

from ..factories import PractitionerProfileFactory

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_registration_is_the_orms_in_one_query_and_kept_on_the_profile(pat):
    expected = Registration.objects.get(profile__user=pat)
    profile = PractitionerProfile.objects.get(user=pat)
    with CaptureQueriesContext(connection) as captured:
        registration = registration_of_profile(profile)
        assert registration_of_profile(profile) is registration
        assert profile.registration is registration
        assert registration.profile is profile
    assert len(captured) == 1
    assert field_values(registration) == field_values(expected)
    assert not registration._state.adding
    assert registration._state.db == "default"


def test_a_profile_without_a_registration_reads_none_once():
    profile = PractitionerProfileFactory()
    with CaptureQueriesContext(connection) as captured:
        assert registration_of_profile(profile) is None
        assert registration_of_profile(profile) is None
        with pytest.raises(Registration.DoesNotExist):
            profile.registration  # noqa: B018  # as the ORM leaves it: none, known without a query
    assert len(captured) == 1


def test_a_registration_already_loaded_is_not_read_again(pat):
    profile = PractitionerProfile.objects.select_related("registration").get(user=pat)
    with CaptureQueriesContext(connection) as captured:
        assert registration_of_profile(profile) is profile.registration
    assert len(captured) == 0


def test_an_applicant_and_a_visitor_have_none(alice):
    assert registration_of(alice) is None
    assert registration_of(AnonymousUser()) is None
