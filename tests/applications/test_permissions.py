"""Who reaches which application page: Alice (owner), Bob (another applicant), Rana (reviewer), anonymous."""

import pytest

from applications.models import ApplicationStatus

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db

APPLICANT_PAGES = ["/applications/{ref}/", "/applications/{ref}/edit/"]


@pytest.fixture
def application(alice):
    return ApplicationFactory(applicant=alice)


@pytest.mark.parametrize("template", APPLICANT_PAGES)
def test_owner_sees_her_pages(client, alice, application, template):
    client.force_login(alice)
    assert client.get(template.format(ref=application.reference)).status_code == 200


@pytest.mark.parametrize("template", [*APPLICANT_PAGES, "/applications/{ref}/submit/"])
def test_another_applicant_gets_404(client, bob, application, template):
    client.force_login(bob)
    method = client.post if template.endswith("submit/") else client.get
    assert method(template.format(ref=application.reference)).status_code == 404


def test_another_applicant_cannot_submit(client, bob, application):
    client.force_login(bob)
    client.post(f"/applications/{application.reference}/submit/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("template", [*APPLICANT_PAGES, "/requests/", "/applications/new/"])
def test_anonymous_is_sent_to_log_in(client, application, template):
    response = client.get(template.format(ref=application.reference))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_reviewer_sees_the_application_in_the_admin(client, rana, application):
    client.force_login(rana)
    assert client.get(f"/admin/applications/application/{application.pk}/change/").status_code == 200


def test_applicant_cannot_open_the_admin(client, alice, application):
    client.force_login(alice)
    response = client.get(f"/admin/applications/application/{application.pk}/change/", follow=True)
    assert response.status_code == 403
    assert application.reference not in response.content.decode()


def test_unknown_reference_is_404(client, alice):
    client.force_login(alice)
    assert client.get("/applications/REG-1999-000001/").status_code == 404
