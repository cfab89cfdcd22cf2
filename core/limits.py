"""Every rate limit, declared once: its name, its rate, what it counts and its window.

A limit counts one value per request (the client address, the signed-in user, a value typed
into the form) in fixed windows of its rate's period, with django-ratelimit's keys and windows,
on the `limits` store (core/limit_store.py: a table that never culls, or a Redis that never
evicts), which counts a hit in one round trip (`count_hit`).
Views take limits with `@limited(name, …)`; the names are checked in order and the first one
reached refuses the request before any later one writes a key, so the cheap per-address limit
goes first and a refused client cannot make us store one key per value it types.
`tests/portal/test_limits.py` walks this table: every limit holds its whole window.
"""

import time
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django_ratelimit import ALL
from django_ratelimit.core import _SIMPLE_KEYS, EXPIRATION_FUDGE, _get_window, _make_cache_key, _split_rate
from django_ratelimit.exceptions import Ratelimited

from .digits import digits_only
from .metrics import record_refusal


def posted_digits(name):
    """The digits typed into a form field (any digit script), as the key."""
    return lambda group, request: digits_only(request.POST.get(name, ""))


def posted_lowercase(name):
    """What was typed into a form field, trimmed and lower-cased (an email address), as the key."""
    return lambda group, request: request.POST.get(name, "").strip().lower()


@dataclass(frozen=True)
class Limit:
    name: str
    # The setting that holds the rate, e.g. "10/h" (README "Security").
    rate_setting: str
    counts: str
    # django-ratelimit's key: "ip" (core.clients.client_address), "user", or a function of the
    # request; None for a limit its caller counts with a value of its own (`count`).
    key: object = None
    methods: tuple = field(default=("POST",))

    @property
    def rate(self):
        return getattr(settings, self.rate_setting)

    @property
    def allowed(self):
        """Requests allowed in one window."""
        return _split_rate(self.rate)[0]

    @property
    def window_seconds(self):
        return _split_rate(self.rate)[1]

    def count(self, request=None, *, value=None, tally=None):
        """Count this request; django-ratelimit's usage dict, or None when rate limiting is switched
        off. `value` names what is counted instead of the key; `tally` (core.limit_store.Tally, on
        a store that keeps tallies) is added up with the hit when the request is let through, in
        the same round trip.

        The window and the key are django-ratelimit's (`get_usage`), so counts carry over; the hit
        is one call of the store (its `count_hit`) where `get_usage` makes two or three."""
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        if value is None:
            value = self.key(self.name, request) if callable(self.key) else _SIMPLE_KEYS[self.key](request)
        allowed, period = _split_rate(self.rate)
        window = _get_window(value, period)
        key = _make_cache_key(self.name, window, self.rate, value, ALL)
        extra = {} if tally is None else {"tally": tally, "allowed": allowed}
        count = caches[settings.RATELIMIT_USE_CACHE].count_hit(key, period + EXPIRATION_FUDGE, **extra)
        time_left = window - int(time.time())
        return {"count": count, "limit": allowed, "should_limit": count > allowed, "time_left": time_left}

    def counted(self, value):
        """What this window has counted for `value` so far, read without counting; None when rate
        limiting is switched off. One read: django-ratelimit's own (`get_usage(increment=False)`)
        first writes a counter of 0, a write on every log-in. The counter's key is `count`'s."""
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        window = _get_window(value, self.window_seconds)
        counter = _make_cache_key(self.name, window, self.rate, value, ALL)
        return caches[settings.RATELIMIT_USE_CACHE].get(counter, 0)

    def reached(self, request=None, *, value=None):
        usage = self.count(request, value=value)
        refused = usage is not None and usage["should_limit"]
        if refused:
            record_refusal(self.name)
        return refused


LIMITS = {
    limit.name: limit
    for limit in (
        Limit("signup-per-address", "SIGNUP_RATE", "sign-up posts per client address", "ip"),
        Limit("signup-per-id-number", "SIGNUP_RATE", "sign-up posts per ID number typed", posted_digits("national_id")),
        Limit("email-sending-per-address", "EMAIL_SENDING_RATE", "emails requested per client address", "ip"),
        Limit(
            "email-sending-per-email",
            "EMAIL_SENDING_RATE",
            "emails requested per email typed",
            posted_lowercase("email"),
        ),
        Limit("account-failures", "ACCOUNT_FAILURE_RATE", "failed log-ins per account and password, all addresses"),
        Limit("current-password", "CURRENT_PASSWORD_RATE", "current-password checks per user", "user"),
        Limit("membership-lookup", "MEMBERSHIP_LOOKUP_RATE", "membership-number look-ups per user", "user"),
        Limit("personal-data-export", "PERSONAL_DATA_EXPORT_RATE", "data downloads per user", "user"),
        Limit(
            "cpd-upload",
            "CPD_UPLOAD_RATE",
            "continuing-education posts (each with a 5 MB certificate) per user",
            "user",
        ),
        Limit("public-verification", "VERIFY_RATE", "verification pages per client address", "ip", methods=()),
        Limit("api-token", "API_RATE", "employers' API requests per token", methods=()),
        Limit("captcha-audio", "CAPTCHA_AUDIO_RATE", "spoken captcha codes per client address", "ip", methods=()),
    )
}


def limited(*names):
    """Refuse the request (429, RATELIMIT_VIEW) once any of the named limits is reached, checked in
    order. A limit with methods counts only those methods; with none, every request."""
    limits = [LIMITS[name] for name in names]

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            for limit in limits:
                if (not limit.methods or request.method in limit.methods) and limit.reached(request):
                    raise Ratelimited
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
