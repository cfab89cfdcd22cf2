"""Settings for the test suite: the real settings with test-only switches.

django-simple-captcha reads CAPTCHA_TEST_MODE once at import, so `override_settings` cannot
turn it on; it is set here before anything imports the package. Tests that need the real
challenge solve it from the database (see tests/accounts/test_captcha.py).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# The development .env turns DEBUG on; the tests run as production does.
os.environ.setdefault("DEBUG", "false")
# The demo people and the bulk loader are part of what the tests check.
os.environ.setdefault("DEVTOOLS", "true")

from .settings import *  # noqa: E402, F403

CAPTCHA_TEST_MODE = True
DEBUG = False
# Argon2 stays first in production (tests/portal/test_settings.py holds that); a fast hasher
# keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The rate limits keep their real store (LIMITS_CACHE_URL: the table, or Redis in the Redis pass).
CACHES = {
    "limits": CACHES["limits"],  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Serve static files straight from the sources: the tests do not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Django's live test server mounts MEDIA_URL and cannot take None; this prefix is linked from
# nowhere and exists only in the test server.
MEDIA_URL = "/test-media-not-linked/"
TASKS = {"default": {"BACKEND": "tests.tasks_backend.OnCommitImmediateBackend"}}
