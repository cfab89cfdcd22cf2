"""The operator's addresses: /metrics (bearer token only), /healthz (degraded, with the reason)
and /readyz (for the load balancer)."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from core.models import CountedFigures, EmailStatus, OutboundEmail

from ..conftest import login_data

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


def sample(text, name, **labels):
    """The value of the sample `name{labels}` in the exposition text (None when absent)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return None


def test_metrics_answer_404_when_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_answer_404_without_the_token_or_with_a_wrong_one(client, metrics_token):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=metrics_token).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {metrics_token}").status_code == 404


def test_metrics_count_requests_by_url_name_and_status_with_their_queries(client, metrics_token):
    before = (
        sample(scrape(client), "mumaris_http_request_duration_seconds_count", view="portal:terms", status="200") or 0
    )
    client.get("/terms/")
    client.get("/terms/")
    text = scrape(client)
    assert sample(text, "mumaris_http_request_duration_seconds_count", view="portal:terms", status="200") == before + 2
    client.get("/no-such-page/")
    assert sample(scrape(client), "mumaris_http_request_duration_seconds_count", view="unmatched", status="404") >= 1
    # The scrape itself reads the outbox, the tasks and the counted queues.
    assert sample(text, "mumaris_db_queries_total", view="metrics") >= 3


def test_metrics_read_the_outbox_and_the_task_queue(client, metrics_token):
    now = timezone.now()
    for index, (status, age) in enumerate(
        [(EmailStatus.PENDING, 10), (EmailStatus.PENDING, 1200), (EmailStatus.FAILED, 9000), (EmailStatus.SENT, 5)]
    ):
        email = OutboundEmail.objects.create(key=f"metrics-{index}", to_address="x@example.sa", subject="s")
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=status, created_at=now - timedelta(seconds=age), sent_at=now if status == EmailStatus.SENT else None
        )
    text = scrape(client)
    assert sample(text, "mumaris_outbox_pending", older_than="0") == 2
    assert sample(text, "mumaris_outbox_pending", older_than="900") == 1
    assert sample(text, "mumaris_outbox_pending", older_than="3600") == 0
    assert sample(text, "mumaris_outbox_failed") == 1
    assert sample(text, "mumaris_outbox_sent_last_minute") == 1
    assert sample(text, "mumaris_task_queue_depth") == 0
    assert sample(text, "mumaris_task_queue_oldest_wait_seconds") == 0


def test_metrics_read_the_review_queues_from_the_last_count(client, metrics_token, django_assert_max_num_queries):
    today = timezone.localdate()
    long_ago = (today - timedelta(days=60)).isoformat()
    CountedFigures.objects.create(
        name="queue:registration",
        counted_on=today,
        data={"waiting_by_day": [[long_ago, 3], [today.isoformat(), 2]], "decisions_per_working_day": 1.0},
    )
    text = scrape(client)
    assert sample(text, "mumaris_review_queue_waiting", kind="registration") == 5
    assert sample(text, "mumaris_review_queue_overdue", kind="registration") == 3
    # A scrape reads kept figures and a few indexed rows: it never counts a queue itself.
    with django_assert_max_num_queries(8):
        scrape(client)


def test_metrics_count_log_ins_and_lockouts(client, metrics_token, alice, password):
    before = scrape(client)
    client.post("/accounts/login/", login_data(alice.national_id, password))
    client.post("/accounts/logout/")
    for _attempt in range(5):
        client.post("/accounts/login/", login_data(alice.national_id, "wrong password"))
    text = scrape(client)
    assert sample(text, "mumaris_logins_total") == (sample(before, "mumaris_logins_total") or 0) + 1
    assert sample(text, "mumaris_lockouts_total") == (sample(before, "mumaris_lockouts_total") or 0) + 1


def test_a_rate_limit_refusal_is_counted_under_its_limit(client, metrics_token, settings):
    settings.VERIFY_RATE = "1/m"
    before = sample(scrape(client), "mumaris_rate_limit_refusals_total", limit="public-verification") or 0
    client.get("/verify/")
    assert client.get("/verify/").status_code == 429
    after = sample(scrape(client), "mumaris_rate_limit_refusals_total", limit="public-verification")
    assert after == before + 1


def test_healthz_says_ok_when_the_database_answers_and_the_queue_moves(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def fail_every_query(monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def failing_execute(self, sql, params=None):
        raise DatabaseError("database is down")

    monkeypatch.setattr(CursorWrapper, "execute", failing_execute)


def test_healthz_is_degraded_with_the_reason_when_the_database_is_down(client, monkeypatch):
    fail_every_query(monkeypatch)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"degraded: database unavailable\n"
    assert not response.cookies


def task_waiting_for(minutes):
    task = DBTaskResult.objects.create(
        status="READY", task_path="core.tasks.sweep_outbox_job", args_kwargs={"args": [], "kwargs": {}}
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - timedelta(minutes=minutes))


def test_healthz_is_degraded_when_the_oldest_task_has_waited_over_15_minutes(client):
    task_waiting_for(minutes=20)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"degraded: task queue stuck: the oldest task has waited 20 minutes\n"
    # The load balancer keeps the server: it can answer pages, and no server can fix the queue.
    assert client.get("/readyz").status_code == 200


def test_a_task_waiting_a_few_minutes_is_not_stuck(client):
    task_waiting_for(minutes=3)
    assert client.get("/healthz").status_code == 200


def test_readyz_answers_ready_and_503_without_the_database(client, monkeypatch):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready\n")
    assert not response.cookies
    fail_every_query(monkeypatch)
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"not ready: database unavailable\n")
