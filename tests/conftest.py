"""Shared fixtures and personas.

Alice applies and owns her data; Bob is another applicant who must never see Alice's;
Rana reviews in the admin; Sami supervises the reviewers; Pat is a registered practitioner.
"""

import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from devtools.demo import APPLICANT, REVIEWER, SUBMITTED
from portal.reviewers import ensure_reviewers_group, ensure_supervisors_group

from .factories import PASSWORD, RegistrationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    from core.service_levels import forget_kept_facts

    caches["default"].clear()
    caches["fragments"].clear()
    forget_kept_facts()


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the thread (in a worker the next request sets its
    own); a test that calls code outside a request after another test's English request would read
    English. Each test starts in the default language."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Every test starts with no rate-limit counter: the table is rolled back with the test, but a
    Redis store (LIMITS_CACHE_URL, CI's Redis pass) keeps them."""
    from django.conf import settings
    from django.core.cache import caches

    if "redis" in settings.CACHES["limits"]["BACKEND"].lower():
        caches["limits"].clear()


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(monkeypatch):
    """`client.force_login(user)` of a user made with a device (staff from the factory) leaves the
    session verified, as a log-in with a code does. Django's force_login gives django-otp no
    request user to persist the device with, so it is written to the session here."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    force_login = Client.force_login

    def force_login_verified(client, user, backend=None):
        force_login(client, user, backend)
        device = getattr(user, "otp_device", None)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(
        national_id=APPLICANT.national_id, email="alice@example.sa", full_name_ar="أليس", full_name_en="Alice"
    )


@pytest.fixture
def bob(db):
    return UserFactory(
        national_id=SUBMITTED.national_id, email="bob@example.sa", full_name_ar="بوب", full_name_en="Bob"
    )


@pytest.fixture
def rana(db):
    # Staff from the factory have a confirmed second factor, verified on force_login.
    reviewer = UserFactory(national_id=REVIEWER.national_id, email="rana@example.sa", full_name_ar="رنا", is_staff=True)
    # ensure_: transactional (browser) tests flush the group that the data migration made.
    reviewer.groups.add(ensure_reviewers_group(Group, Permission))
    return reviewer


@pytest.fixture
def reem(db):
    """A second reviewer: holds requests Rana must not decide."""
    reviewer = UserFactory(national_id="1000000057", full_name_ar="ريم", is_staff=True)
    reviewer.groups.add(ensure_reviewers_group(Group, Permission))
    return reviewer


@pytest.fixture
def sami(db):
    """A supervisor: sees every queue, reassigns, decides what another reviewer holds."""
    supervisor = UserFactory(national_id="1000000040", email="sami@example.sa", full_name_ar="سامي", is_staff=True)
    supervisor.groups.add(ensure_supervisors_group(Group, Permission))
    return supervisor


@pytest.fixture
def pat(db):
    registration = RegistrationFactory(profile__user__email="pat@example.sa", profile__user__full_name_ar="بات")
    return registration.profile.user


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
