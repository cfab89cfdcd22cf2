"""The API's use counts: added up in the limits' Redis and written by the job each batch once, or
written at once without Redis (the embedded default). The Redis tests run in `make limits-redis`
(LIMITS_CACHE_URL); the suite's main pass has no Redis and runs the others."""

import datetime

import pytest
from django.utils import timezone

from api import usage
from api.models import ApiCountBatch, ApiLookup, ApiTokenUse
from api.tasks import flush_api_counts
from api.tokens import create_token
from api.usage import TALLY, flush_counts, tally_store
from core.periodic import JOBS

from ..factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(pat):
    return pat.practitioner_profile.registration


@pytest.fixture
def look_up(api_client, registration):
    def look_up():
        response = api_client.get(f"/api/v1/registrations/{registration.profile.membership_number}")
        assert response.status_code == 200

    return look_up


@pytest.fixture
def tally():
    store = tally_store()
    if store is None:
        pytest.skip("the counts are added up in Redis only with LIMITS_CACHE_URL (make limits-redis)")
    return store


def raising(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def counted():
    return (
        sorted(ApiTokenUse.objects.values_list("day", "requests")),
        sorted(ApiLookup.objects.values_list("day", "lookups")),
    )


def test_the_job_flushes_the_counts_every_5_minutes():
    period, job = JOBS["flush_api_counts"]
    assert (period, job) == ("every 5 minutes", flush_api_counts)
    assert usage.FLUSHED_EVERY_MINUTES == 5


def test_without_redis_each_request_writes_its_counts_at_once(look_up):
    if tally_store() is not None:
        pytest.skip("with LIMITS_CACHE_URL the counts wait for the job")
    look_up()
    today = timezone.localdate()
    assert counted() == ([(today, 1)], [(today, 1)])
    assert flush_counts() == 0
    assert counted() == ([(today, 1)], [(today, 1)])


def test_with_redis_the_counts_reach_the_tables_with_the_job(tally, look_up, api_client):
    look_up()
    look_up()
    api_client.get("/api/v1/registrations/9999999999")  # a use, no look-up
    assert counted() == ([], [])
    assert flush_api_counts.call() == 2  # one row in each table
    today = timezone.localdate()
    assert counted() == ([(today, 3)], [(today, 2)])
    look_up()
    assert flush_counts() == 2
    assert counted() == ([(today, 4)], [(today, 3)])
    assert flush_counts() == 0  # nothing new


def test_a_batch_is_written_once_when_the_job_stops_before_dropping_it(tally, look_up, monkeypatch):
    look_up()
    with monkeypatch.context() as patched:
        patched.setattr(type(tally), "drop_batch", raising(ConnectionError("Redis away")))
        with pytest.raises(ConnectionError):
            flush_counts()
    today = timezone.localdate()
    assert counted() == ([(today, 1)], [(today, 1)])
    look_up()  # meanwhile: a new tally, beside the batch still in Redis
    assert flush_counts() == 0  # the batch again: its id is written, so it is only dropped
    assert counted() == ([(today, 1)], [(today, 1)])
    assert flush_counts() == 2  # then the new tally
    assert counted() == ([(today, 2)], [(today, 2)])
    assert tally.take_batch(TALLY, "none") is None


def test_nothing_is_lost_when_writing_a_batch_fails(tally, look_up, monkeypatch):
    look_up()
    with monkeypatch.context() as patched:
        patched.setattr(usage, "_statements", raising(RuntimeError("database away")))
        with pytest.raises(RuntimeError):
            flush_counts()
    assert counted() == ([], [])
    assert not ApiCountBatch.objects.exists()  # rolled back with the counts
    look_up()
    look_up()
    flush_counts()  # the batch kept in Redis (one look-up)
    flush_counts()  # the two since
    today = timezone.localdate()
    assert counted() == ([(today, 3)], [(today, 3)])


def test_counts_of_a_token_or_registration_gone_before_the_job_are_left_out(tally, api_client, look_up, organisation):
    other = RegistrationFactory()
    assert api_client.get(f"/api/v1/registrations/{other.profile.membership_number}").status_code == 200
    look_up()
    other.delete()
    gone = create_token(organisation, name="gone", days=30, created_by=None)
    api_client.get("/api/v1/watchlist", HTTP_AUTHORIZATION=f"Bearer {gone.text}")
    gone.token.delete()
    assert flush_counts() == 2
    today = timezone.localdate()
    assert counted() == ([(today, 2)], [(today, 1)])


def test_a_request_is_counted_on_its_day_in_saudi_time_whenever_it_is_written(look_up, monkeypatch):
    today = timezone.localdate()
    late = datetime.datetime.combine(today, datetime.time(20, 59), tzinfo=datetime.UTC)  # 23:59 in Riyadh
    for moment in (late, late + datetime.timedelta(minutes=2)):  # and 00:01 the next day
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        look_up()
    flush_counts()  # after midnight, in Riyadh
    tomorrow = today + datetime.timedelta(days=1)
    assert counted() == ([(today, 1), (tomorrow, 1)], [(today, 1), (tomorrow, 1)])


def test_the_ids_of_batches_written_a_week_ago_are_forgotten(tally, look_up):
    ApiCountBatch.objects.create(batch="old")
    ApiCountBatch.objects.filter(batch="old").update(written_at=timezone.now() - datetime.timedelta(days=8))
    look_up()
    flush_counts()
    assert ApiCountBatch.objects.count() == 1
    assert not ApiCountBatch.objects.filter(batch="old").exists()


def test_the_access_log_page_shows_the_counts_and_says_how_fresh_they_are(client, pat, look_up):
    look_up()
    client.force_login(pat)
    client.cookies["mumaris_language"] = "en"
    page = client.get("/my-data/access-log/")
    buffered = tally_store() is not None
    assert len(page.context["api_lookups"]) == (0 if buffered else 1)
    freshness = "The counts are brought up to date every 5 minutes"
    assert (freshness in page.content.decode()) == buffered
    flush_counts()
    page = client.get("/my-data/access-log/")
    assert [(row.day, row.lookups) for row in page.context["api_lookups"]] == [(timezone.localdate(), 1)]


def test_with_rate_limiting_switched_off_each_use_is_still_counted(settings, look_up):
    settings.RATELIMIT_ENABLE = False
    look_up()
    look_up()
    flush_counts()
    today = timezone.localdate()
    assert counted() == ([(today, 2)], [(today, 2)])
