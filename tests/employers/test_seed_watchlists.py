"""`manage.py seed_watchlists` (the organisations of the scale figures) on a few hundred rows, on
PostgreSQL: its COPY must follow the models, and the next morning's alert must find its changes."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.models import OutboundEmail
from employers.alerts import send_daily_alerts
from employers.models import Organisation, WatchedPractitioner, WatchRecord
from registry.models import Registration

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_watchlists uses COPY (CI's second pass)"),
]


def test_organisations_watch_every_registration_and_hear_of_yesterdays_changes():
    call_command("seed_bulk", 300, "--batch-size", "100", stdout=io.StringIO())
    call_command("seed_watchlists", 20, "--changes", "30", stdout=io.StringIO())
    assert Organisation.objects.filter(status="approved").count() == 20
    assert WatchedPractitioner.objects.count() == WatchRecord.objects.count() == Registration.objects.count()
    assert Registration.objects.filter(valid_until=timezone.localdate() - timedelta(days=1)).count() == 10
    sent = send_daily_alerts(timezone.localdate())
    assert sent > 0
    assert OutboundEmail.objects.filter(key__startswith="employers-daily-alert:").count() == sent
