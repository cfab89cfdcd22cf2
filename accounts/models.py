"""The portal's user: one person, known by national ID / iqama number and email."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import reject_bidi_controls

from .national_id import validate_national_id


class UserQuerySet(models.QuerySet):
    def with_email(self, email):
        """Users whose email is `email` in any case (uses the unique index on lower(email))."""
        return self.annotate(email_lower=Lower("email")).filter(email_lower=email.lower())


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, national_id, email, password=None, **extra_fields):
        user = self.model(national_id=national_id, email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_verified_user(self, national_id, email, password=None, **extra_fields):
        """An active account whose email counts as verified (staff, demo people)."""
        extra_fields.update(is_active=True, email_verified_at=timezone.now())
        return self.create_user(national_id, email, password, **extra_fields)

    def create_superuser(self, national_id, email, password=None, **extra_fields):
        return self.create_verified_user(national_id, email, password, is_staff=True, is_superuser=True, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    national_id = models.CharField(
        _("ID number"),
        max_length=10,
        unique=True,
        validators=[validate_national_id],
        help_text=_("National ID (starts with 1) or iqama number (starts with 2)."),
    )
    email = models.EmailField(_("email"), max_length=254)
    full_name_ar = models.CharField(_("name"), max_length=150, validators=[reject_bidi_controls])
    full_name_en = models.CharField(_("name in English"), max_length=150, blank=True, validators=[reject_bidi_controls])
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("Inactive until the email address is verified, or when staff disable the account."),
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    terms_version = models.CharField(_("terms version accepted"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "national_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "full_name_ar"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique_ci")]

    def __str__(self):
        return f"{self.full_name_ar} ({self.national_id})"

    @property
    def display_name(self):
        """The name to greet the user with in the active language."""
        from django.utils.translation import get_language

        if get_language() == "en" and self.full_name_en:
            return self.full_name_en
        return self.full_name_ar

    def get_short_name(self):
        # Django's admin greets staff with this (its fallback is the ID number).
        return self.display_name

    @property
    def is_awaiting_verification(self):
        return not self.is_active and self.email_verified_at is None


class EnrolmentLink(models.Model):
    """The link a staff member without a second factor sets one up with (accounts/enrolment_links.py).

    One row per person: a new link replaces the last one. Only a hash of the link's token is
    kept; it is emptied when the link is used, and the row goes when a device is confirmed.
    `sent_at` spaces the emails a log-in can trigger.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="enrolment_link"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")

    def __str__(self):
        return f"{self.user_id} {self.sent_at:%Y-%m-%d %H:%M}"


class Session(AbstractBaseSession):
    """Django's database session, with two columns more: whose it is and the app device it was
    verified by, both as its data say (written from them at every save: accounts/sessions.py).
    With them a signed-in request reads its session, its user and the device in one statement
    (accounts/session_user.py); the data stay what counts, the columns only lead the read."""

    # Deleting a user deletes their sessions; no constraint in the database, so no write of a
    # session can fail on a user deleted meanwhile (the data, not the column, decide whose it is).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    app_device_id = models.PositiveIntegerField(null=True)

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
