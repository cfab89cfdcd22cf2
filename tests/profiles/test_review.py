"""Reviewers decide on data-update requests in the admin; approval applies them safely."""

import pytest

from core.decisions import ReasonRequired
from profiles.models import ProfileChange, RequestStatus
from profiles.workflow import (
    ProfileChangedSinceRequest,
    RequestAlreadyDecided,
    approve_update_request,
    reject_update_request,
)

from ..factories import DataUpdateRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def update_request(pat):
    return DataUpdateRequestFactory(
        profile=pat.practitioner_profile,
        changes={"mobile": {"old": "+966501234567", "new": "+966559876543"}, "city": {"old": "الرياض", "new": "جدة"}},
    )


@pytest.fixture
def reviewer_client(client, rana):
    client.force_login(rana)
    return client


def decide(client, update_request, action, reason=""):
    return client.post(
        f"/admin/profiles/dataupdaterequest/{update_request.pk}/decide/",
        {"action": action, "reason": reason, "confirmed": "yes"},
        follow=True,
    )


def test_approval_applies_every_change_and_records_history(
    rana, update_request, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_update_request(update_request, rana)
    profile = update_request.profile
    profile.refresh_from_db()
    assert (profile.mobile, profile.city) == ("+966559876543", "جدة")
    assert profile.version == update_request.base_version + 1
    history = {
        change.field: (change.old_value, change.new_value, change.reviewer) for change in ProfileChange.objects.all()
    }
    assert history == {"mobile": ("+966501234567", "+966559876543", rana), "city": ("الرياض", "جدة", rana)}
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.APPROVED
    assert update_request.decided_by == rana
    assert update_request.decided_at is not None
    assert outbox[-1].to == [profile.user.email]


def test_approval_is_refused_when_the_profile_changed_since(rana, update_request):
    profile = update_request.profile
    profile.version += 1
    profile.mobile = "+966511111111"
    profile.save()
    with pytest.raises(ProfileChangedSinceRequest):
        approve_update_request(update_request, rana)
    profile.refresh_from_db()
    assert profile.mobile == "+966511111111"
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.PENDING


def test_reject_needs_a_reason(rana, update_request):
    with pytest.raises(ReasonRequired):
        reject_update_request(update_request, rana, " ")
    reject_update_request(update_request, rana, "رقم الجوال غير صحيح")
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.REJECTED
    assert update_request.reason == "رقم الجوال غير صحيح"


def test_a_decided_request_cannot_be_decided_again(rana, update_request):
    approve_update_request(update_request, rana)
    with pytest.raises(RequestAlreadyDecided):
        reject_update_request(update_request, rana, "late")


def test_admin_review_page_shows_old_and_new(reviewer_client, update_request):
    content = reviewer_client.get(f"/admin/profiles/dataupdaterequest/{update_request.pk}/change/").content.decode()
    assert "+966501234567" in content
    assert "+966559876543" in content
    assert 'value="approve"' in content


def test_admin_approve_and_conflict_message(reviewer_client, update_request):
    profile = update_request.profile
    profile.version += 1
    profile.save()
    response = decide(reviewer_client, update_request, "approve")
    assert any(message.level_tag == "error" for message in response.context["messages"])
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.PENDING


def test_admin_reject_without_reason_is_refused(reviewer_client, update_request):
    decide(reviewer_client, update_request, "reject")
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.PENDING


def test_admin_approve(reviewer_client, update_request):
    decide(reviewer_client, update_request, "approve")
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.APPROVED


@pytest.mark.parametrize("term", ["{number}", "{membership}", "{hyphenated}", "{national_id}", "بات"])
def test_admin_search(reviewer_client, update_request, term):
    DataUpdateRequestFactory()
    profile = update_request.profile
    query = term.format(
        number=update_request.number,
        membership=profile.membership_number,
        hyphenated=profile.display_membership_number,
        national_id=profile.user.national_id,
    )
    response = reviewer_client.get("/admin/profiles/dataupdaterequest/", {"q": query})
    assert list(response.context["cl"].result_list) == [update_request]


def test_admin_filter_by_status(reviewer_client, update_request, rana):
    other = DataUpdateRequestFactory()
    approve_update_request(other, rana)
    response = reviewer_client.get("/admin/profiles/dataupdaterequest/", {"status": "pending"})
    assert list(response.context["cl"].result_list) == [update_request]


def test_profile_history_is_visible_in_the_admin(reviewer_client, rana, update_request):
    approve_update_request(update_request, rana)
    content = reviewer_client.get(
        f"/admin/profiles/practitionerprofile/{update_request.profile.pk}/change/"
    ).content.decode()
    assert "+966559876543" in content
    assert update_request.number in content


def test_applicant_cannot_decide(client, alice, update_request):
    client.force_login(alice)
    client.post(f"/admin/profiles/dataupdaterequest/{update_request.pk}/decide/", {"action": "approve"})
    update_request.refresh_from_db()
    assert update_request.status == RequestStatus.PENDING
