"""The review queue (core/queue.py): take the next, hand back, reassign, and deciding what another
reviewer holds. The kinds are the apps' own queues; the rules are the same for each.

Rana and Reem review; Sami supervises; Alice, Bob and Pat are the people whose files wait.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from applications.cpd import accept_activity
from applications.models import ActivityStatus, Application, ApplicationStatus, CPDActivity
from applications.queue import ACTIVITIES, APPLICATIONS
from applications.workflow import approve_application, return_application, start_review, submit_application
from core.queue import (
    CannotTakeOwnFile,
    HeldByAnother,
    MayNotDecide,
    NoLongerWaiting,
    NotHeldByYou,
    QueueClock,
    QueueFull,
    hand_back,
    held_count,
    overdue_before,
    queue_clock,
    reassign,
    reviewers_for,
    take_next,
)
from core.service_levels import standing
from portal.reviewers import ensure_reviewers_group
from profiles.models import DataUpdateRequest
from profiles.queue import UPDATE_REQUESTS
from profiles.workflow import reject_update_request

from ..factories import ApplicationFactory, CPDActivityFactory, DataUpdateRequestFactory, UserFactory

TODAY = datetime.date(2026, 12, 6)  # a Sunday
NO_HOLIDAYS = frozenset()


@pytest.fixture
def reem(db):
    reviewer = UserFactory(national_id="1000000057", full_name_ar="ريم", is_staff=True)
    reviewer.groups.add(ensure_reviewers_group(Group, Permission))
    return reviewer


def waiting_application(applicant=None):
    application = ApplicationFactory(**({"applicant": applicant} if applicant else {}))
    return submit_application(application, application.applicant, declared=True)


def test_overdue_before_is_the_first_start_day_still_on_time():
    # 5 working days from Sunday 29 November: due Sunday 6 December, overdue from Monday 7.
    first_on_time = overdue_before(datetime.date(2026, 12, 7), 5, NO_HOLIDAYS)
    assert first_on_time == datetime.date(2026, 11, 30)
    assert standing(
        ((first_on_time - datetime.timedelta(days=1), None),), 5, datetime.date(2026, 12, 7), NO_HOLIDAYS
    ).overdue
    assert not standing(((first_on_time, None),), 5, datetime.date(2026, 12, 7), NO_HOLIDAYS).overdue


def test_queue_clock_counts_working_days_left_and_marks_the_overdue():
    on_time = standing(((datetime.date(2026, 12, 3), None),), 5, TODAY, NO_HOLIDAYS)  # Thursday
    assert queue_clock(on_time, TODAY, NO_HOLIDAYS) == QueueClock(waited_days=1, left_days=4, overdue=False)
    late = standing(((datetime.date(2026, 11, 1), None),), 5, TODAY, NO_HOLIDAYS)
    assert queue_clock(late, TODAY, NO_HOLIDAYS) == QueueClock(waited_days=25, left_days=0, overdue=True)
    paused = standing(((datetime.date(2026, 11, 1), datetime.date(2026, 11, 3)),), 5, TODAY, NO_HOLIDAYS)
    assert queue_clock(paused, TODAY, NO_HOLIDAYS).left_days is None
    assert queue_clock(None, TODAY, NO_HOLIDAYS) is None


def test_take_next_gives_the_oldest_unassigned_request(rana, alice, bob):
    older = waiting_application(alice)
    waiting_application(bob)
    Application.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    taken = take_next(APPLICATIONS, rana, timezone.localdate())
    assert taken.pk == older.pk
    older.refresh_from_db()
    assert older.assigned_to == rana
    assert older.assigned_at is not None


def test_take_next_skips_the_reviewers_own_file_and_assigned_ones(rana, reem, alice):
    waiting_application(rana)  # Rana applied herself
    held = waiting_application(alice)
    reassign(APPLICATIONS, held.pk, reem, reem)
    assert take_next(APPLICATIONS, rana, timezone.localdate()) is None


def test_take_next_without_anything_waiting_gives_nothing(rana):
    ApplicationFactory()  # a draft is not waiting
    assert take_next(APPLICATIONS, rana, timezone.localdate()) is None


def test_a_reviewer_holds_at_most_review_max_open_across_kinds(settings, rana, pat):
    settings.REVIEW_MAX_OPEN = 2
    waiting_application()
    DataUpdateRequestFactory(profile=pat.practitioner_profile)
    CPDActivityFactory()
    assert take_next(APPLICATIONS, rana, TODAY) is not None
    assert take_next(UPDATE_REQUESTS, rana, TODAY) is not None
    assert held_count(rana) == 2
    with pytest.raises(QueueFull):
        take_next(ACTIVITIES, rana, TODAY)
    assert not CPDActivity.objects.filter(assigned_to=rana).exists()


def test_a_decided_request_no_longer_counts_against_the_cap(settings, rana, alice):
    settings.REVIEW_MAX_OPEN = 1
    waiting_application(alice)
    taken = take_next(APPLICATIONS, rana, TODAY)
    start_review(taken, rana)
    approve_application(taken, rana)
    assert held_count(rana) == 0


def test_hand_back_puts_the_request_back_unassigned(rana, reem, alice):
    application = waiting_application(alice)
    take_next(APPLICATIONS, rana, TODAY)
    with pytest.raises(NotHeldByYou):
        hand_back(APPLICATIONS, application.pk, reem)
    hand_back(APPLICATIONS, application.pk, rana)
    application.refresh_from_db()
    assert application.assigned_to is None
    assert application.assigned_at is None


def test_reassign_refuses_the_files_owner_a_non_reviewer_and_a_full_reviewer(settings, sami, rana, reem, alice):
    application = waiting_application(alice)
    ranas_own = waiting_application(rana)
    with pytest.raises(CannotTakeOwnFile):
        reassign(APPLICATIONS, ranas_own.pk, rana, sami)
    with pytest.raises(MayNotDecide):
        reassign(APPLICATIONS, application.pk, alice, sami)
    settings.REVIEW_MAX_OPEN = 1
    reassign(APPLICATIONS, application.pk, reem, sami)
    other = waiting_application()
    with pytest.raises(QueueFull):
        reassign(APPLICATIONS, other.pk, reem, sami)
    reassign(APPLICATIONS, application.pk, None, sami)
    application.refresh_from_db()
    assert application.assigned_to is None


def test_reassign_refuses_a_request_no_longer_waiting(sami, rana):
    application = ApplicationFactory(status=ApplicationStatus.APPROVED)
    with pytest.raises(NoLongerWaiting):
        reassign(APPLICATIONS, application.pk, rana, sami)


def test_a_reviewer_cannot_decide_a_request_another_holds(rana, reem, alice):
    application = waiting_application(alice)
    reassign(APPLICATIONS, application.pk, reem, reem)
    with pytest.raises(HeldByAnother):
        start_review(application, rana)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_a_supervisor_may_decide_a_request_another_holds_and_it_is_released(sami, reem, alice):
    application = waiting_application(alice)
    reassign(APPLICATIONS, application.pk, reem, sami)
    start_review(application, sami)
    assert Application.objects.get(pk=application.pk).assigned_to == reem  # starting keeps the owner
    approved = approve_application(application, sami)
    assert approved.assigned_to is None
    assert approved.events.get(to_status=ApplicationStatus.APPROVED).actor == sami


def test_returning_an_application_takes_it_off_the_queue_and_its_owner(rana, alice):
    waiting_application(alice)
    taken = take_next(APPLICATIONS, rana, TODAY)
    start_review(taken, rana)
    returned = return_application(taken, rana, "صورة الإقامة غير واضحة")
    assert returned.assigned_to is None
    assert held_count(rana) == 0


def test_deciding_clears_the_owner_of_update_requests_and_activities(rana, reem, pat):
    update_request = DataUpdateRequestFactory(profile=pat.practitioner_profile)
    activity = CPDActivityFactory()
    take_next(UPDATE_REQUESTS, rana, TODAY)
    take_next(ACTIVITIES, rana, TODAY)
    with pytest.raises(HeldByAnother):
        reject_update_request(update_request, reem, "no")
    with pytest.raises(HeldByAnother):
        accept_activity(activity, reem)
    reject_update_request(update_request, rana, "لا يطابق الهوية")
    accept_activity(activity, rana)
    assert DataUpdateRequest.objects.get(pk=update_request.pk).assigned_to is None
    activity.refresh_from_db()
    assert (activity.status, activity.assigned_to, activity.decided_by) == (ActivityStatus.ACCEPTED, None, rana)


def test_reviewers_for_lists_active_staff_who_may_decide(rana, reem, sami, alice):
    assert set(reviewers_for(APPLICATIONS)) == {rana, reem, sami}
