"""Failed log-ins counted per account, whatever form of user name was typed.

Two limits work together (both in README "Security"):
- django-axes locks one account from one client address after LOGIN_FAILURE_LIMIT failures
  (5 in 15 minutes). The user name it counts is the account's ID number, so typing the email,
  another case or Arabic-Indic digits counts for the same account.
- Across all addresses, an account refuses log-in after ACCOUNT_FAILURE_RATE failures (20 an
  hour): a botnet cannot try 5 passwords from each of a thousand addresses. The count is kept
  per password, so resetting the password starts it afresh and the owner is never stuck.
Every attempt needs a solved captcha, so locking someone else's account costs 20 solved
captchas an hour, from at least four addresses, and the owner can always reset.
"""

from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_session_hash, get_credentials
from axes.models import AccessLog
from django.utils.crypto import salted_hmac

from core.digits import normalize_digits
from core.limits import LIMITS
from core.metrics import record_refusal

from .backends import account_for_login

ACCOUNT_FAILURES_GROUP = "accounts.login-failures"


def normalize_login(value):
    """The canonical form of what a person types as user name: digits in ASCII, trimmed, emails lower-cased."""
    value = normalize_digits(value).strip()
    return value.lower() if "@" in value else value


def lockout_username(request, credentials=None):
    """The name django-axes counts failures under: the account's ID number when one matches."""
    typed = (credentials or {}).get("username") or (request.POST.get("username", "") if request else "")
    login = normalize_login(typed)
    user = account_for_login(request, login) if login else None
    return user.national_id if user is not None else login


def account_failures_key(request, login):
    """The per-account counter's key: the account and its current password (a reset starts afresh)."""
    user = account_for_login(request, login)
    if user is None:
        # Counted all the same, so that the limit does not tell which accounts exist.
        return f"unknown:{login}"
    password_version = salted_hmac(ACCOUNT_FAILURES_GROUP, user.password).hexdigest()[:16]
    return f"{user.pk}:{password_version}"


def account_failure_limit_reached(key):
    limit = LIMITS["account-failures"]
    failures = limit.counted(key)
    reached = failures is not None and failures >= limit.allowed
    if reached:
        record_refusal("account-failures")
    return reached


def record_account_failure(request, key):
    LIMITS["account-failures"].count(request, value=key)


# The failures django-axes counted for this request's (ID number, address) pair before the password
# was checked, kept on the request by `LockoutHandler`.
FAILURES_BEFORE_CHECK = "lockout_failures_before_check"


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), with less work after a successful log-in.

    The package's handler, after every successful log-in, deletes every expired attempt in the
    table, writes the access log row (`AccessLog`) and deletes this pair's attempts
    (AXES_RESET_ON_SUCCESS): three statements, as each delete reads its rows first. Here:
    - expired attempts are still deleted on each failure and log-out (the package's own calls),
      not on each success: they count for nothing meanwhile (only attempts within the cool-off do);
    - the pair's attempts are deleted only when the lockout check of this request counted any. A
      log-in that follows a check which counted none has nothing to reset; one that comes from a
      later stage (the code step) has no count and resets as before. A failure recorded by another
      request in between is kept, which can only lock sooner.
    The access log row is written as before.
    """

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        setattr(request, FAILURES_BEFORE_CHECK, failures)
        return failures

    def user_logged_in(self, sender, request, user, **kwargs):
        username = user.get_username()
        if not axes_settings.AXES_DISABLE_ACCESS_LOG:
            AccessLog.objects.create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                session_hash=get_client_session_hash(request),
            )
        if axes_settings.AXES_RESET_ON_SUCCESS and getattr(request, FAILURES_BEFORE_CHECK, None) != 0:
            self.reset_user_attempts(request, get_credentials(username))
