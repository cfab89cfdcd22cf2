"""Every endpoint of the employers' API: what it answers, and each way it refuses, as JSON."""

import datetime
import json

import pytest
from django.utils import timezone

from api import schemas
from api.models import ApiLookup, ApiToken, ApiTokenUse
from api.records import BATCH_LIMIT
from api.tokens import create_token, revoke_token
from api.usage import flush_counts
from employers.models import Organisation, OrganisationStatus, WatchedPractitioner
from profiles.models import ProfileChange
from registry.models import Registration, RegistrationStatus
from registry.sharing import create_share_code, revoke_share_code

from ..factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(pat):
    return pat.practitioner_profile.registration


@pytest.fixture
def number(registration):
    return registration.profile.membership_number


def error_code(response):
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]["code"]


def test_one_registration_by_number_in_any_common_form(api_client, registration, number):
    for typed in (
        number,
        f"{number[:2]}-{number[2:6]}-{number[6:]}",
        number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    ):
        response = api_client.get(f"/api/v1/registrations/{typed}")
        assert response.status_code == 200
        body = schemas.Registration.model_validate(response.json())
        assert body.membership_number == f"{number[:2]}-{number[2:6]}-{number[6:]}"
    body = response.json()
    user = registration.profile.user
    assert (body["name_ar"], body["name_en"], body["status"], body["shared"]) == (
        user.full_name_ar,
        user.full_name_en,
        "active",
        None,
    )
    assert body["valid_until"] == registration.valid_until.isoformat()
    assert (body["status_ar"], body["status_en"]) == ("نشط", "Active")
    assert response["Cache-Control"] == "private, no-store"


def test_the_record_is_the_public_one_only(api_client, registration, number):
    body = api_client.get(f"/api/v1/registrations/{number}").json()
    profile = registration.profile
    assert set(body) == set(schemas.Registration.model_fields)
    text = json.dumps(body, ensure_ascii=False)
    for private in (profile.user.national_id, profile.user.email, profile.email):
        assert private not in text


@pytest.mark.parametrize(
    ("status", "valid_until_days", "shown"),
    [
        (RegistrationStatus.SUSPENDED, 300, "suspended"),
        (RegistrationStatus.REVOKED, 300, "revoked"),
        (RegistrationStatus.ACTIVE, -1, "expired"),
    ],
)
def test_the_status_is_the_one_the_public_sees(api_client, registration, status, valid_until_days, shown):
    number = registration.profile.membership_number
    Registration.objects.filter(pk=registration.pk).update(
        status=status, valid_until=timezone.localdate() + datetime.timedelta(days=valid_until_days)
    )
    assert api_client.get(f"/api/v1/registrations/{number}").json()["status"] == shown


@pytest.mark.parametrize("typed", ["12", "abc", "26-0000-00011", "%20", "٢٦"])
def test_a_malformed_number_is_400(api_client, typed):
    response = api_client.get(f"/api/v1/registrations/{typed}")
    assert (response.status_code, error_code(response)) == (400, "malformed_number")


def test_an_unknown_number_is_404(api_client, registration):
    response = api_client.get("/api/v1/registrations/9999999999")
    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert not ApiLookup.objects.exists()


def test_a_batch_answers_each_number_in_order(api_client, registration, number):
    other = RegistrationFactory().profile.membership_number
    typed = [number, "12", "9999999999", f" {other} ", number]
    response = api_client.get("/api/v1/registrations", {"numbers": ",".join(typed)})
    assert response.status_code == 200
    body = schemas.BatchBody.model_validate(response.json())
    assert [result.number for result in body.results] == [number, "12", "9999999999", other, number]
    assert [result.error.code if result.error else None for result in body.results] == [
        None,
        "malformed_number",
        "not_found",
        None,
        None,
    ]
    assert body.results[0].registration.membership_number.replace("-", "") == number


def test_a_batch_of_the_limit_is_answered_and_one_more_is_refused(api_client, number):
    response = api_client.get("/api/v1/registrations", {"numbers": ",".join([number] * BATCH_LIMIT)})
    assert response.status_code == 200
    assert len(response.json()["results"]) == BATCH_LIMIT
    response = api_client.get("/api/v1/registrations", {"numbers": ",".join([number] * (BATCH_LIMIT + 1))})
    assert (response.status_code, error_code(response)) == (400, "too_many_numbers")
    assert str(BATCH_LIMIT) in response.json()["error"]["message"]


