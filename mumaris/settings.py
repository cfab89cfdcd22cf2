"""Settings for Mumaris, read from the environment (and an optional `.env` file).

Every variable is documented in `.env.example`. A missing or malformed value stops the
process at start with a message naming the variable, never later at request time.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .floors import DEVELOPMENT_APPS, PROJECT_APPS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _env(reader, name, **kwargs):
    """Read one variable and fail loudly, naming it, when its value cannot be parsed."""
    try:
        return reader(name, **kwargs)
    except (ValueError, TypeError, ImproperlyConfigured, environ.compat.ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"Environment variable {name} has a bad value: {error}") from error


DEBUG = _env(env.bool, "DEBUG", default=False)
SECRET_KEY = _env(env.str, "SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Used only with DEBUG on, for local development.
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = _env(env.list, "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env(env.list, "CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the portal, for links in emails (core.site.absolute_url).
SITE_URL = _env(env.url, "SITE_URL", default="http://127.0.0.1:8000").geturl()

INSTALLED_APPS = [
    "core.apps.MumarisAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_ratelimit",
    "captcha",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *PROJECT_APPS,
]
# Demo and load-test data (`load_demo`, `seed_bulk`): `make run`, the tests and the benchmarks set
# DEVTOOLS=true; production never installs it, so the demo reviewer's known password cannot exist there.
DEVTOOLS = _env(env.bool, "DEVTOOLS", default=False)
if DEVTOOLS:
    INSTALLED_APPS += DEVELOPMENT_APPS
MEMBERSHIP_LOOKUP_RATE = _env(env.str, "MEMBERSHIP_LOOKUP_RATE", default="10/m")
# Emails a visitor can trigger (password reset, verification link), per address and per email.
EMAIL_SENDING_RATE = _env(env.str, "EMAIL_SENDING_RATE", default="5/h")
# Sign-up posts, per client address and per ID number typed.
SIGNUP_RATE = _env(env.str, "SIGNUP_RATE", default="10/h")

# Per-request metrics and the JSON request line (core.middleware.RequestTelemetryMiddleware), first
# so that it times everything and every answer carries X-Request-ID. Off only to measure its cost.
REQUEST_TELEMETRY = _env(env.bool, "REQUEST_TELEMETRY", default=True)
MIDDLEWARE = [
    *(["core.middleware.RequestTelemetryMiddleware"] if REQUEST_TELEMETRY else []),
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.RejectNulCharactersMiddleware",
    # The employers' API single look-up: answered here, without the page middleware below (its docstring).
    "api.middleware.LookUpMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.CookieLanguageMiddleware",
    # Before anything reads the body (the CSRF check reads POST).
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the session's device with the user (one query for both).
    "accounts.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "profiles.middleware.DataReviewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that it sees the lockout flag set by the authentication backend.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mumaris.urls"
WSGI_APPLICATION = "mumaris.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.portal",
                # Django's CSRF token from one random read, not 64 (core/csrf.py); replaces its built-in one.
                "core.csrf.csrf",
            ],
            # `{% extends %}` finding base.html's blocks once, not on every page (core/template_extends.py);
            # `{% url %}` of an address without arguments reversed once a process (core/template_url.py).
            "builtins": ["core.template_extends", "core.template_url"],
            # `{% translate "a constant" %}` kept per language, not looked up on every render (core/template_i18n.py).
            # `{% static "a constant" %}`'s address found once (core/template_static.py).
            "libraries": {"i18n": "core.template_i18n", "static": "core.template_static"},
        },
    },
    {
        # The plain-text part and subject of emails: the same templates without HTML escaping,
        # so a name such as O'Neil arrives as typed, not as O&#x27;Neil. Never used for a page.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]
# Lets our templates override the widget templates of Django and django-simple-captcha.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
INSTALLED_APPS.append("django.forms")

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": _env(env.db, "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"].get("ENGINE") not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured("Environment variable DATABASE_URL must be a postgres:// or sqlite:/// URL.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted database is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = _env(env.int, "CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Our prepared statements (core/statements.py) run on the plan made once a connection: left to
    # choose, PostgreSQL kept re-planning the API's records statement on every run (its plan for
    # an array of numbers looks dearer than one number's), 0.4 ms of the database's CPU a look-up
    # against 0.06. Set when the session starts, so no rolled-back transaction can undo it;
    # Django's own queries are not prepared and are not concerned.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache is a database table, so every worker and every app server shares it (rate
# limits included) with nothing more to run; `manage.py createcachetable` creates it. With
# Redis (CACHE_URL=redis://...) the counters are also atomic. django-ratelimit only "supports"
# memcached and django-redis, hence the silenced checks.
CACHES = {
    "default": _env(env.cache, "CACHE_URL", default="dbcache://mumaris_cache"),
    # Rendered fragments that are the same for everyone in a language (page chrome, empty
    # forms): nothing to share. In development nothing is kept, so an edited template shows.
    "fragments": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if DEBUG
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
    },
}
# With CACHE_URL=redis://...: Django's Redis cache, keeping its client (core/redis_cache.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.redis_cache.RedisCache"
# Rate limits and failure counters count in a store of their own that never culls and never
# shortens a window (core/limit_store.py): a table by default, or a Redis that never evicts
# (LIMITS_CACHE_URL=redis://..., with maxmemory-policy noeviction). Never the cache above, whose
# entries anyone's traffic can push out.
LIMITS_CACHE_URL = _env(env.str, "LIMITS_CACHE_URL", default="")
if LIMITS_CACHE_URL:
    CACHES["limits"] = _env(env.cache, "LIMITS_CACHE_URL")
    if CACHES["limits"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        raise ImproperlyConfigured("Environment variable LIMITS_CACHE_URL must be a redis:// URL (or unset).")
    CACHES["limits"]["BACKEND"] = "core.limit_store.RedisCounterStore"  # Django's, counting a hit at once
else:
    CACHES["limits"] = {"BACKEND": "core.limit_store.CounterStore"}
RATELIMIT_USE_CACHE = "limits"
RATELIMIT_VIEW = "portal.views.rate_limited"
# templates.W003: `i18n` and `static` name our libraries (core/template_i18n.py, template_static.py)
# in place of Django's, on purpose; tests/core/test_template_i18n.py fails on any other name used twice.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "templates.W003"]

# --- Accounts, passwords, sessions -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username/address pairs before any password check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.NationalIdOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("national_id", "email", "full_name_ar", "full_name_en")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.PasswordWithoutIdentityValidator"},
]
LOGIN_URL = "accounts:login"
# Django's own fallback; our log-in lands each kind of user on their page (accounts/landing.py).
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

SESSION_IDLE_TIMEOUT = timedelta(minutes=_env(env.int, "SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_env(env.int, "SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# Django's database sessions, each read with its user in one fixed statement rather than two ORM
# queries each request, a new one written once instead of twice (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Lockout: failures of one username from one address, counted in the database so every
# worker and host sees the same count.
AXES_FAILURE_LIMIT = _env(env.int, "LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=_env(env.int, "LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count for the account (its ID number) whatever user name form was typed.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
# And across all addresses, per account and password (accounts/lockout.py says why both).
ACCOUNT_FAILURE_RATE = _env(env.str, "ACCOUNT_FAILURE_RATE", default="20/h")
# Checks of the current password, per user, on every form that asks for it (changing the password
# or the two-step settings, closing the account).
CURRENT_PASSWORD_RATE = _env(env.str, "CURRENT_PASSWORD_RATE", default="5/15m")
AXES_RESET_ON_SUCCESS = True
# The package's database handler, doing less after a successful log-in (accounts/lockout.py says what).
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_SENSITIVE_PARAMETERS = ["password", "captcha_1"]
# The client address (core.clients) is REMOTE_ADDR unless TRUSTED_PROXY_COUNT says how many
# proxies we run in front of the app; only then is X-Forwarded-For read, and only their entries.
# The lockout and every rate limit use the same function.
TRUSTED_PROXY_COUNT = _env(env.int, "TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
RATELIMIT_IP_META_KEY = "core.clients.client_address"

# التحقق بخطوتين (django-otp): the name authenticator apps show for our codes.
OTP_TOTP_ISSUER = "Mumaris"
# Between the password and the code (or a staff member's set-up) the session holds a pending
# log-in for this long (accounts/login_stages.py).
LOGIN_STAGE_TIMEOUT = timedelta(minutes=10)
# A staff member's first set-up needs a single-use link sent to their email: it lasts a day, and
# log-ins send at most one per interval (accounts/enrolment_links.py).
ENROLMENT_LINK_MAX_AGE = timedelta(hours=24)
ENROLMENT_LINK_INTERVAL = timedelta(minutes=5)

CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_LENGTH = 5
CAPTCHA_CHALLENGE_FUNCT = "accounts.captcha.digits_challenge"
# Drawn at twice the size the page shows (150 × 50), so it stays sharp on high-density screens;
# the package's own 2× address keeps the 1× size and would crop the digits, so it is turned off.
CAPTCHA_FONT_SIZE = 60
CAPTCHA_IMAGE_SIZE = (300, 100)
CAPTCHA_2X_IMAGE = False
# Arcs only: the dots add little against bots and double the image's weight.
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_arcs",)
CAPTCHA_FILTER_FUNCTIONS = ("captcha.helpers.post_smooth", "accounts.captcha.greyscale")
CAPTCHA_TEST_MODE = _env(env.bool, "CAPTCHA_TEST_MODE", default=False)
# The program that speaks the code (the audio alternative to the image); empty: no audio link.
CAPTCHA_SPEECH_PROGRAM = _env(env.str, "CAPTCHA_SPEECH_PROGRAM", default=shutil.which("espeak-ng") or "")
# Spoken codes per client address: each one starts a process.
CAPTCHA_AUDIO_RATE = _env(env.str, "CAPTCHA_AUDIO_RATE", default="20/m")

TERMS_VERSION = "2026-11"

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mumaris_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Riyadh"
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents: never under STATIC_ROOT and never given a public URL; they are only
# served through the permission-checking download view.
MEDIA_ROOT = Path(_env(env.str, "MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
MEDIA_URL = None
# Documents go to local files, or to S3-compatible object storage when a bucket is named (so
# every app server sees the same files); either way they are private and have no public URL.
DOCUMENTS_BUCKET = _env(env.str, "DOCUMENTS_BUCKET", default="")
DOCUMENTS_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_BUCKET,
            "endpoint_url": _env(env.str, "DOCUMENTS_ENDPOINT_URL", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if DOCUMENTS_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DOCUMENTS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * DOCUMENT_MAX_BYTES
# A request longer than this (three documents and the form around them) is refused unread.
MAX_REQUEST_BYTES = 3 * DOCUMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Rules ---------------------------------------------------------------------------------
MEDICAL_REPORT_AGE = _env(env.int, "MEDICAL_REPORT_AGE", default=65)
# Practitioners confirm or update their member data at log-in when it is older than this,
# and may put the review off this many times before services wait for it.
DATA_REVIEW_PERIOD = timedelta(days=_env(env.int, "DATA_REVIEW_PERIOD_DAYS", default=365))
DATA_REVIEW_MAX_POSTPONEMENTS = _env(env.int, "DATA_REVIEW_MAX_POSTPONEMENTS", default=3)
# A registration is valid this many months from approval (the last day is the day before).
REGISTRATION_VALIDITY_MONTHS = _env(env.int, "REGISTRATION_VALIDITY_MONTHS", default=24)
if REGISTRATION_VALIDITY_MONTHS < 1:
    raise ImproperlyConfigured("Environment variable REGISTRATION_VALIDITY_MONTHS must be at least 1.")

# Renewal: accepted continuing-education hours needed in a registration's period, and the days
# after its last valid day during which a late renewal may still be applied for.
CPD_HOURS_REQUIRED = _env(env.int, "CPD_HOURS_REQUIRED", default=30)
# Continuing-education activities one practitioner may record in a registration period (each
# is a stored upload): far above what 30 hours need, low enough to bound the storage.
CPD_ACTIVITIES_PER_PERIOD = _env(env.int, "CPD_ACTIVITIES_PER_PERIOD", default=50)
RENEWAL_GRACE_DAYS = _env(env.int, "RENEWAL_GRACE_DAYS", default=90)

# Service levels: the working days (Sunday to Thursday, less the official holidays) within which
# each kind of request is decided, counted from its submission; the clock stops while a request
# is returned to the person for correction.
SERVICE_LEVEL_DAYS = {
    "registration": _env(env.int, "SERVICE_LEVEL_REGISTRATION_DAYS", default=10),
    "renewal": _env(env.int, "SERVICE_LEVEL_RENEWAL_DAYS", default=10),
    "data_update": _env(env.int, "SERVICE_LEVEL_DATA_UPDATE_DAYS", default=5),
    "cpd": _env(env.int, "SERVICE_LEVEL_CPD_DAYS", default=10),
}
if min(SERVICE_LEVEL_DAYS.values()) < 1:
    raise ImproperlyConfigured("Every SERVICE_LEVEL_*_DAYS environment variable must be at least 1.")

# Deadlines the person is told about, in calendar days (their deadline, not our working days).
# A request returned for correction: days to answer (counted from the day after the return; the
# day after the last one it is closed as "closed: no answer"), and the days after the return on
# which a reminder goes.
RETURNED_ANSWER_DAYS = _env(env.int, "RETURNED_ANSWER_DAYS", default=30)
RETURNED_REMINDER_DAYS = tuple(_env(env.list, "RETURNED_REMINDER_DAYS", cast=int, default=[15, 25]))
if RETURNED_ANSWER_DAYS < 1 or any(not 0 < days <= RETURNED_ANSWER_DAYS for days in RETURNED_REMINDER_DAYS):
    raise ImproperlyConfigured(
        "RETURNED_ANSWER_DAYS must be at least 1 and each RETURNED_REMINDER_DAYS between 1 and it."
    )
# A draft untouched this many days is deleted with its documents, after a warning this many days before.
DRAFT_RETENTION_DAYS = _env(env.int, "DRAFT_RETENTION_DAYS", default=180)
DRAFT_WARNING_DAYS = _env(env.int, "DRAFT_WARNING_DAYS", default=15)
if not 0 < DRAFT_WARNING_DAYS < DRAFT_RETENTION_DAYS:
    raise ImproperlyConfigured("DRAFT_WARNING_DAYS must be at least 1 and below DRAFT_RETENTION_DAYS.")
# The review queue: requests one reviewer may hold (assigned, waiting for their decision) at once,
# across every kind; "Take the next request" refuses beyond it, and so does a reassignment.
REVIEW_MAX_OPEN = _env(env.int, "REVIEW_MAX_OPEN", default=10)
if REVIEW_MAX_OPEN < 1:
    raise ImproperlyConfigured("Environment variable REVIEW_MAX_OPEN must be at least 1.")

# The public verification pages: requests per client address, and seconds a shared cache (a
# CDN) may keep one; a suspension shows there after at most that long.
VERIFY_RATE = _env(env.str, "VERIFY_RATE", default="30/m")
VERIFY_CACHE_SECONDS = _env(env.int, "VERIFY_CACHE_SECONDS", default=30)
# The employers' API: requests per token (a batch look-up of up to 100 numbers is one request).
API_RATE = _env(env.str, "API_RATE", default="120/m")

# The issuing authority the certificate names, in both languages, with its logo (an SVG, PNG or
# JPEG file; the default is a neutral emblem shipped in static/), and where certificates are issued.
CERTIFICATE_AUTHORITY_NAME_AR = _env(env.str, "CERTIFICATE_AUTHORITY_NAME_AR", default="جهة تسجيل الممارسين الصحيين")
CERTIFICATE_AUTHORITY_NAME_EN = _env(
    env.str, "CERTIFICATE_AUTHORITY_NAME_EN", default="Health Practitioners Registration Authority"
)
# An empty logo setting means the default.
CERTIFICATE_AUTHORITY_LOGO = Path(
    _env(env.str, "CERTIFICATE_AUTHORITY_LOGO", default="") or BASE_DIR / "static" / "img" / "authority-logo.svg"
)
if not CERTIFICATE_AUTHORITY_LOGO.is_file() or CERTIFICATE_AUTHORITY_LOGO.suffix.lower() not in {
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
}:
    raise ImproperlyConfigured(
        "Environment variable CERTIFICATE_AUTHORITY_LOGO must name an SVG, PNG or JPEG file, "
        f"not {CERTIFICATE_AUTHORITY_LOGO}"
    )
CERTIFICATE_PLACE_OF_ISSUE_AR = _env(env.str, "CERTIFICATE_PLACE_OF_ISSUE_AR", default="الرياض")
CERTIFICATE_PLACE_OF_ISSUE_EN = _env(env.str, "CERTIFICATE_PLACE_OF_ISSUE_EN", default="Riyadh")

# --- Email -----------------------------------------------------------------------------------
vars().update(_env(env.email, "EMAIL_URL", default="consolemail://"))
# Seconds one email's whole conversation with the mail server may take, then the attempt has
# failed and is retried later: a server that accepts and never answers holds a worker no longer.
EMAIL_TIMEOUT = _env(env.int, "EMAIL_TIMEOUT", default=20)
if EMAIL_TIMEOUT <= 0:
    raise ImproperlyConfigured("Environment variable EMAIL_TIMEOUT must be a number of seconds above 0.")
# Django's SMTP backend times each socket read alone; ours puts the deadline on the whole send.
SMTP_EMAIL_BACKEND = "core.smtp.EmailBackend"
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821  (set from EMAIL_URL above)
    EMAIL_BACKEND = SMTP_EMAIL_BACKEND
DEFAULT_FROM_EMAIL = _env(env.str, "DEFAULT_FROM_EMAIL", default="Mumaris <no-reply@mumaris.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to for help (the footer's "Contact us").
SUPPORT_EMAIL = _env(env.str, "SUPPORT_EMAIL", default="support@mumaris.localhost")

# Copies of one's own data ("download my data"), per user.
PERSONAL_DATA_EXPORT_RATE = _env(env.str, "PERSONAL_DATA_EXPORT_RATE", default="5/h")
# Continuing-education posts (each with a certificate of up to 5 MB), per user.
CPD_UPLOAD_RATE = _env(env.str, "CPD_UPLOAD_RATE", default="20/h")
# Days the access log (who opened whose file) is kept: at least 12 months.
ACCESS_LOG_RETENTION_DAYS = _env(env.int, "ACCESS_LOG_RETENTION_DAYS", default=400)

# --- Task queue ----------------------------------------------------------------------------
# Emails and periodic jobs are tasks in the database (django-tasks, the backport of Django 6's
# Tasks API, with django-tasks-db): written in the same transaction as the change they belong
# to, taken once each by `manage.py db_worker` on any server. README "The task queue".
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds to wait after each failed attempt to send an email (the last: it is marked failed).
# The default keeps trying for about three days.
EMAIL_RETRY_DELAYS = _env(
    env.list, "EMAIL_RETRY_DELAYS", cast=int, default=[60, 300, 900, 3600, 10800, 21600, 43200, 86400, 86400]
)

# --- Security ------------------------------------------------------------------------------
BEHIND_TLS_PROXY = _env(env.bool, "BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    # Only trust this header when a proxy we run sets it and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env(env.bool, "SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's and the monitor's checks and the metrics scrape reach each app server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# The portal uses no powerful browser feature: deny them all, to us and to anything embedded.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],  # the captcha's spoken code, played in place
        "font-src": [SELF],
        "form-action": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# --- Operations: metrics, logs, error reports ----------------------------------------------------
# The bearer token a Prometheus server sends to /metrics (`Authorization: Bearer …`); unset, the
# address answers 404 to everyone.
METRICS_TOKEN = _env(env.str, "METRICS_TOKEN", default="")

# One JSON object a line (python-json-logger): every request (mumaris.requests) and every security
# event (mumaris.security), each with the request's identifier.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "core.request_log.JsonLineFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    # Lines written in batches of up to 64, or each second (core.request_log.BatchedStreamHandler);
    # the request lines by a handler of their own, which `log_request` hands each line to directly.
    "handlers": {
        "console": {"class": "core.request_log.BatchedStreamHandler", "formatter": "json", "filters": ["request_id"]},
        "request_lines": {"class": "core.request_log.RequestLineHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "mumaris.requests": {"level": "INFO", "handlers": ["request_lines"], "propagate": False},
        "mumaris.security": {"level": "INFO"},
        "mumaris.email": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Its 4xx warnings name the path (signed links, reset tokens): the request line covers
        # them by URL name. Errors (5xx, with their traceback) are still logged.
        "django.request": {"level": "ERROR"},
    },
}

# Error reports to Sentry when a DSN is given (sentry-sdk): no personal data sent, and what is
# sent scrubbed (core/sentry.py).
SENTRY_DSN = _env(env.str, "SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import start_error_reports

    start_error_reports(SENTRY_DSN, environment=_env(env.str, "SENTRY_ENVIRONMENT", default="production"))
