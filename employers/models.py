"""Organisations that watch practitioners' registrations, their members, invitations and watchlists.

An organisation is a request like any other: staff decide it (employers/workflow.py), and until it
is approved it can do nothing. Its members are ordinary accounts with a role in it; one person may
belong to several organisations.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.forms import reject_bidi_controls
from registry.models import Registration, ShareCode

commercial_registration_validator = RegexValidator(
    r"^[0-9]{10}$", _("A commercial registration number has 10 digits."), code="commercial_registration"
)


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Organisation(models.Model):
    name_ar = models.CharField(_("name in Arabic"), max_length=200, validators=[reject_bidi_controls])
    name_en = models.CharField(_("name in English"), max_length=200, validators=[reject_bidi_controls])
    commercial_registration = models.CharField(
        _("commercial registration number"),
        max_length=10,
        unique=True,
        validators=[commercial_registration_validator],
    )
    facility_licence = models.CharField(_("facility licence number"), max_length=50, validators=[reject_bidi_controls])
    city = models.CharField(_("city"), max_length=100, validators=[reject_bidi_controls])
    contact_email = models.EmailField(_("contact email"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    # The decision (core.decisions.record_decision): the reason is what the organisation reads.
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Who asked for it: the account that signed it up, its first administrator.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["-created_at", "-id"]
        permissions = [("decide_organisation", _("Can approve and refuse organisations"))]

    def __str__(self):
        return self.name_ar

    @property
    def is_approved(self):
        return self.status == OrganisationStatus.APPROVED


class MemberRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=15, choices=MemberRole.choices, default=MemberRole.VIEWER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="employers_one_membership_per_person")
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.user_id} {self.role}"

    @property
    def is_administrator(self):
        return self.role == MemberRole.ADMINISTRATOR


class Invitation(models.Model):
    """An emailed, single-use link to join an organisation. Only the SHA-256 of its token is kept."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email"), max_length=254)
    role = models.CharField(_("role"), max_length=15, choices=MemberRole.choices, default=MemberRole.VIEWER)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organisation_id} {self.email}"


class WatchedPractitioner(models.Model):
    """One practitioner's registration on one organisation's watchlist."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="watched", verbose_name=_("organisation")
    )
    practitioner = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="watchers",
        verbose_name=_("registration"),
        db_index=False,  # led by the index below
    )
    # A share code the practitioner gave the organisation: while it is valid, the list shows
    # what it shares beside the public record.
    share_code = models.ForeignKey(
        ShareCode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("share code"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        verbose_name = _("watched practitioner")
        verbose_name_plural = _("watched practitioners")
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "practitioner"], name="employers_watch_once")]
        # The daily alert starts from the registrations that changed and finds who watches them.
        indexes = [
            models.Index(fields=["practitioner", "organisation"], name="employers_watched_by_reg"),
            models.Index(fields=["organisation", "-added_at"], name="employers_watch_recent"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.practitioner_id}"


class WatchAction(models.TextChoices):
    ADDED = "added", _("added you to its watchlist")
    REMOVED = "removed", _("removed you from its watchlist")


class WatchRecord(models.Model):
    """That an organisation added a practitioner to its watchlist or removed them: what the
    practitioner's access-log page shows. Append-only; kept after the entry itself is removed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    practitioner = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="watch_records",
        verbose_name=_("registration"),
        db_index=False,  # led by the index below
    )
    action = models.CharField(_("action"), max_length=10, choices=WatchAction.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("watchlist record")
        verbose_name_plural = _("watchlist records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["practitioner", "-at"], name="employers_watch_record_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.organisation_id} {self.action} {self.practitioner_id}"


class DailyAlert(models.Model):
    """The daily email of changes an organisation was sent for one day (none on a day without
    changes). With the outbox key, it makes the email once per organisation per day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="daily_alerts", verbose_name=_("organisation")
    )
    day = models.DateField(_("day"))
    change_count = models.PositiveIntegerField(_("changes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily alert")
        verbose_name_plural = _("daily alerts")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "day"], name="employers_one_alert_a_day")]

    def __str__(self):
        return f"{self.organisation_id} {self.day:%Y-%m-%d}"
