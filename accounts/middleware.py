"""Sessions end after a period of inactivity and after an absolute maximum; the session's
second-factor device is read with the user.

(Nobody is logged in before their second factor: see accounts/login_stages.py.)"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import get_user as get_session_user
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware

from .backends import SESSION_APP_DEVICE, SessionBeingRead, session_being_read
from .session_user import app_device_id

# The user was read without the device (something read it first): the package looks it up.
NOT_READ = object()

LOGIN_TIME_KEY = "accounts.login_time"
LAST_ACTIVITY_KEY = "accounts.last_activity"
# Refreshing the activity time on every request would write the session every time.
ACTIVITY_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check_session(request)
        return self.get_response(request)

    def check_session(self, request):
        now = time.time()
        session = request.session
        login_time = session.get(LOGIN_TIME_KEY, now)
        last_activity = session.get(LAST_ACTIVITY_KEY, now)
        idle_expired = now - last_activity > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute_expired = now - login_time > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if idle_expired or absolute_expired:
            logout(request)
            messages.warning(request, _("Your session has ended for your security. Log in again."))
            return
        if LOGIN_TIME_KEY not in session:
            session[LOGIN_TIME_KEY] = now
        if now - last_activity >= ACTIVITY_RESOLUTION_SECONDS or LAST_ACTIVITY_KEY not in session:
            session[LAST_ACTIVITY_KEY] = now


def start_session_clock(request):
    """Called right after log-in: both timeouts count from now."""
    now = time.time()
    request.session[LOGIN_TIME_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's middleware without a query of its own when the session was verified by an app
    device: that device is read in the user's query, in this request (accounts.backends), so a
    device reset or deleted counts at once. A recovery-code session is looked up by the package
    as before, and the package's checks (the user's device, confirmed) apply either way."""

    def _install_lazy_accessors(self, request):
        # The user is read at once instead of behind the package's lazy object: the next middleware
        # (SessionTimeoutMiddleware) reads it on every request anyway, and each attribute read
        # through the lazy object (forty or so a signed-in page) cost a Python call, most of them
        # an AttributeError raised and caught as well. `request.auser` stays the package's.
        user = getattr(request, "user", None)
        super()._install_lazy_accessors(request)
        if user is not None:
            request.user = self._verify_user_sync(request, user)

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)  # the session's row read, with its user
        device_id = app_device_id(persistent_id) if persistent_id else None
        reading = session_being_read.set(SessionBeingRead(request.session, device_id))
        try:
            # The session's user itself rather than Django's lazy `request.user` (`user`), whose
            # every attribute read costs a proxy's call.
            user = get_session_user(request)
            self._init_user_fields(user)
        finally:
            session_being_read.reset(reading)
        if user.is_authenticated:
            device = getattr(user, SESSION_APP_DEVICE, NOT_READ) if device_id is not None else NOT_READ
            if device is NOT_READ:
                device = self._device_from_persistent_id(persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
        return user
