"""Reviewers read the register in the admin and suspend, reinstate or revoke a registration."""

import pytest
from django.contrib.auth.models import Permission

from registry.models import RegistrationStatus

from ..factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(pat):
    return pat.practitioner_profile.registration


def decide(client, registration, action, reason=""):
    return client.post(
        f"/admin/registry/registration/{registration.pk}/decide/",
        {"action": action, "reason": reason, "confirmed": "yes"},
        follow=True,
    )


def test_a_reviewer_suspends_with_a_reason_and_the_practitioner_is_told(
    client, rana, registration, outbox, django_capture_on_commit_callbacks
):
    client.force_login(rana)
    page = client.get(f"/admin/registry/registration/{registration.pk}/change/").content.decode()
    assert 'value="suspend"' in page
    assert 'value="revoke"' in page
    assert 'value="reinstate"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, registration, "suspend", "شكوى قيد التحقيق")
    assert "تم تسجيل القرار" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUSPENDED
    assert outbox[-1].to == ["pat@example.sa"]
    assert "شكوى قيد التحقيق" in outbox[-1].body
    page = client.get(f"/admin/registry/registration/{registration.pk}/change/").content.decode()
    assert 'value="reinstate"' in page


def test_without_a_reason_nothing_changes(client, rana, registration):
    client.force_login(rana)
    response = decide(client, registration, "suspend", "  ")
    assert "اكتب السبب الذي سيطَّلع عليه الممارس" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACTIVE


def test_nobody_decides_on_their_own_registration_in_the_admin(client, rana):
    own = RegistrationFactory(profile__user=rana)
    client.force_login(rana)
    page = client.get(f"/admin/registry/registration/{own.pk}/change/").content.decode()
    assert 'value="suspend"' not in page
    response = decide(client, own, "suspend", "self")
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.status == RegistrationStatus.ACTIVE


def test_staff_who_may_only_view_cannot_decide(client, registration):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    assert client.get(f"/admin/registry/registration/{registration.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/registry/registration/{registration.pk}/decide/", {"action": "suspend", "reason": "x"}
    )
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACTIVE


def test_the_list_shows_the_status_now_and_filters_by_validity(client, rana, registration):
    client.force_login(rana)
    page = client.get("/admin/registry/registration/?validity=valid").content.decode()
    assert registration.profile.display_membership_number in page
    assert "نشط" in page
    page = client.get("/admin/registry/registration/?validity=expired").content.decode()
    assert registration.profile.display_membership_number not in page
