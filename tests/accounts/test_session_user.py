"""The session and its user read by fixed statements (accounts/sessions.py, accounts/session_user.py)
give what Django's ORM reads would: the same values, the same linked objects, no further query."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Session
from accounts.session_user import read_session_user, read_with_the_profile
from accounts.sessions import SessionStore
from profiles.models import PractitionerProfile
from registry.models import Registration

from ..factories import PractitionerProfileFactory

pytestmark = pytest.mark.django_db


def field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_user_profile_specialty_and_device_are_the_orms_in_one_query(pat):
    device = TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    expected = get_user_model().objects.select_related("practitioner_profile__specialty").get(pk=pat.pk)
    with CaptureQueriesContext(connection) as captured:
        user, read_device = read_session_user(pat.pk, device.pk)
        profile = user.practitioner_profile
        assert profile.user is user
        assert read_device.user is user
        specialty = profile.specialty
    assert len(captured) == 1
    assert field_values(user) == field_values(expected)
    assert field_values(profile) == field_values(expected.practitioner_profile)
    assert field_values(specialty) == field_values(expected.practitioner_profile.specialty)
    assert field_values(read_device) == field_values(device)
    assert not user._state.adding
    assert user._state.db == "default"


def test_the_registration_comes_in_the_same_query_linked_both_ways(pat):
    """The register declares it (registry.apps): every page of a practitioner shows it."""
    expected = Registration.objects.get(profile__user=pat)
    with CaptureQueriesContext(connection) as captured:
        user, _device = read_session_user(pat.pk)
        profile = user.practitioner_profile
        registration = profile.registration
        assert registration.profile is profile
    assert len(captured) == 1
    assert field_values(registration) == field_values(expected)
    assert (registration._state.adding, registration._state.db) == (False, "default")


def test_a_profile_without_a_registration_has_none_known_without_a_query():
    profile = PractitionerProfileFactory()
    user, _device = read_session_user(profile.user_id)
    with CaptureQueriesContext(connection) as captured, pytest.raises(Registration.DoesNotExist):
        user.practitioner_profile.registration  # noqa: B018  # as the ORM leaves it after select_related
    assert len(captured) == 0


def test_only_a_link_to_the_profile_can_be_read_with_it():
    with pytest.raises(ValueError, match="does not lead to the practitioner profile"):
        read_with_the_profile(PractitionerProfile._meta.get_field("user"))


def test_a_user_without_a_profile_reads_as_none_without_a_query(alice):
    user, device = read_session_user(alice.pk)
    assert device is None
    with CaptureQueriesContext(connection) as captured:
        assert not hasattr(user, "practitioner_profile")
    assert len(captured) == 0


def test_someone_elses_device_or_no_such_user_reads_as_none(alice, pat):
    device = TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    user, read_device = read_session_user(alice.pk, device.pk)
    assert user == alice
    assert read_device is None
    assert read_session_user(10**9) == (None, None)


def test_the_session_store_reads_a_live_session_and_forgets_an_expired_one(alice):
    store = SessionStore()
    store["kept"] = "value"
    store.save()
    assert SessionStore(store.session_key).load() == {"kept": "value"}
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key on the next save, as Django's store does
