"""Personas of the employers' tests.

Hana administers King Fahd Hospital (with a second factor); Victor only views its list; Omar
administers another hospital and must never see King Fahd's; Pat is a registered practitioner.
"""

import pytest

from employers.models import MemberRole

from ..factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def hospital(db):
    return OrganisationFactory(
        name_ar="مستشفى الملك فهد", name_en="King Fahd Hospital", commercial_registration="1010101010"
    )


@pytest.fixture
def hana(hospital):
    return MembershipFactory(organisation=hospital, user__email="hana@kfh.example.sa", user__full_name_ar="هناء").user


@pytest.fixture
def victor(hospital):
    return MembershipFactory(organisation=hospital, role=MemberRole.VIEWER, user__email="victor@kfh.example.sa").user


@pytest.fixture
def omar(db):
    return MembershipFactory(user__email="omar@other.example.sa").user


@pytest.fixture
def hana_client(client, hana):
    client.force_login(hana)
    return client


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.sa")


@pytest.fixture(autouse=True)
def _english(client):
    """The pages in English, so the tests read the wording of the code (the Arabic catalogue is
    checked by tests/portal/test_translations.py and the browser journey)."""
    client.cookies["mumaris_language"] = "en"