@pytest.mark.parametrize("query", [{}, {"numbers": ""}, {"numbers": " , ,"}])
def test_a_batch_without_numbers_is_400(api_client, query):
    response = api_client.get("/api/v1/registrations", query)
    assert (response.status_code, error_code(response)) == (400, "no_numbers")


def test_each_use_is_counted_per_token_and_day_and_each_registration_returned_per_organisation(
    api_client, issued, organisation, registration, number
):
    other = RegistrationFactory()
    api_client.get(f"/api/v1/registrations/{number}")
    api_client.get("/api/v1/registrations", {"numbers": f"{number},{number},{other.profile.membership_number},12"})
    api_client.get("/api/v1/registrations/9999999999")
    api_client.get("/api/v1/watchlist")
    flush_counts()  # with Redis the counts are added up there first (none to flush without)
    today = timezone.localdate()
    assert list(ApiTokenUse.objects.values_list("token", "day", "requests")) == [(issued.token.pk, today, 4)]
    lookups = ApiLookup.objects.values_list("organisation", "practitioner", "day", "lookups")
    assert set(lookups) == {(organisation.pk, registration.pk, today, 2), (organisation.pk, other.pk, today, 1)}


def test_a_refused_request_is_not_counted_as_a_use(client, issued, number):
    revoke_token(issued.token, by=None)
    client.get(f"/api/v1/registrations/{number}", HTTP_AUTHORIZATION=f"Bearer {issued.text}")
    flush_counts()
    assert not ApiTokenUse.objects.exists()
    assert not ApiLookup.objects.exists()


@pytest.fixture
def watched(organisation, registration):
    return WatchedPractitioner.objects.create(organisation=organisation, practitioner=registration)


def test_a_share_code_given_to_the_organisation_adds_what_it_shares_while_valid(
    api_client, watched, registration, number
):
    ProfileChange.objects.create(profile=registration.profile, field="employer", old_value="A", new_value="B")
    ProfileChange.objects.create(profile=registration.profile, field="mobile", old_value="1", new_value="2")
    share_code = create_share_code(registration, days=5, shares_work_history=True)
    watched.share_code = share_code
    watched.save()
    shared = api_client.get(f"/api/v1/registrations/{number}").json()["shared"]
    assert [(change["field"], change["new_value"]) for change in shared["work_history"]] == [("employer", "B")]
    assert shared["timeline"] is None
    batch = api_client.get("/api/v1/registrations", {"numbers": number}).json()
    assert batch["results"][0]["registration"]["shared"] == shared
    listed = api_client.get("/api/v1/watchlist").json()["results"][0]["shared"]
    assert listed == shared

    revoke_share_code(share_code)
    assert api_client.get(f"/api/v1/registrations/{number}").json()["shared"] is None
    assert api_client.get("/api/v1/watchlist").json()["results"][0]["shared"] is None


def test_another_organisations_share_code_adds_nothing(client, watched, registration, number):
    watched.share_code = create_share_code(registration, days=5, shares_timeline=True)
    watched.save()
    stranger = create_token(OrganisationFactory(), name="x", days=30, created_by=None)
    body = client.get(f"/api/v1/registrations/{number}", HTTP_AUTHORIZATION=f"Bearer {stranger.text}").json()
    assert body["shared"] is None


def test_a_share_code_of_another_registration_adds_nothing(api_client, watched, number):
    watched.share_code = create_share_code(RegistrationFactory(), days=5, shares_timeline=True)
    watched.save()
    assert api_client.get(f"/api/v1/registrations/{number}").json()["shared"] is None


def test_the_watchlist_lists_the_organisations_entries_only(api_client, watched, registration):
    other_organisation = OrganisationFactory()
    WatchedPractitioner.objects.create(organisation=other_organisation, practitioner=RegistrationFactory())
    response = api_client.get("/api/v1/watchlist")
    assert response.status_code == 200
    body = schemas.WatchlistBody.model_validate(response.json())
    assert (body.count, body.page, body.has_next, body.since) == (1, 1, False, None)
    assert body.results[0].membership_number.replace("-", "") == registration.profile.membership_number
    # JSON times are to the millisecond.
    assert abs(body.results[0].watched_since - watched.added_at) < datetime.timedelta(milliseconds=1)


