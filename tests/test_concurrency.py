"""Two reviewers deciding at the same moment, on PostgreSQL (SQLite serialises writers anyway).

Each test starts two threads that wait at a barrier, then call the same workflow function on
their own database connection. Exactly one must win; nothing may be written twice.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from applications.models import Application, ApplicationStatus
from applications.workflow import IllegalTransition, approve_application, start_review, submit_application
from profiles.models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus
from profiles.workflow import PendingRequestExists, RequestAlreadyDecided, approve_update_request, create_update_request

from .factories import ApplicationFactory, DataUpdateRequestFactory

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL (CI's second pass)"
    ),
]


def run_at_once(*calls):
    """Run each call in its own thread, released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001  (the outcome is what the test inspects)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_reviewers_approving_one_application(alice, rana, bob):
    application = ApplicationFactory(applicant=alice)
    submit_application(application, alice, declared=True)
    start_review(application, rana)
    outcomes = run_at_once(
        lambda: approve_application(application, rana), lambda: approve_application(application, bob)
    )
    assert sum(isinstance(outcome, Application) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, IllegalTransition) for outcome in outcomes) == 1
    assert PractitionerProfile.objects.filter(user=alice).count() == 1
    assert Application.objects.get(pk=application.pk).events.filter(to_status=ApplicationStatus.APPROVED).count() == 1


def test_approving_many_applications_at_once_gives_unique_membership_numbers(rana):
    applications = []
    for _ in range(6):
        application = ApplicationFactory()
        submit_application(application, application.applicant, declared=True)
        applications.append(start_review(application, rana))
    outcomes = run_at_once(*[lambda app=app: approve_application(app, rana) for app in applications])
    assert all(isinstance(outcome, Application) for outcome in outcomes), outcomes
    numbers = list(PractitionerProfile.objects.values_list("membership_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 6


def test_two_reviewers_approving_one_update_request(pat, rana, bob):
    update_request = DataUpdateRequestFactory(profile=pat.practitioner_profile)
    outcomes = run_at_once(
        lambda: approve_update_request(update_request, rana), lambda: approve_update_request(update_request, bob)
    )
    assert sum(isinstance(outcome, DataUpdateRequest) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, RequestAlreadyDecided) for outcome in outcomes) == 1
    profile = PractitionerProfile.objects.get(pk=pat.practitioner_profile.pk)
    assert profile.version == update_request.base_version + 1
    assert ProfileChange.objects.count() == 1
    assert DataUpdateRequest.objects.get(pk=update_request.pk).status == RequestStatus.APPROVED


def test_the_same_submission_posted_twice_at_once_submits_once(alice):
    from django.test import Client

    application = ApplicationFactory(applicant=alice)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(alice)
    url = f"/applications/{application.reference}/check/"
    outcomes = run_at_once(
        *[lambda browser=browser: browser.post(url, {"declaration": "on"}).status_code for browser in browsers]
    )
    assert outcomes == [302, 302]
    assert Application.objects.get(pk=application.pk).events.filter(to_status=ApplicationStatus.SUBMITTED).count() == 1


def test_a_withdrawal_and_a_reviewer_taking_it_at_once_one_wins(alice, rana):
    from applications.queue import APPLICATIONS
    from applications.workflow import NotWithdrawable, withdraw_application
    from core.queue import take_next

    application = submit_application(ApplicationFactory(applicant=alice), alice, declared=True)
    outcomes = run_at_once(
        lambda: withdraw_application(application, alice), lambda: take_next(APPLICATIONS, rana, timezone.localdate())
    )
    application.refresh_from_db()
    if application.status == ApplicationStatus.WITHDRAWN:
        assert application.assigned_to_id is None  # taken by nobody: the queue no longer offered it
        assert outcomes[1] is None
    else:
        assert isinstance(outcomes[0], NotWithdrawable)
        assert application.assigned_to_id == rana.pk


def test_complete_request_twice_at_once_makes_one_request(pat):
    profile = pat.practitioner_profile
    changes = {"city": {"old": profile.city, "new": "الدمام"}}
    outcomes = run_at_once(*[lambda: create_update_request(profile, changes, profile.version) for _ in range(2)])
    assert sum(isinstance(outcome, DataUpdateRequest) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, PendingRequestExists) for outcome in outcomes) == 1
    assert DataUpdateRequest.objects.filter(profile=profile).count() == 1


def test_two_workers_sending_the_renewal_reminders_at_once(pat):
    import datetime

    from django.utils import timezone

    from applications.reminders import send_renewal_reminders
    from core.models import OutboundEmail

    registration = pat.practitioner_profile.registration
    registration.valid_until = timezone.localdate() + datetime.timedelta(days=30)
    registration.save()
    today = timezone.localdate()
    outcomes = run_at_once(lambda: send_renewal_reminders(today), lambda: send_renewal_reminders(today))
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert OutboundEmail.objects.filter(key__startswith="renewal-reminder:").count() == 1


def test_two_reviewers_taking_the_next_request_at_once_get_different_ones(rana):
    """SKIP LOCKED: the second reviewer passes over the row the first is taking."""
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from applications.queue import APPLICATIONS
    from core.queue import take_next
    from portal.reviewers import ensure_reviewers_group

    from .factories import UserFactory

    reem = UserFactory(national_id="1000000057", is_staff=True)
    reem.groups.add(ensure_reviewers_group(Group, Permission))
    first, second = (
        submit_application(application, application.applicant, declared=True)
        for application in ApplicationFactory.create_batch(2)
    )
    today = timezone.localdate()
    outcomes = run_at_once(lambda: take_next(APPLICATIONS, rana, today), lambda: take_next(APPLICATIONS, reem, today))
    assert all(isinstance(outcome, Application) for outcome in outcomes), outcomes
    assert {outcome.pk for outcome in outcomes} == {first.pk, second.pk}
    assert {Application.objects.get(pk=pk).assigned_to_id for pk in (first.pk, second.pk)} == {rana.pk, reem.pk}


def test_two_reviewers_racing_for_the_last_request_one_gets_it(rana):
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from applications.queue import APPLICATIONS
    from core.queue import take_next
    from portal.reviewers import ensure_reviewers_group

    from .factories import UserFactory

    reem = UserFactory(national_id="1000000057", is_staff=True)
    reem.groups.add(ensure_reviewers_group(Group, Permission))
    application = ApplicationFactory()
    submit_application(application, application.applicant, declared=True)
    today = timezone.localdate()
    outcomes = run_at_once(lambda: take_next(APPLICATIONS, rana, today), lambda: take_next(APPLICATIONS, reem, today))
    assert sorted(isinstance(outcome, Application) for outcome in outcomes) == [False, True], outcomes
    assert outcomes.count(None) == 1
    assert Application.objects.get(pk=application.pk).assigned_to_id in {rana.pk, reem.pk}


def test_one_reviewer_pressing_twice_at_once_stays_within_the_cap(settings, rana):
    from django.utils import timezone

    from applications.queue import APPLICATIONS
    from core.queue import QueueFull, take_next

    settings.REVIEW_MAX_OPEN = 1
    for application in ApplicationFactory.create_batch(2):
        submit_application(application, application.applicant, declared=True)
    today = timezone.localdate()
    outcomes = run_at_once(lambda: take_next(APPLICATIONS, rana, today), lambda: take_next(APPLICATIONS, rana, today))
    assert sum(isinstance(outcome, Application) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, QueueFull) for outcome in outcomes) == 1
    assert Application.objects.filter(assigned_to=rana).count() == 1
