"""Approval opens a registration; staff suspend, reinstate and revoke it, never on their own file."""

import datetime

import pytest
from django.utils import timezone

from applications.workflow import approve_application, start_review, submit_application
from core.decisions import OwnFileRefused, ReasonRequired
from registry.models import Registration, RegistrationEventKind, RegistrationStatus
from registry.public import public_card
from registry.validity import period_end
from registry.workflow import (
    RegistrationStatusChanged,
    reinstate_registration,
    revoke_registration,
    suspend_registration,
)

from ..factories import ApplicationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_approval_opens_a_registration_for_the_configured_period_with_a_certificate(settings, rana):
    settings.REGISTRATION_VALIDITY_MONTHS = 12
    application = ApplicationFactory()
    submit_application(application, application.applicant, declared=True)
    approve_application(start_review(application, rana), rana)
    registration = Registration.objects.get(profile__user=application.applicant)
    today = timezone.localdate()
    assert (registration.registered_on, registration.period_start) == (today, today)
    assert registration.valid_until == period_end(today, 12)
    assert registration.status == RegistrationStatus.ACTIVE
    assert [event.kind for event in registration.events.all()] == [RegistrationEventKind.REGISTERED]
    assert registration.events.get().actor == rana
    certificate = registration.certificates.get()
    assert certificate.replaced_at is None
    assert len(certificate.code) == 16


@pytest.fixture
def registration(pat):
    return pat.practitioner_profile.registration


def test_suspension_is_recorded_logged_and_emailed_in_one_transaction(
    registration, rana, outbox, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suspended = suspend_registration(registration, rana, "  Investigation of a complaint  ")
    assert suspended.status == RegistrationStatus.SUSPENDED
    assert suspended.status_reason == "Investigation of a complaint"
    assert suspended.version == registration.version + 1
    event = suspended.events.last()
    assert (event.kind, event.actor, event.reason) == (RegistrationEventKind.SUSPENDED, rana, suspended.status_reason)
    assert "-> suspended by user=" in caplog.text
    assert outbox[-1].to == ["pat@example.sa"]
    assert "Investigation of a complaint" in outbox[-1].body


def test_a_suspension_is_lifted_and_a_registration_revoked(registration, rana):
    suspend_registration(registration, rana, "complaint")
    reinstated = reinstate_registration(registration, rana, "complaint dismissed")
    assert reinstated.status == RegistrationStatus.ACTIVE
    revoked = revoke_registration(registration, rana, "struck off")
    assert revoked.status == RegistrationStatus.REVOKED
    kinds = [event.kind for event in revoked.events.all()]
    assert kinds == ["registered", "suspended", "reinstated", "revoked"]


def test_decisions_that_the_status_does_not_allow_change_nothing(registration, rana):
    with pytest.raises(RegistrationStatusChanged):
        reinstate_registration(registration, rana, "not suspended")
    revoke_registration(registration, rana, "struck off")
    for decide in (suspend_registration, reinstate_registration, revoke_registration):
        with pytest.raises(RegistrationStatusChanged):
            decide(registration, rana, "again")
    assert registration.events.count() == 2


def test_a_reason_is_required(registration, rana):
    with pytest.raises(ReasonRequired):
        suspend_registration(registration, rana, "   ")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACTIVE


def test_nobody_suspends_their_own_registration_not_even_a_superuser(rana):
    own = RegistrationFactory(profile__user=UserFactory(is_staff=True, is_superuser=True))
    with pytest.raises(OwnFileRefused):
        suspend_registration(own, own.profile.user, "self")
    own.refresh_from_db()
    assert own.status == RegistrationStatus.ACTIVE
    assert suspend_registration(own, rana, "by a colleague").status == RegistrationStatus.SUSPENDED


def test_the_expired_status_is_read_off_the_date(registration):
    registration.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    registration.save()
    assert public_card(registration).status == "expired"
