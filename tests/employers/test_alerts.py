"""The morning email: what changed yesterday, once per organisation per day, computed set-wise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboundEmail
from employers.alerts import ChangeKind, changes_by_organisation, day_bounds, send_daily_alerts
from employers.models import DailyAlert, OrganisationStatus, WatchedPractitioner
from registry.models import RegistrationEvent, RegistrationEventKind, RegistrationStatus

from ..factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def event(registration, kind, day):
    created = RegistrationEvent.objects.create(
        registration=registration, kind=kind, valid_until=registration.valid_until
    )
    RegistrationEvent.objects.filter(pk=created.pk).update(at=day_bounds(day)[0] + timedelta(hours=10))


def watch(organisation, *registrations):
    for registration in registrations:
        WatchedPractitioner.objects.create(organisation=organisation, practitioner=registration)


@pytest.fixture
def changed():
    """One registration for each kind of change, all yesterday, and one that did not change."""
    suspended = RegistrationFactory(status=RegistrationStatus.SUSPENDED)
    event(suspended, RegistrationEventKind.SUSPENDED, YESTERDAY)
    renewed = RegistrationFactory()
    event(renewed, RegistrationEventKind.RENEWED, YESTERDAY)
    revoked_long_ago = RegistrationFactory(status=RegistrationStatus.REVOKED)
    event(revoked_long_ago, RegistrationEventKind.REVOKED, TODAY - timedelta(days=5))
    return {
        "suspended": suspended,
        "renewed": renewed,
        "expired": RegistrationFactory(valid_until=YESTERDAY),
        "expiring": RegistrationFactory(valid_until=TODAY + timedelta(days=30)),
        "unchanged": revoked_long_ago,
    }


def test_each_kind_of_change_is_listed_for_the_organisation_that_watches(hospital, changed):
    watch(hospital, *changed.values())
    changes = changes_by_organisation(TODAY)[hospital.pk]
    assert [change.kind for change in changes] == [
        ChangeKind.SUSPENDED,
        ChangeKind.EXPIRED,
        ChangeKind.EXPIRING,
        ChangeKind.RENEWED,
    ]
    assert send_daily_alerts(TODAY) == 1
    email = OutboundEmail.objects.get()
    assert email.to_address == hospital.contact_email
    assert email.key == f"employers-daily-alert:{hospital.pk}:{TODAY.isoformat()}"
    for kind in ("suspended", "renewed", "expired", "expiring"):
        assert changed[kind].profile.display_membership_number in email.text_body
    assert changed["unchanged"].profile.display_membership_number not in email.text_body


def test_nothing_is_sent_when_nothing_changed(hospital, changed):
    watch(hospital, changed["unchanged"])
    assert send_daily_alerts(TODAY) == 0
    assert not OutboundEmail.objects.exists()
    assert not DailyAlert.objects.exists()


def test_one_email_per_organisation_per_day_however_often_the_job_runs(hospital, changed):
    watch(hospital, changed["suspended"], changed["expired"])
    assert send_daily_alerts(TODAY) == 1
    assert send_daily_alerts(TODAY) == 0
    assert OutboundEmail.objects.count() == 1
    assert DailyAlert.objects.get().change_count == 2


def test_an_organisation_not_approved_is_not_emailed(changed):
    pending = OrganisationFactory(status=OrganisationStatus.PENDING)
    watch(pending, changed["suspended"])
    assert send_daily_alerts(TODAY) == 0


def test_other_organisations_get_only_their_own_changes(hospital, changed):
    clinic = OrganisationFactory()
    watch(hospital, changed["suspended"])
    watch(clinic, changed["renewed"])
    assert send_daily_alerts(TODAY) == 2
    clinic_email = OutboundEmail.objects.get(to_address=clinic.contact_email)
    assert changed["renewed"].profile.display_membership_number in clinic_email.text_body
    assert changed["suspended"].profile.display_membership_number not in clinic_email.text_body


def test_the_queries_do_not_grow_with_the_practitioners_watched(hospital, django_assert_num_queries):
    registrations = [RegistrationFactory(valid_until=YESTERDAY) for _ in range(20)]
    watch(hospital, *registrations)
    with django_assert_num_queries(4):
        changes = changes_by_organisation(TODAY)
    assert len(changes[hospital.pk]) == 20


def test_a_chunk_claimed_by_another_server_at_the_same_moment_is_tried_again(hospital, changed):
    from unittest import mock

    from django.db import IntegrityError

    watch(hospital, changed["suspended"])
    real_bulk_create = DailyAlert.objects.bulk_create
    calls = []

    def racing_bulk_create(alerts):
        calls.append(alerts)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint employers_one_alert_a_day")
        return real_bulk_create(alerts)

    with mock.patch.object(DailyAlert.objects, "bulk_create", side_effect=racing_bulk_create):
        assert send_daily_alerts(TODAY) == 1
    assert len(calls) == 2
    assert OutboundEmail.objects.count() == 1
