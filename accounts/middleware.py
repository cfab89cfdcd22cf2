"""Sessions end after a period of inactivity and after an absolute maximum; and someone with a
second factor reaches nothing but the code step until they have typed a code."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.middleware import is_always_reachable

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


SECOND_FACTOR_PENDING_KEY = "accounts.second_factor_pending"


class SecondFactorMiddleware:
    """After the password, a person with التحقق بخطوتين on is sent to the code step for every page
    until a code is accepted (django-otp then marks the session verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.session.get(SECOND_FACTOR_PENDING_KEY):
            return None
        if not request.user.is_authenticated or request.user.is_verified():
            request.session.pop(SECOND_FACTOR_PENDING_KEY, None)
            return None
        # Reachable between the password and the code: the code step, and what always is.
        if request.resolver_match.view_name == "accounts:login_code" or is_always_reachable(request, view_func):
            return None
        return redirect(f"{reverse('accounts:login_code')}?{urlencode({'next': request.get_full_path()})}")
