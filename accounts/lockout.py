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

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from core.digits import normalize_digits
from core.limits import LIMITS
from core.metrics import record_refusal

ACCOUNT_FAILURES_GROUP = "accounts.login-failures"


def normalize_login(value):
    """The canonical form of what a person types as user name: digits in ASCII, trimmed, emails lower-cased."""
    value = normalize_digits(value).strip()
    return value.lower() if "@" in value else value


def lockout_username(request, credentials=None):
    """The name django-axes counts failures under: the account's ID number when one matches."""
    typed = (credentials or {}).get("username") or (request.POST.get("username", "") if request else "")
    login = normalize_login(typed)
    user = get_user_model().objects.find_by_login(login) if login else None
    return user.national_id if user is not None else login


def account_failures_key(login):
    """The per-account counter's key: the account and its current password (a reset starts afresh)."""
    user = get_user_model().objects.find_by_login(login)
    if user is None:
        # Counted all the same, so that the limit does not tell which accounts exist.
        return f"unknown:{login}"
    password_version = salted_hmac(ACCOUNT_FAILURES_GROUP, user.password).hexdigest()[:16]
    return f"{user.pk}:{password_version}"


def account_failure_limit_reached(request, key):
    usage = LIMITS["account-failures"].count(request, value=key, increment=False)
    reached = usage is not None and usage["count"] >= usage["limit"]
    if reached:
        record_refusal("account-failures")
    return reached


def record_account_failure(request, key):
    LIMITS["account-failures"].count(request, value=key)
