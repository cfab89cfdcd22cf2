"""The register: each practitioner's registration, its validity and status, the certificates
issued for it, and the share codes a practitioner gives employers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.site import absolute_reverse
from profiles.models import PractitionerProfile

from .codes import format_code


class RegistrationStatus(models.TextChoices):
    """What staff decided. "Expired" is not stored: it is read off the date (see validity.py)."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class Registration(models.Model):
    profile = models.OneToOneField(
        PractitionerProfile, on_delete=models.PROTECT, related_name="registration", verbose_name=_("practitioner")
    )
    registered_on = models.DateField(_("registered on"))
    # The current period: renewal moves both dates on.
    period_start = models.DateField(_("current period from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    # Bumped on every change: the certificate cache is keyed by it.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_on", "-id"]
        permissions = [("decide_registration", _("Can suspend, reinstate and revoke registrations"))]

    def __str__(self):
        return self.profile.display_membership_number


class RegistrationEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Suspension lifted")
    REVOKED = "revoked", _("Revoked")
    RENEWED = "renewed", _("Renewed")


class RegistrationEvent(models.Model):
    """The registration's timeline: who changed what, when and why."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="events", verbose_name=_("registration")
    )
    kind = models.CharField(_("event"), max_length=12, choices=RegistrationEventKind.choices)
    valid_until = models.DateField(_("valid until"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Certificate(models.Model):
    """One issued certificate. Its code is what the QR code carries; a renewal issues a new one
    and marks this one replaced, so an old paper copy still verifies and says a newer one exists."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("registration")
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], condition=Q(replaced_at__isnull=True), name="registry_one_current_certificate"
            )
        ]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self):
        return format_code(self.code)


class ShareCode(models.Model):
    """A time-limited view of a registration that a practitioner gives an employer."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="share_codes", verbose_name=_("registration")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    shares_work_history = models.BooleanField(_("employer and specialty history"), default=False)
    shares_timeline = models.BooleanField(_("registration timeline"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    last_viewed_at = models.DateTimeField(_("last viewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("share code")
        verbose_name_plural = _("share codes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label or self.display_code

    @property
    def display_code(self):
        return format_code(self.code)

    @property
    def url(self):
        return absolute_reverse("registry:verify_code", args=[self.display_code])


class ShareCodeView(models.Model):
    """When a share code was opened (no address or other trace of the visitor is kept)."""

    share_code = models.ForeignKey(ShareCode, on_delete=models.CASCADE, related_name="views", verbose_name=_("code"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("share code view")
        verbose_name_plural = _("share code views")
        ordering = ["-at", "-id"]
        # In the order a code's openings are shown (ordering above, with its tie-break): the share
        # page reads a code's twentieth latest and those after it straight from here, however many
        # times the code was opened. Without `-id`, PostgreSQL read every opening and sorted them.
        indexes = [models.Index(fields=["share_code", "-at", "-id"], name="registry_share_view_latest")]

    def __str__(self):
        return f"{self.share_code_id} {self.at:%Y-%m-%d %H:%M}"
