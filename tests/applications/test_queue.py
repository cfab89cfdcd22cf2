"""The applications' queue order (applications/queue.py) and its list in the admin: take the
next, hand back, the owner and the service level on the list, the filters, and the supervisor's
reassignment and overdue-first order."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationStatus
from applications.queue import APPLICATIONS, RENEWAL_NEAR_DAYS
from applications.workflow import submit_application
from core.models import AccessAction, AccessRecord
from core.queue import reassign, take_next
from portal.reviewers import ensure_reviewers_group

from ..factories import ApplicationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/applications/application/"


@pytest.fixture
def reem(db):
    reviewer = UserFactory(national_id="1000000057", full_name_ar="ريم", is_staff=True)
    reviewer.groups.add(ensure_reviewers_group(Group, Permission))
    return reviewer


def waiting(submitted_days_ago=0, **fields):
    application = ApplicationFactory(status=ApplicationStatus.SUBMITTED, **fields)
    when = timezone.now() - datetime.timedelta(days=submitted_days_ago)
    ApplicationEvent.objects.create(application=application, from_status="draft", to_status="submitted")
    ApplicationEvent.objects.filter(application=application).update(created_at=when)
    Application.objects.filter(pk=application.pk).update(submitted_at=when, created_at=when)
    return Application.objects.get(pk=application.pk)


def renewal_ending_in(days, submitted_days_ago=0):
    registration = RegistrationFactory(valid_until=timezone.localdate() + datetime.timedelta(days=days))
    return waiting(submitted_days_ago, applicant=registration.profile.user, kind="renewal")


def test_renewals_near_their_last_valid_day_come_first_the_nearest_first(rana):
    today = timezone.localdate()
    oldest_registration = waiting(submitted_days_ago=20)
    far_renewal = renewal_ending_in(RENEWAL_NEAR_DAYS + 40, submitted_days_ago=30)
    near = renewal_ending_in(20, submitted_days_ago=1)
    nearest = renewal_ending_in(3, submitted_days_ago=0)
    lapsed = renewal_ending_in(-5, submitted_days_ago=0)
    order = [take_next(APPLICATIONS, rana, today).pk for _ in range(5)]
    # The far renewal waits its turn by submission, like any registration.
    assert order == [lapsed.pk, nearest.pk, near.pk, far_renewal.pk, oldest_registration.pk]


def test_take_the_next_request_opens_it_assigned_and_recorded(client, rana, alice):
    application = submit_application(ApplicationFactory(applicant=alice), alice, declared=True)
    client.force_login(rana)
    response = client.post(f"{LIST_URL}take-next/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST_URL}{application.pk}/change/"
    assert Application.objects.get(pk=application.pk).assigned_to == rana
    assert AccessRecord.objects.filter(staff=rana, owner=alice, action=AccessAction.VIEWED_APPLICATION).count() == 1
    content = response.content.decode()
    assert "Assigned to you since" in content or "مسند إليك منذ" in content
    assert 'form="hand-back-form"' in content


def test_take_the_next_request_with_nothing_waiting_says_so(client, rana):
    client.force_login(rana)
    response = client.post(f"{LIST_URL}take-next/", follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "لا يوجد طلب منتظر يمكنك أخذه." in response.content.decode()


def test_take_the_next_request_needs_the_review_permission(client, alice):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.post(f"{LIST_URL}take-next/").status_code == 403
    client.force_login(alice)
    assert client.post(f"{LIST_URL}take-next/").status_code == 302  # to the admin's log-in
    assert not Application.objects.filter(assigned_to__isnull=False).exists()


def test_hand_back_from_the_change_page(client, rana, alice):
    application = submit_application(ApplicationFactory(applicant=alice), alice, declared=True)
    take_next(APPLICATIONS, rana, timezone.localdate())
    client.force_login(rana)
    response = client.post(f"{LIST_URL}{application.pk}/hand-back/", follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert Application.objects.get(pk=application.pk).assigned_to is None


def test_a_request_another_holds_shows_no_decision_and_refuses_one(client, rana, reem, alice):
    application = submit_application(ApplicationFactory(applicant=alice), alice, declared=True)
    take_next(APPLICATIONS, reem, timezone.localdate())
    client.force_login(rana)
    content = client.get(f"{LIST_URL}{application.pk}/change/").content.decode()
    assert "مسند إلى ريم" in content
    assert 'value="start_review"' not in content
    assert f"{LIST_URL}{application.pk}/hand-back/" not in content
    response = client.post(f"{LIST_URL}{application.pk}/decide/", {"action": "start_review"}, follow=True)
    assert "هذا الطلب مسند إلى مراجع آخر" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    # Handing back what someone else holds is refused too.
    client.post(f"{LIST_URL}{application.pk}/hand-back/")
    assert Application.objects.get(pk=application.pk).assigned_to == reem


def test_the_list_shows_the_owner_the_clock_and_overdue_in_words(client, rana):
    late = waiting(submitted_days_ago=40)
    take_next(APPLICATIONS, rana, timezone.localdate())
    waiting(submitted_days_ago=0)
    client.force_login(rana)
    content = client.get(LIST_URL).content.decode()
    assert "رنا" in content  # the owner's name
    assert "⚠ متأخر" in content  # in words, not by colour alone
    assert "في الموعد" in content
    assert Application.objects.get(pk=late.pk).assigned_to == rana


def test_the_filters_mine_unassigned_and_overdue(client, rana):
    late = waiting(submitted_days_ago=40)
    fresh = waiting(submitted_days_ago=0)
    mine = waiting(submitted_days_ago=1)
    reassign(APPLICATIONS, mine.pk, rana, rana)
    client.force_login(rana)

    def listed(query):
        response = client.get(f"{LIST_URL}?{query}")
        return {application.pk for application in response.context["cl"].result_list}

    assert listed("assigned=mine") == {mine.pk}
    assert listed("assigned=unassigned") == {late.pk, fresh.pk}
    assert listed("service_level=overdue") == {late.pk}


def test_only_a_supervisor_may_reassign_and_sees_the_overdue_first(client, rana, sami, reem):
    fresh = waiting(submitted_days_ago=0)
    late = waiting(submitted_days_ago=40)
    ApplicationFactory()  # a draft, ordered last anyway
    client.force_login(rana)
    assert "reassign_selected" not in client.get(LIST_URL).content.decode()
    client.force_login(sami)
    response = client.get(LIST_URL)
    rows = [application.pk for application in response.context["cl"].result_list]
    assert rows[0] == late.pk  # though the list's own order is newest submission first
    page = client.post(LIST_URL, {"action": "reassign_selected", "_selected_action": [fresh.pk, late.pk]})
    assert page.status_code == 200
    assert '<label for="id_reviewer">' in page.content.decode()
    client.cookies["mumaris_language"] = "en"
    done = client.post(
        LIST_URL,
        {"action": "reassign_selected", "_selected_action": [fresh.pk, late.pk], "reviewer": reem.pk, "apply": "yes"},
        follow=True,
    )
    assert set(Application.objects.filter(assigned_to=reem).values_list("pk", flat=True)) == {fresh.pk, late.pk}
    assert "2 requests reassigned." in done.content.decode()
    del client.cookies["mumaris_language"]
    one = client.post(
        LIST_URL,
        {"action": "reassign_selected", "_selected_action": [late.pk], "reviewer": sami.pk, "apply": "yes"},
        follow=True,
    )
    assert "أُعيد إسناد طلب واحد." in one.content.decode()


def test_a_reviewer_cannot_reassign_by_posting_the_action(client, rana, reem):
    application = waiting()
    client.force_login(rana)
    client.post(
        LIST_URL,
        {"action": "reassign_selected", "_selected_action": [application.pk], "reviewer": reem.pk, "apply": "yes"},
    )
    assert Application.objects.get(pk=application.pk).assigned_to is None