def test_the_watchlist_since_a_time_holds_only_what_changed(api_client, organisation, watched, registration):
    quiet = RegistrationFactory()
    expired = RegistrationFactory()
    for other in (quiet, expired):
        WatchedPractitioner.objects.create(organisation=organisation, practitioner=other)
    long_ago = timezone.now() - datetime.timedelta(days=10)
    WatchedPractitioner.objects.update(added_at=long_ago)
    Registration.objects.update(updated_at=long_ago)
    from profiles.models import PractitionerProfile

    PractitionerProfile.objects.update(updated_at=long_ago)
    since = timezone.now() - datetime.timedelta(days=3)
    # Suspended yesterday; the other's last valid day was two days ago; the third did nothing.
    Registration.objects.filter(pk=registration.pk).update(status="suspended", updated_at=timezone.now())
    Registration.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=2))
    body = api_client.get("/api/v1/watchlist", {"since": since.isoformat()}).json()
    assert sorted(
        (result["membership_number"].replace("-", ""), result["status"]) for result in body["results"]
    ) == sorted([(registration.profile.membership_number, "suspended"), (expired.profile.membership_number, "expired")])
    # Nothing since the answer's own time.
    again = api_client.get("/api/v1/watchlist", {"since": body["as_of"]}).json()
    assert again["results"] == []


def test_the_watchlist_comes_in_pages(api_client, organisation, monkeypatch):
    monkeypatch.setattr("api.records.WATCHLIST_PAGE_SIZE", 2)
    for registration in RegistrationFactory.create_batch(3):
        WatchedPractitioner.objects.create(organisation=organisation, practitioner=registration)
    first = api_client.get("/api/v1/watchlist").json()
    second = api_client.get("/api/v1/watchlist", {"page": "2"}).json()
    assert (len(first["results"]), first["has_next"], len(second["results"]), second["has_next"]) == (2, True, 1, False)
    assert first["count"] == second["count"] == 3


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "1.5", "٢٢"])
def test_a_page_that_does_not_exist_is_400(api_client, watched, page):
    response = api_client.get("/api/v1/watchlist", {"page": page})
    assert (response.status_code, error_code(response)) == (400, "bad_page")


@pytest.mark.parametrize(
    "since",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-12-01T25:00",
        "2026-12-01T08:00:00+25:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:00:00-05:00",
        "2026-02-30",
        "x" * 5000,
    ],
)
def test_a_bad_since_is_400(api_client, since):
    response = api_client.get("/api/v1/watchlist", {"since": since})
    assert (response.status_code, error_code(response)) == (400, "bad_since")


def test_a_since_without_an_offset_is_read_as_local_time(api_client, watched):
    body = api_client.get("/api/v1/watchlist", {"since": "2020-01-01T00:00:00"}).json()
    assert datetime.datetime.fromisoformat(body["since"]) == datetime.datetime(2019, 12, 31, 21, tzinfo=datetime.UTC)
    assert body["count"] == 1


@pytest.mark.parametrize(
    ("header", "code"),
    [(None, "missing_token"), ("Token abc", "missing_token"), ("Bearer abc", "bad_token")],
)
@pytest.mark.parametrize(
    "path", ["/api/v1/registrations/2600000001", "/api/v1/registrations?numbers=1", "/api/v1/watchlist"]
)
def test_every_endpoint_needs_a_token(client, path, header, code):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(path, **extra)
    assert (response.status_code, error_code(response)) == (401, code)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(client, issued, number):
    issued.token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    issued.token.save()
    response = client.get(f"/api/v1/registrations/{number}", HTTP_AUTHORIZATION=f"Bearer {issued.text}")
    assert (response.status_code, error_code(response)) == (401, "token_expired")


def test_a_token_that_expires_is_refused_on_the_very_next_request(api_client, issued, number):
    assert api_client.get(f"/api/v1/registrations/{number}").status_code == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    response = api_client.get(f"/api/v1/registrations/{number}")
    assert (response.status_code, error_code(response)) == (401, "token_expired")


