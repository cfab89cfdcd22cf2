"""Sessions end after a period of inactivity and after an absolute maximum.

(Nobody is logged in before their second factor: see accounts/login_stages.py.)"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

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
