"""Nobody decides on their own file: not in the workflow, not in the admin, not as a superuser."""

from functools import partial

import pytest
from django.utils import translation

from applications.models import Application, ApplicationStatus
from applications.workflow import approve_application, reject_application, start_review
from core.decisions import OwnFileRefused
from profiles.models import PractitionerProfile, RequestStatus
from profiles.workflow import approve_update_request, reject_update_request

from .factories import ApplicationFactory, DataUpdateRequestFactory, PractitionerProfileFactory

pytestmark = pytest.mark.django_db
OWN_FILE_EN = "You made this application or request yourself, so you cannot decide on it."


@pytest.fixture
def own_application(rana):
    return ApplicationFactory(applicant=rana, status=ApplicationStatus.SUBMITTED)


@pytest.fixture
def own_update_request(rana):
    profile = PractitionerProfileFactory(user=rana)
    return DataUpdateRequestFactory(profile=profile, changes={"city": {"old": "الرياض", "new": "جدة"}})


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (ApplicationStatus.SUBMITTED, start_review),
        (ApplicationStatus.UNDER_REVIEW, approve_application),
        (ApplicationStatus.UNDER_REVIEW, partial(reject_application, reason="x")),
    ],
)
def test_workflow_refuses_a_decision_on_ones_own_application(rana, status, decide, caplog):
    application = ApplicationFactory(applicant=rana, status=status)
    caplog.set_level("WARNING", logger="mumaris.security")
    with pytest.raises(OwnFileRefused):
        decide(application, rana)
    application.refresh_from_db()
    assert application.status == status
    assert not application.events.exists()
    assert not PractitionerProfile.objects.filter(user=rana).exists()
    assert f"decision refused: own file {application.reference} user={rana.pk}" in caplog.text


def test_a_superuser_is_no_exception(own_application, rana):
    rana.is_superuser = True
    rana.save()
    with pytest.raises(OwnFileRefused):
        start_review(own_application, rana)


def test_another_reviewer_may_decide(own_application, rana):
    from .factories import UserFactory

    colleague = UserFactory(is_staff=True)
    assert start_review(own_application, colleague).status == ApplicationStatus.UNDER_REVIEW


def test_workflow_refuses_a_decision_on_ones_own_update_request(own_update_request, rana, caplog):
    caplog.set_level("WARNING", logger="mumaris.security")
    with pytest.raises(OwnFileRefused):
        approve_update_request(own_update_request, rana)
    with pytest.raises(OwnFileRefused):
        reject_update_request(own_update_request, rana, "لا")
    own_update_request.refresh_from_db()
    assert own_update_request.status == RequestStatus.PENDING
    assert f"own file {own_update_request.number}" in caplog.text


def test_admin_shows_ones_own_application_read_only_with_the_reason(client, rana, own_application):
    client.force_login(rana)
    client.cookies["mumaris_language"] = "en"
    response = client.get(f"/admin/applications/application/{own_application.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert OWN_FILE_EN in page
    assert 'name="action"' not in page


def test_admin_refuses_a_posted_decision_on_ones_own_application(client, rana, own_application):
    client.force_login(rana)
    response = client.post(
        f"/admin/applications/application/{own_application.pk}/decide/", {"action": "start_review"}, follow=True
    )
    with translation.override("ar"):
        assert str(OwnFileRefused.message) in response.content.decode()
    assert Application.objects.get(pk=own_application.pk).status == ApplicationStatus.SUBMITTED


def test_admin_refuses_a_posted_decision_on_ones_own_update_request(client, rana, own_update_request):
    client.force_login(rana)
    client.cookies["mumaris_language"] = "en"
    page = client.get(f"/admin/profiles/dataupdaterequest/{own_update_request.pk}/change/").content.decode()
    assert OWN_FILE_EN in page
    assert 'name="action"' not in page
    response = client.post(
        f"/admin/profiles/dataupdaterequest/{own_update_request.pk}/decide/", {"action": "approve"}, follow=True
    )
    assert OWN_FILE_EN in response.content.decode()
    own_update_request.refresh_from_db()
    assert own_update_request.status == RequestStatus.PENDING


@pytest.mark.parametrize(
    "base",
    ["/admin/applications/application/", "/admin/profiles/dataupdaterequest/", "/admin/profiles/practitionerprofile/"],
)
@pytest.mark.parametrize("suffix", ["change/", "history/"])
def test_admin_pages_answer_403_before_404_and_never_500(client, rana, base, suffix):
    from .factories import UserFactory

    client.force_login(rana)
    assert client.get(f"{base}abc/{suffix}").status_code == 404
    assert client.get(f"{base}999999/{suffix}").status_code == 404
    client.force_login(UserFactory(is_staff=True))  # staff, without the review permissions
    assert client.get(f"{base}abc/{suffix}").status_code == 403
    assert client.get(f"{base}999999/{suffix}").status_code == 403


def test_admin_has_no_view_on_site_link(client, rana, alice):
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    client.force_login(rana)
    page = client.get(f"/admin/applications/application/{application.pk}/change/").content.decode()
    assert "viewsitelink" not in page
    assert f'href="{application.get_absolute_url()}"' not in page
