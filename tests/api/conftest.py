"""An approved organisation, its administrator and viewer, and a token of it."""

import pytest

from api.tokens import create_token
from employers.models import MemberRole, Membership, Organisation, OrganisationStatus

from ..factories import UserFactory


def make_organisation(number, status=OrganisationStatus.APPROVED):
    return Organisation.objects.create(
        name_ar=f"مستشفى رقم {number}",
        name_en=f"Hospital {number}",
        commercial_registration=f"{number:010d}",
        facility_licence=f"L-{number}",
        city="الرياض",
        contact_email=f"hr{number}@hospital.example.sa",
        status=status,
    )


@pytest.fixture
def organisation(db):
    return make_organisation(1010101010)


@pytest.fixture
def administrator(organisation):
    user = UserFactory(full_name_ar="مديرة الموارد", full_name_en="HR Administrator")
    Membership.objects.create(organisation=organisation, user=user, role=MemberRole.ADMINISTRATOR)
    return user


@pytest.fixture
def viewer(organisation):
    user = UserFactory()
    Membership.objects.create(organisation=organisation, user=user, role=MemberRole.VIEWER)
    return user


@pytest.fixture
def issued(organisation, administrator):
    return create_token(organisation, name="HR system", days=90, created_by=administrator)


@pytest.fixture
def api_client(client, issued):
    """A test client that sends the token with every request."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issued.text}"
    return client
