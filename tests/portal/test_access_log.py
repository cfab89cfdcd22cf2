"""Every look by staff at a person's file leaves a trace; the person sees it, staff unnamed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import ApplicationStatus
from core.models import AccessAction, AccessRecord, StaffSearch
from devtools.demo import SUBMITTED
from profiles.models import RequestStatus

from ..factories import ApplicationFactory, DataUpdateRequestFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(alice):
    return ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)


def test_opening_an_application_in_the_admin_is_recorded_once(client, rana, alice, application):
    client.force_login(rana)
    client.get("/admin/applications/application/")  # the list records nothing
    client.get(f"/admin/applications/application/{application.pk}/change/", REMOTE_ADDR="10.1.2.3")
    record = AccessRecord.objects.get()
    assert (record.staff, record.owner, record.action) == (rana, alice, AccessAction.VIEWED_APPLICATION)
    assert (record.target, record.client_address) == (application.reference, "10.1.2.3")


def test_documents_decisions_requests_and_profiles_are_recorded(client, rana, alice, pat, application):
    client.force_login(rana)
    client.get(f"/applications/{application.reference}/documents/employer_letter/")
    client.post(f"/admin/applications/application/{application.pk}/decide/", {"action": "start_review"})
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
    client.get(f"/admin/applications/application/{application.pk}/change/")
    client.get(f"/applications/{application.reference}/documents/employer_letter/")
    other = ApplicationFactory(applicant=bob, status=ApplicationStatus.SUBMITTED)
    client.get(f"/admin/applications/application/{other.pk}/change/")
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/access-log/").content.decode()
    reference = f'<bdi dir="ltr" class="nowrap">{application.reference}</bdi>'
    assert f"A reviewer opened your registration application {reference}." in page
    assert "A reviewer downloaded your Employer&#x27;s letter of introduction" in page
    assert other.reference not in page
    assert rana.full_name_ar not in page
    assert 'href="/my-data/access-log/"' in client.get("/accounts/account/").content.decode()


def test_a_staff_search_is_recorded_with_its_term_and_count_and_whom_it_found(client, rana, alice, application):
    client.force_login(rana)
    client.get(f"/admin/applications/application/?q={alice.national_id}", REMOTE_ADDR="10.1.2.3")
    client.get("/admin/applications/application/?q=1000000016")  # an ID number nobody applied with
    client.get("/admin/applications/application/")  # the list alone is no search
    searches = StaffSearch.objects.order_by("pk").values_list("staff", "listed", "term", "result_count")
    assert list(searches) == [
        (rana.pk, "applications.application", alice.national_id, 1),
        (rana.pk, "applications.application", SUBMITTED.national_id, 0),
    ]
    record = AccessRecord.objects.get()
    assert (record.staff, record.owner, record.action) == (rana, alice, AccessAction.FOUND_IN_SEARCH)
    assert record.client_address == "10.1.2.3"
    client.force_login(alice)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/access-log/").content.decode()
    assert "A reviewer&#x27;s search in the staff pages found your file." in page


def test_a_search_costs_two_inserts_however_many_it_found(client, rana):
    for number in range(30):
        ApplicationFactory(applicant__full_name_ar=f"محمد الأحمد {number}", status=ApplicationStatus.SUBMITTED)
    client.force_login(rana)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/applications/application/?q=محمد")
    assert page.status_code == 200
    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 2  # the search, and one multi-row insert of the people on the page
    assert StaffSearch.objects.get().result_count == 30
    assert AccessRecord.objects.filter(action=AccessAction.FOUND_IN_SEARCH).count() == 30


def test_searches_of_accounts_profiles_and_history_pages_are_recorded(client, rana, pat):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.get(f"/admin/accounts/user/?q={pat.national_id}")
    client.get(f"/admin/accounts/user/{pat.pk}/history/")
    client.force_login(rana)
    client.get(f"/admin/profiles/practitionerprofile/?q={pat.national_id}")
    client.get(f"/admin/profiles/practitionerprofile/{pat.practitioner_profile.pk}/history/")
    assert list(StaffSearch.objects.order_by("pk").values_list("staff", "listed", "result_count")) == [
        (superuser.pk, "accounts.user", 1),
        (rana.pk, "profiles.practitionerprofile", 1),
    ]
    assert list(AccessRecord.objects.order_by("pk").values_list("staff", "owner", "action")) == [
        (superuser.pk, pat.pk, AccessAction.FOUND_IN_SEARCH),
        (superuser.pk, pat.pk, AccessAction.VIEWED_HISTORY),
        (rana.pk, pat.pk, AccessAction.FOUND_IN_SEARCH),
        (rana.pk, pat.pk, AccessAction.VIEWED_HISTORY),
    ]
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    assert "A reviewer opened the change history of" in client.get("/my-data/access-log/").content.decode()


def test_only_superusers_see_the_log_and_nobody_edits_it(client, rana, alice, application):
    client.force_login(rana)
    client.get(f"/admin/applications/application/{application.pk}/change/")
    record = AccessRecord.objects.get()
    assert client.get("/admin/core/accessrecord/").status_code == 403
    assert client.get("/admin/core/staffsearch/").status_code == 403
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/core/accessrecord/").status_code == 200
    assert client.get("/admin/core/staffsearch/").status_code == 200
    assert client.get(f"/admin/core/accessrecord/?q={alice.national_id}").status_code == 200
    assert client.get(f"/admin/core/accessrecord/{record.pk}/change/").status_code == 200
    assert client.post(f"/admin/core/accessrecord/{record.pk}/delete/").status_code == 403
    assert client.get("/admin/core/accessrecord/add/").status_code == 403
    assert AccessRecord.objects.count() == 1


def test_records_past_the_retention_are_pruned(rana, alice, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 400
    old, recent = (
        AccessRecord.objects.create(staff=rana, owner=alice, action=AccessAction.VIEWED_PROFILE) for _ in range(2)
    )
    old_search, recent_search = (StaffSearch.objects.create(staff=rana, term="x", result_count=0) for _ in range(2))
    AccessRecord.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=401))
    StaffSearch.objects.filter(pk=old_search.pk).update(at=timezone.now() - timedelta(days=401))
    call_command("prune_access_log")
    call_command("prune_access_log")  # a second server: nothing more
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(StaffSearch.objects.values_list("pk", flat=True)) == [recent_search.pk]


def test_the_admin_names_the_columns_action_target_and_ip_address(client, rana, application):
    client.force_login(rana)
    client.get(f"/admin/applications/application/{application.pk}/change/")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/core/accessrecord/").content.decode()
    for heading in ("الإجراء", "موضوع الإجراء", "عنوان IP", "تصفية"):
        assert heading in page
    for old in ("ماذا", "عنوان العميل", "مرشّح"):
        assert old not in page
    assert "سجلات الاطلاع: 1" in page


def test_the_practitioner_sees_which_organisations_watch_them(client, pat):
    from employers.watchlist import add_number, remove

    from ..factories import MembershipFactory

    membership = MembershipFactory(organisation__name_ar="مستشفى الشفاء", organisation__name_en="Shifa Hospital")
    hospital, administrator = membership.organisation, membership.user
    report = add_number(hospital, pat.practitioner_profile.membership_number, administrator)
    remove(hospital, hospital.watched.get().pk, administrator)
    client.force_login(pat)
    page = client.get("/my-data/access-log/").content.decode()
    assert report.outcome == "added"
    assert "مستشفى الشفاء" in page
    assert page.count("مستشفى الشفاء") == 2  # added, then removed
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/access-log/").content.decode()
    assert "Shifa Hospital" in page
    assert "added you to its watchlist" in page


def test_another_persons_watchers_are_not_shown(client, pat, alice):
    from employers.watchlist import add_number

    from ..factories import MembershipFactory

    membership = MembershipFactory(organisation__name_ar="مستشفى الشفاء")
    add_number(membership.organisation, pat.practitioner_profile.membership_number, membership.user)
    client.force_login(alice)
    page = client.get("/my-data/access-log/").content.decode()
    assert "مستشفى الشفاء" not in page


def test_the_practitioner_sees_each_organisations_api_look_ups_counted_per_day(client, pat, alice):
    from api.tokens import create_token
    from api.usage import flush_counts, record_use

    from ..factories import OrganisationFactory

    registration = pat.practitioner_profile.registration
    hospital, clinic = OrganisationFactory(), OrganisationFactory()
    today = timezone.localdate()
    token = create_token(hospital, name="HR", days=30, created_by=None)
    for _ in range(3):
        client.get(
            f"/api/v1/registrations/{registration.profile.membership_number}",
            HTTP_AUTHORIZATION=f"Bearer {token.text}",
        )
    clinic_token = create_token(clinic, name="HR", days=30, created_by=None).token
    record_use(clinic_token.pk, clinic.pk, [registration.pk], today - timedelta(days=2))
    record_use(clinic_token.pk, clinic.pk, [RegistrationFactory().pk], today)  # someone else's: never shown here
    flush_counts()
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    response = client.get("/my-data/access-log/")
    assert [(row.day, row.organisation.name_en, row.lookups) for row in response.context["api_lookups"]] == [
        (today, hospital.name_en, 3),
        (today - timedelta(days=2), clinic.name_en, 1),
    ]
    page = response.content.decode()
    assert hospital.name_en in page
    assert clinic.name_en in page
    client.cookies["mumaris_language"] = "ar"
    assert hospital.name_ar in client.get("/my-data/access-log/").content.decode()
    client.force_login(alice)
    page = client.get("/my-data/access-log/").content.decode()
    assert hospital.name_ar not in page


def test_the_log_is_shown_fifty_records_a_page_newest_first(client, pat, rana):
    AccessRecord.objects.bulk_create(
        AccessRecord(staff=rana, owner=pat, action=AccessAction.VIEWED_APPLICATION, target=f"REF-{serial:03d}")
        for serial in range(51)
    )
    # Written in one statement: the oldest is the first row made.
    oldest = AccessRecord.objects.filter(owner=pat).order_by("at", "id").first()
    AccessRecord.objects.filter(pk=oldest.pk).update(at=timezone.now() - timedelta(days=1))
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    first = client.get("/my-data/access-log/").content.decode()
    assert first.count("A reviewer opened your registration application") == 50
    assert '<a href="?page=2">Older</a>' in first
    assert "Newer</a>" not in first
    second = client.get("/my-data/access-log/", {"page": "2"}).content.decode()
    assert second.count("A reviewer opened your registration application") == 1
    assert oldest.target in second
    assert '<a href="?page=1">Newer</a>' in second
    assert "Older</a>" not in second
    # Past the end, the last page; not a number, the first (as Django's paginator answers them)
    past_the_end = client.get("/my-data/access-log/", {"page": "7"}).content.decode()
    assert past_the_end.count("A reviewer opened your registration application") == 1
    assert oldest.target in past_the_end
    assert '<a href="?page=1">Newer</a>' in past_the_end
    not_a_number = client.get("/my-data/access-log/", {"page": "next"}).content.decode()
    assert not_a_number.count("A reviewer opened your registration application") == 50
    assert '<a href="?page=2">Older</a>' in not_a_number
    # Far past the end (beyond any database's offset), the last page too, in both lists: never a 500.
    for parameter in ("page", "watch_page"):
        far = client.get("/my-data/access-log/", {parameter: "9" * 30})
        assert far.status_code == 200
    assert oldest.target in client.get("/my-data/access-log/", {"page": "9" * 30}).content.decode()
