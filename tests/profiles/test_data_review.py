"""The periodic data review at log-in: when it is asked, what each answer does, what it blocks."""

import datetime

import pytest
from django.utils import timezone

from devtools.demo import APPLICANT, PRACTITIONER
from profiles.data_review import profile_review_is_due, review_is_due
from profiles.models import PractitionerProfile

from ..conftest import login_data
from ..factories import PASSWORD, DataUpdateRequestFactory, PractitionerProfileFactory

YEAR = datetime.timedelta(days=365)
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


def test_not_due_at_exactly_the_period():
    assert not review_is_due(NOW - YEAR, NOW, YEAR, has_pending_request=False)


def test_due_just_after_the_period():
    assert review_is_due(NOW - YEAR - datetime.timedelta(seconds=1), NOW, YEAR, has_pending_request=False)


def test_not_due_with_a_pending_request():
    assert not review_is_due(NOW - 2 * YEAR, NOW, YEAR, has_pending_request=True)


@pytest.mark.django_db
def test_pending_requests_are_looked_up_only_once_the_date_has_come(django_assert_num_queries, settings):
    profile = PractitionerProfileFactory(data_confirmed_at=timezone.now())
    with django_assert_num_queries(0):
        assert not profile_review_is_due(profile)
    profile.data_confirmed_at -= settings.DATA_REVIEW_PERIOD + datetime.timedelta(days=1)
    with django_assert_num_queries(1):
        assert profile_review_is_due(profile)


@pytest.fixture
def due_profile(db, settings):
    return PractitionerProfileFactory(
        user__national_id=PRACTITIONER.national_id,
        data_confirmed_at=timezone.now() - settings.DATA_REVIEW_PERIOD - datetime.timedelta(days=1),
    )


def log_in(client, next_url=None, national_id=PRACTITIONER.national_id):
    path = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    client.post(path, login_data(national_id, PASSWORD))
    return client


@pytest.mark.django_db
def test_due_practitioner_is_taken_to_the_review_first(client, due_profile):
    log_in(client, next_url="/requests/")
    response = client.get("/requests/")
    assert response.status_code == 302
    assert response["Location"] == "/services/review-data/?next=%2Frequests%2F"
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "مراجعة البيانات" in content
    assert "البيانات صحيحة" in content
    assert "تحديث البيانات" in content
    assert due_profile.mobile in content


@pytest.mark.django_db
def test_fresh_data_is_not_asked(client, due_profile):
    PractitionerProfile.objects.filter(pk=due_profile.pk).update(data_confirmed_at=timezone.now())
    log_in(client)
    assert client.get("/requests/").status_code == 200


@pytest.mark.django_db
def test_applicants_are_never_asked(client, alice, password):
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password))
    assert client.get("/requests/").status_code == 200


@pytest.mark.django_db
def test_not_asked_while_an_update_request_is_pending(client, due_profile):
    DataUpdateRequestFactory(profile=due_profile)
    log_in(client)
    assert client.get("/requests/").status_code == 200


@pytest.mark.django_db
def test_confirming_records_the_time_and_continues_to_next(client, due_profile):
    log_in(client)
    before = timezone.now()
    response = client.post("/services/review-data/", {"action": "confirm", "next": "/requests/"})
    assert response["Location"] == "/requests/"
    due_profile.refresh_from_db()
    assert due_profile.data_confirmed_at >= before
    assert client.get("/requests/").status_code == 200


@pytest.mark.django_db
def test_next_to_another_site_is_not_followed(client, due_profile):
    log_in(client)
    response = client.post("/services/review-data/", {"action": "confirm", "next": "https://evil.example/"})
    assert response["Location"] == "/services/"


@pytest.mark.django_db
def test_update_goes_straight_to_the_data_step(client, due_profile):
    log_in(client)
    response = client.post("/services/review-data/", {"action": "update"})
    assert response["Location"] == "/services/update-member-data/"
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain == [("/services/update-member-data/data/", 302)]
    assert page.context["profile"] == due_profile


@pytest.mark.django_db
def test_postponing_counts_and_then_blocks_services_but_not_logout(client, due_profile, settings):
    for attempt in range(settings.DATA_REVIEW_MAX_POSTPONEMENTS):
        log_in(client)
        response = client.post("/services/review-data/", {"action": "later", "next": "/requests/"})
        assert response["Location"] == "/requests/", attempt
        assert client.get("/requests/").status_code == 200
        client.post("/accounts/logout/")
    due_profile.refresh_from_db()
    assert due_profile.data_review_postponements == settings.DATA_REVIEW_MAX_POSTPONEMENTS

    log_in(client)
    assert 'value="later"' not in client.get("/services/review-data/").content.decode()
    refused = client.post("/services/review-data/", {"action": "later", "next": "/requests/"})
    assert refused["Location"].startswith("/services/review-data/")
    assert client.get("/services/")["Location"].startswith("/services/review-data/")
    assert client.get("/applications/new/")["Location"].startswith("/services/review-data/")
    assert client.post("/language/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_approved_update_counts_as_a_review(rana, due_profile):
    from profiles.workflow import approve_update_request

    due_profile.data_review_postponements = 2
    due_profile.save()
    approve_update_request(DataUpdateRequestFactory(profile=due_profile), rana)
    due_profile.refresh_from_db()
    assert timezone.now() - due_profile.data_confirmed_at < datetime.timedelta(minutes=1)
    assert due_profile.data_review_postponements == 0


@pytest.mark.django_db
def test_admin_filters_profiles_with_old_data(client, rana, due_profile):
    fresh = PractitionerProfileFactory()
    client.force_login(rana)
    old = client.get("/admin/profiles/practitionerprofile/", {"data_review_due": "yes"})
    assert list(old.context["cl"].result_list) == [due_profile]
    current = client.get("/admin/profiles/practitionerprofile/", {"data_review_due": "no"})
    assert list(current.context["cl"].result_list) == [fresh]
