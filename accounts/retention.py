"""What the accounts app keeps no longer than it needs: the daily job `prune_sessions_and_log_ins`.

- Sessions past their expiry. `accounts/sessions.py` never reads one again, so each is only a row;
  without this the table grew by every log-in and every visitor's session for ever (Django's
  `clearsessions`, as a job).
- django-axes' records of log-ins (`AccessLog`) and of failed ones (`AccessFailureLog`), with the
  address and the browser: kept ACCESS_LOG_RETENTION_DAYS, as the access log (at least 12 months,
  for an investigation), then deleted.
The lockout's own state (`AccessAttempt`) is django-axes' to keep and reset.
"""

from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from .models import Session


def prune_sessions_and_log_ins(now=None):
    """Delete ended sessions and log-in records past the retention: how many of each. Each is one
    DELETE (no signals or relations to collect), safe on every server at once."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    sessions, _by_model = Session.objects.filter(expire_date__lt=now).delete()
    log_ins, _by_model = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _by_model = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return {"sessions": sessions, "log_ins": log_ins, "failed_log_ins": failures}
