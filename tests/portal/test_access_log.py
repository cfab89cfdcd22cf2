"""Every look by staff at a person's file leaves a trace; the person sees it, staff unnamed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.models import AccessAction, AccessRecord
from profiles.models import RequestStatus
from registration.models import ApplicationStatus

from ..factories import ApplicationFactory, DataUpdateRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(alice):
    return ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)


def test_opening_an_application_in_the_admin_is_recorded_once(client, rana, alice, application):
    client.force_login(rana)
    client.get("/admin/registration/application/")  # the list records nothing
    client.get(f"/admin/registration/application/{application.pk}/change/", REMOTE_ADDR="10.1.2.3")
    record = AccessRecord.objects.get()
    assert (record.staff, record.owner, record.action) == (rana, alice, AccessAction.VIEWED_APPLICATION)
    assert (record.target, record.client_address) == (application.reference, "10.1.2.3")


def test_documents_decisions_requests_and_profiles_are_recorded(client, rana, alice, pat, application):
    client.force_login(rana)
    client.get(f"/applications/{application.reference}/documents/employer_letter/")
    client.post(f"/admin/registration/application/{application.pk}/decide/", {"action": "start_review"})
    update_request = DataUpdateRequestFactory(profile=pat.practitioner_profile, status=RequestStatus.PENDING)
    client.get(f"/admin/profiles/dataupdaterequest/{update_request.pk}/change/")
    client.get(f"/admin/profiles/practitionerprofile/{pat.practitioner_profile.pk}/change/")
    assert list(AccessRecord.objects.order_by("at", "pk").values_list("owner", "action", "target")) == [
        (alice.pk, AccessAction.DOWNLOADED_DOCUMENT, f"{application.reference}/employer_letter"),
        (alice.pk, AccessAction.DECIDED, application.reference),
        (pat.pk, AccessAction.VIEWED_UPDATE_REQUEST, update_request.number),
        (pat.pk, AccessAction.VIEWED_PROFILE, pat.practitioner_profile.membership_number),
    ]


def test_the_owner_downloading_their_own_document_is_not_recorded(alice_client, application):
    alice_client.get(f"/applications/{application.reference}/documents/employer_letter/")
    assert not AccessRecord.objects.exists()


def test_the_owner_sees_who_opened_their_file_without_staff_names(client, rana, alice, bob, application):
    client.force_login(rana)
    client.get(f"/admin/registration/application/{application.pk}/change/")
    client.get(f"/applications/{application.reference}/documents/employer_letter/")
    other = ApplicationFactory(applicant=bob, status=ApplicationStatus.SUBMITTED)
    client.get(f"/admin/registration/application/{other.pk}/change/")
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/access-log/").content.decode()
    reference = f'<bdi dir="ltr" class="nowrap">{application.reference}</bdi>'
    assert f"A reviewer opened your registration application {reference}." in page
    assert "A reviewer downloaded your Employer&#x27;s letter of introduction" in page
    assert other.reference not in page
    assert rana.full_name_ar not in page
    assert 'href="/my-data/access-log/"' in client.get("/accounts/account/").content.decode()


def test_only_superusers_see_the_log_and_nobody_edits_it(client, rana, alice, application):
    client.force_login(rana)
    client.get(f"/admin/registration/application/{application.pk}/change/")
    record = AccessRecord.objects.get()
    assert client.get("/admin/portal/accessrecord/").status_code == 403
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/portal/accessrecord/").status_code == 200
    assert client.get(f"/admin/portal/accessrecord/?q={alice.national_id}").status_code == 200
    assert client.get(f"/admin/portal/accessrecord/{record.pk}/change/").status_code == 200
    assert client.post(f"/admin/portal/accessrecord/{record.pk}/delete/").status_code == 403
    assert client.get("/admin/portal/accessrecord/add/").status_code == 403
    assert AccessRecord.objects.count() == 1


def test_records_past_the_retention_are_pruned(rana, alice, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 400
    old, recent = (
        AccessRecord.objects.create(staff=rana, owner=alice, action=AccessAction.VIEWED_PROFILE) for _ in range(2)
    )
    AccessRecord.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=401))
    call_command("prune_access_log")
    call_command("prune_access_log")  # a second server: nothing more
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]
