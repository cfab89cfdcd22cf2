"""Authentication by national ID / iqama number or by email."""

from contextvars import ContextVar
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.fixed_reads import fixed_read

from .session_user import read_session_user


class SessionBeingRead(NamedTuple):
    """The request's session (accounts/sessions.py), which read its user with its row, and the app
    device (its id) its data say it was verified by."""

    session: object
    app_device_id: int | None


# Set by accounts.middleware.OTPMiddleware while Django reads the session's user: the user comes
# as the session read it, or else with that device in one query; the device is left on it as
# `SESSION_APP_DEVICE`. Unset: the user alone, as before.
session_being_read = ContextVar("session_being_read", default=None)
SESSION_APP_DEVICE = "session_app_device"
# Where `account_for_login` keeps, on the request, the accounts it has read.
ACCOUNTS_READ = "accounts_by_login"


def account_for_login(request, login):
    """The account `login` (an ID number or an email, normalised) names, or None: read once per request.

    A log-in POST needs it four times — the per-account failure counter, django-axes' lockout name
    before the password check and again after the log-in, and the password check — each a query
    of its own before. It comes with its practitioner profile, which the landing page and the
    data review read next. Kept on the request only: the next request reads it afresh.
    """
    accounts = getattr(request, ACCOUNTS_READ, None)
    if accounts is None:
        accounts = {}
        if request is not None:
            setattr(request, ACCOUNTS_READ, accounts)
    if login not in accounts:
        user = account_by_login(login)
        accounts[login] = user
        if user is not None:
            accounts.setdefault(user.national_id, user)  # what django-axes asks after the log-in
    return accounts[login]


def account_by_login(login):
    """The account whose ID number or email (any case) is `login`, with its practitioner profile,
    or None. Each of the two reads is compiled once (core/fixed_reads.py): the log-in POST's own
    work beyond the password hash is what issue 27 measures."""
    found = _account_by_email(login.lower()) if "@" in login else _account_by_national_id(login)
    return found[0] if found else None


@fixed_read
def _account_by_email(email_lower):
    return _accounts().with_email(email_lower)[:1]


@fixed_read
def _account_by_national_id(national_id):
    return _accounts().filter(national_id=national_id)[:1]


def _accounts():
    return get_user_model()._default_manager.select_related("practitioner_profile").order_by("pk")


class NationalIdOrEmailBackend(ModelBackend):
    """Log in with the ID number or the email (any case) and the password.

    Inactive users with the right password are returned so the log-in form can tell an
    unverified person how to verify (as Django's AllowAllUsersModelBackend does); sessions
    of inactive users are still refused by `get_user`.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = account_for_login(request, username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal who exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password):
            return user
        return None

    def get_user(self, user_id):
        # Every signed-in page reads the practitioner's profile (menus, طلباتي, the data review)
        # and its specialty, and a verified session its app device: all with the user, in the
        # session's own statement, else in one of their own (accounts/session_user.py). (WSGI
        # only: `aget_user` is Django's.)
        reading = session_being_read.get()
        device_id = reading.app_device_id if reading is not None else None
        found = reading.session.take_user_read(user_id, device_id) if reading is not None else None
        user, device = found or read_session_user(user_id, device_id)
        if user is not None and device_id is not None:
            setattr(user, SESSION_APP_DEVICE, device)  # None: gone or not this user's
        return user if user is not None and self.user_can_authenticate(user) else None
