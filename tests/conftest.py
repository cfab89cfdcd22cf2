"""Shared fixtures and personas.

Alice applies and owns her data; Bob is another applicant who must never see Alice's;
Rana reviews in the admin; Pat is a registered practitioner.
"""

import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from registration.reviewers import ensure_reviewers_group

from .factories import PASSWORD, PractitionerProfileFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    caches["default"].clear()
    caches["fragments"].clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(national_id="1000000008", email="alice@example.sa", full_name_ar="أليس", full_name_en="Alice")


@pytest.fixture
def bob(db):
    return UserFactory(national_id="1000000016", email="bob@example.sa", full_name_ar="بوب", full_name_en="Bob")


@pytest.fixture
def rana(db):
    reviewer = UserFactory(national_id="1000000024", email="rana@example.sa", full_name_ar="رنا", is_staff=True)
    # ensure_: transactional (browser) tests flush the group that the data migration made.
    reviewer.groups.add(ensure_reviewers_group(Group, Permission))
    return reviewer


@pytest.fixture
def pat(db):
    return PractitionerProfileFactory(user__email="pat@example.sa", user__full_name_ar="بات").user


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def outbox():
    return mail.outbox


def login_data(username, password, captcha="PASSED"):
    """A log-in POST; with CAPTCHA_TEST_MODE the answer "PASSED" solves any challenge."""
    return {"username": username, "password": password, "captcha_0": "test-key", "captcha_1": captcha}