def test_a_revoked_token_is_refused_at_once(api_client, issued, administrator, number):
    assert api_client.get(f"/api/v1/registrations/{number}").status_code == 200
    revoke_token(issued.token, by=administrator)
    response = api_client.get(f"/api/v1/registrations/{number}")
    assert (response.status_code, error_code(response)) == (401, "token_revoked")


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.REFUSED])
def test_a_token_of_an_organisation_no_longer_approved_is_refused(api_client, organisation, number, status):
    organisation.status = status
    organisation.save()
    response = api_client.get(f"/api/v1/registrations/{number}")
    assert (response.status_code, error_code(response)) == (403, "organisation_not_approved")


def test_an_organisation_no_longer_approved_is_refused_on_the_very_next_request(api_client, organisation, number):
    assert api_client.get(f"/api/v1/registrations/{number}").status_code == 200
    Organisation.objects.filter(pk=organisation.pk).update(status=OrganisationStatus.REFUSED)
    response = api_client.get(f"/api/v1/registrations/{number}")
    assert (response.status_code, error_code(response)) == (403, "organisation_not_approved")


def test_the_rate_limit_counts_per_token_and_says_when_to_come_back(api_client, client, settings, organisation, number):
    settings.API_RATE = "3/m"
    for _ in range(3):
        assert api_client.get(f"/api/v1/registrations/{number}").status_code == 200
    response = api_client.get("/api/v1/watchlist")
    assert (response.status_code, error_code(response)) == (429, "rate_limited")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Retry-After"] in response.json()["error"]["message"]
    # Another token is counted on its own.
    other = create_token(organisation, name="second", days=30, created_by=None)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {other.text}"}
    assert client.get(f"/api/v1/registrations/{number}", **extra).status_code == 200
    flush_counts()
    assert ApiTokenUse.objects.get(token=other.token).requests == 1


def test_a_look_up_over_the_rate_limit_returns_no_record_and_is_no_use(api_client, settings, number):
    """The single look-up reads the token and the record together, then counts the hit: over the
    limit nothing read is answered, a malformed number included, and nothing is counted as a use."""
    settings.API_RATE = "2/m"
    for _ in range(2):
        assert api_client.get(f"/api/v1/registrations/{number}").status_code == 200
    for path in (f"/api/v1/registrations/{number}", "/api/v1/registrations/12", "/api/v1/registrations/9999999999"):
        response = api_client.get(path)
        assert (response.status_code, error_code(response)) == (429, "rate_limited")
        assert set(response.json()) == {"error"}
    flush_counts()
    assert ApiTokenUse.objects.get().requests == 2
    assert ApiLookup.objects.get().lookups == 2


def test_messages_follow_the_language_asked_for_and_default_to_arabic(client):
    arabic = client.get("/api/v1/watchlist").json()["error"]["message"]
    english = client.get("/api/v1/watchlist", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").json()["error"]["message"]
    assert english == "Send your API token in the Authorization header: Bearer <token>."
    assert arabic != english
    assert "Authorization" in arabic
    client.cookies["mumaris_language"] = "en"
    response = client.get("/api/v1/watchlist", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.json()["error"]["message"] == english
    assert response["Content-Language"] == "en"


def test_writing_is_refused_with_405(api_client, number):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api_client, method)(f"/api/v1/registrations/{number}")
        assert (response.status_code, error_code(response)) == (405, "method_not_allowed")
        assert response["Allow"] == "GET"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/registrations/1/2", "/api/v1/watchlist/x"])
def test_an_unknown_address_under_the_api_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert (response.status_code, error_code(response)) == (404, "unknown_address")


def test_the_api_root_leads_to_the_documentation(client):
    assert client.get("/api/v1/")["Location"] == "/api/v1/docs/"


@pytest.mark.django_db(transaction=True)
def test_the_counts_are_committed_outside_any_transaction(client, pat):
    """As in production (no transaction around a request): the counts' statements commit on their own."""
    number = pat.practitioner_profile.membership_number
    issued = create_token(OrganisationFactory(), name="x", days=30, created_by=None)
    for _ in range(2):
        client.get(f"/api/v1/registrations/{number}", HTTP_AUTHORIZATION=f"Bearer {issued.text}")
    flush_counts()
    assert ApiTokenUse.objects.get().requests == 2
    assert ApiLookup.objects.get().lookups == 2
