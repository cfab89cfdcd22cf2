"""Members and their emailed, single-use invitations."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import OutboundEmail
from employers.members import (
    InvitationExpired,
    InvitationForAnother,
    InvitationUsed,
    accept_invitation,
    invite_member,
)
from employers.models import Invitation, MemberRole, Membership

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def layla(db):
    return UserFactory(email="Layla@Example.sa")


def invitation_token(email):
    link = re.search(r"/employers/invitations/([^/]+)/", OutboundEmail.objects.get(to_address=email).text_body)
    return link.group(1)


def test_an_administrator_invites_by_email(hana_client, hospital):
    response = hana_client.post(f"/employers/{hospital.pk}/members/", {"email": "layla@example.sa", "role": "viewer"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.accepted_at) == ("layla@example.sa", "viewer", None)
    token = invitation_token("layla@example.sa")
    assert token not in invitation.token_hash  # only the hash is kept


def test_a_bad_invitation_form_is_shown_again(hana_client, hospital):
    response = hana_client.post(f"/employers/{hospital.pk}/members/", {"email": "not an email", "role": "owner"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "role"}
    assert not Invitation.objects.exists()


def test_the_invited_person_joins_once(client, hospital, hana, layla):
    invite_member(hospital, email="layla@example.sa", role=MemberRole.VIEWER, invited_by=hana, language="ar")
    url = f"/employers/invitations/{invitation_token('layla@example.sa')}/"
    client.force_login(layla)
    assert client.get(url).status_code == 200  # a mail scanner's visit changes nothing
    assert not Membership.objects.filter(user=layla).exists()
    assert client.post(url)["Location"] == f"/employers/{hospital.pk}/"
    assert Membership.objects.get(user=layla).role == MemberRole.VIEWER
    second = client.post(url)
    assert second.status_code == 400
    assert "already been used" in second.content.decode()


def test_an_expired_invitation_is_refused(hospital, hana, layla):
    invite_member(hospital, email="layla@example.sa", role=MemberRole.VIEWER, invited_by=hana, language="ar")
    token = invitation_token("layla@example.sa")
    with pytest.raises(InvitationExpired):
        accept_invitation(token, layla, now=timezone.now() + timedelta(days=8))
    assert not Membership.objects.filter(user=layla).exists()


def test_an_invitation_works_only_for_the_account_it_was_sent_to(client, hospital, hana, stranger):
    invite_member(hospital, email="layla@example.sa", role=MemberRole.ADMINISTRATOR, invited_by=hana, language="ar")
    token = invitation_token("layla@example.sa")
    with pytest.raises(InvitationForAnother):
        accept_invitation(token, stranger)
    client.force_login(stranger)
    assert client.post(f"/employers/invitations/{token}/").status_code == 400
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_used_twice_at_once_makes_one_membership(hospital, hana, layla):
    invite_member(hospital, email="layla@example.sa", role=MemberRole.VIEWER, invited_by=hana, language="ar")
    token = invitation_token("layla@example.sa")
    accept_invitation(token, layla)
    with pytest.raises(InvitationUsed):
        accept_invitation(token, layla)
    assert Membership.objects.filter(user=layla).count() == 1


def test_an_unknown_link_is_refused(client, layla):
    client.force_login(layla)
    response = client.get("/employers/invitations/made-up-token/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_a_viewer_cannot_invite_or_remove(client, victor, hana, hospital):
    client.force_login(victor)
    assert client.get(f"/employers/{hospital.pk}/members/").status_code == 403
    assert (
        client.post(
            f"/employers/{hospital.pk}/members/", {"email": "x@example.sa", "role": "administrator"}
        ).status_code
        == 403
    )
    administrator = Membership.objects.get(user=hana)
    assert client.post(f"/employers/{hospital.pk}/members/{administrator.pk}/remove/").status_code == 403
    assert not Invitation.objects.exists()
    assert Membership.objects.filter(user=hana).exists()


def test_an_administrator_removes_a_member_but_not_the_last_administrator(hana_client, hana, victor, hospital):
    viewer = Membership.objects.get(user=victor)
    hana_client.post(f"/employers/{hospital.pk}/members/{viewer.pk}/remove/")
    assert not Membership.objects.filter(user=victor).exists()
    own = Membership.objects.get(user=hana)
    response = hana_client.post(f"/employers/{hospital.pk}/members/{own.pk}/remove/", follow=True)
    assert "at least one administrator" in response.content.decode()
    assert Membership.objects.filter(user=hana).exists()


def test_a_removed_member_loses_the_organisations_pages_on_the_next_request(hana_client, victor, hospital):
    victor_client = Client()
    victor_client.cookies["mumaris_language"] = "en"
    victor_client.force_login(victor)
    assert victor_client.get(f"/employers/{hospital.pk}/").status_code == 200
    hana_client.post(f"/employers/{hospital.pk}/members/{Membership.objects.get(user=victor).pk}/remove/")
    assert victor_client.get(f"/employers/{hospital.pk}/").status_code == 404
