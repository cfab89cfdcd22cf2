"""The log-in as stages, kept as a pending log-in in the session (as django-allauth's stages).

The password (with the captcha) starts it; someone with a second factor then types a code, and a
staff member without one sets one up through the link emailed to them. Django's `login()` runs
after the last stage only: until then the person is anonymous — `last_login`, the "login" log
line, `request.user` and every page's header know nothing of them — and the data review is a gate
after log-in (profiles/middleware.py). The pending log-in holds the user and their backend, when
it began (it lasts LOGIN_STAGE_TIMEOUT), the "keep me logged in" choice, where to go after, and
the password's version, so that a password reset in between ends it. The session key changes
when it starts and again at `login()`.
"""

import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import login as otp_login

from .enrolment_links import send_enrolment_link, use_enrolment_link
from .two_factor import enrolment_device, has_second_factor

PENDING_LOGIN_KEY = "accounts.pending_login"
# An enrolment link opened in a browser before the password was typed there.
OPENED_LINK_KEY = "accounts.opened_enrolment_link"
# The app device being set up in this session (see two_factor.enrolment_device).
ENROLMENT_DEVICE_KEY = "accounts.enrolment_device"


class Stage(StrEnum):
    CODE = "code"
    ENROL = "enrol"


def first_stage(user):
    """What follows the password: the code, a staff member's set-up, or nothing."""
    if has_second_factor(user):
        return Stage.CODE
    if user.is_staff:
        return Stage.ENROL
    return None


@dataclass(frozen=True)
class PendingLogin:
    user: object
    stage: Stage
    backend: str
    remember: bool
    next_url: str
    link_used: bool


def password_version(user):
    return salted_hmac(PENDING_LOGIN_KEY, user.password).hexdigest()


def start(request, user, *, remember, next_url):
    """After the right password: log in now when no stage follows, else keep a pending log-in
    (and, for a staff member's set-up, use the link opened here or email one). Returns the stage."""
    stage = first_stage(user)
    if stage is None:
        finish(request, user, user.backend, remember=remember)
        return None
    opened_link = request.session.get(OPENED_LINK_KEY)
    if request.user.is_authenticated:
        logout(request)  # someone else's log-in in this browser ends here
    request.session.cycle_key()
    request.session[PENDING_LOGIN_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "stage": stage,
        "started": time.time(),
        "remember": remember,
        "next": next_url,
        "password": password_version(user),
        "link_used": False,
    }
    request.session.pop(OPENED_LINK_KEY, None)
    if stage == Stage.ENROL and not (opened_link and use_link(request, opened_link)):
        send_enrolment_link(user)
    return stage


def pending_login(request, stage):
    """The pending log-in at `stage`, or None: none, another stage, or one that has expired or
    whose account changed since (then forgotten)."""
    data = request.session.get(PENDING_LOGIN_KEY)
    if data is None:
        return None
    user = get_user_model()._default_manager.filter(pk=data["user"], is_active=True).first()
    expired = time.time() - data["started"] > settings.LOGIN_STAGE_TIMEOUT.total_seconds()
    if expired or user is None or not constant_time_compare(data["password"], password_version(user)):
        request.session.pop(PENDING_LOGIN_KEY)
        return None
    if data["stage"] != stage:
        return None
    return PendingLogin(
        user=user,
        stage=Stage(data["stage"]),
        backend=data["backend"],
        remember=data["remember"],
        next_url=data["next"],
        link_used=data["link_used"],
    )


def use_link(request, key):
    """An enrolment link opened in the browser whose pending log-in it belongs to: spends it and
    lets the set-up begin, with a fresh stage clock (True). Otherwise False and nothing changes."""
    pending = pending_login(request, Stage.ENROL)
    if pending is None or not use_enrolment_link(key, pending.user):
        return False
    request.session[PENDING_LOGIN_KEY] = {
        **request.session[PENDING_LOGIN_KEY],
        "link_used": True,
        "started": time.time(),
    }
    return True


def remember_opened_link(request, key):
    """The link was opened where nobody has typed the password yet: the log-in here continues to the set-up."""
    request.session[OPENED_LINK_KEY] = key


def session_enrolment_device(request, user):
    """The app device set up in this session: made here on first use and kept by its id."""
    return keep_enrolment_device(request, enrolment_device(user, request.session.get(ENROLMENT_DEVICE_KEY)))


def keep_enrolment_device(request, device):
    """`device`, kept by its id as the one set up in this session."""
    if request.session.get(ENROLMENT_DEVICE_KEY) != device.pk:
        request.session[ENROLMENT_DEVICE_KEY] = device.pk  # a session written only when it changes
    return device


def complete(request, pending, device):
    """The last stage passed with `device`: the person is logged in now, verified by it."""
    request.session.pop(PENDING_LOGIN_KEY)
    request.session.pop(ENROLMENT_DEVICE_KEY, None)
    finish(request, pending.user, pending.backend, remember=pending.remember, device=device)


def finish(request, user, backend, *, remember, device=None):
    # The new session row, the old one's deletion, the last log-in time and the lockout log are
    # written in one commit instead of one each (SessionMiddleware's save at the end of the
    # request then finds the session as written: accounts/sessions.py).
    with transaction.atomic():
        login(request, user, backend=backend)  # rotates the session key
        if device is not None:
            otp_login(request, device)
        if not remember:
            # The cookie ends with the browser; the absolute limit applies either way.
            request.session.set_expiry(0)
        request.session.save()
