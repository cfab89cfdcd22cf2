"""The daily job deletes ended sessions and log-in records past the retention, and nothing else."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from accounts.models import Session
from accounts.retention import prune_sessions_and_log_ins
from accounts.tasks import prune_sessions_and_log_ins_job

pytestmark = pytest.mark.django_db


def session(key, expires_in):
    return Session.objects.create(session_key=key, session_data="", expire_date=timezone.now() + expires_in)


def aged(model, username, days):
    row = model.objects.create(username=username, ip_address="10.0.0.1")
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return row


def test_an_ended_session_goes_and_a_live_one_stays():
    session("ended" * 4, timedelta(seconds=-1))
    session("live" * 5, timedelta(minutes=5))
    assert prune_sessions_and_log_ins()["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" * 5]


def test_log_in_records_go_after_the_retention_and_not_before(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 400
    aged(AccessLog, "old", 401)
    aged(AccessLog, "kept", 399)
    aged(AccessFailureLog, "old", 401)
    aged(AccessFailureLog, "kept", 399)
    attempt = AccessAttempt.objects.create(username="old", ip_address="10.0.0.1", failures_since_start=2)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(days=500))

    assert prune_sessions_and_log_ins() == {"sessions": 0, "log_ins": 1, "failed_log_ins": 1}
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["kept"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["kept"]
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()  # the lockout's state is axes' own


def test_the_signed_in_person_keeps_their_session(alice_client):
    key = alice_client.session.session_key
    assert prune_sessions_and_log_ins_job.call()["sessions"] == 0
    assert Session.objects.filter(session_key=key).exists()
    assert alice_client.get("/accounts/account/").status_code == 200
