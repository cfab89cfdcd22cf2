"""An approved organisation, its administrator (with a second factor) and viewer, and a token of it."""

import pytest

from api.tokens import create_token
from employers.models import MemberRole

from ..factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def administrator(organisation):
    return MembershipFactory(organisation=organisation, user__full_name_en="HR Administrator").user


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(organisation=organisation, role=MemberRole.VIEWER).user


@pytest.fixture
def issued(organisation, administrator):
    return create_token(organisation, name="HR system", days=90, created_by=administrator)


@pytest.fixture
def api_client(client, issued):
    """A test client that sends the token with every request."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issued.text}"
    return client
