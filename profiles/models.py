"""A registered practitioner's member data, and the requests to change it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import AssignedForReview

from .membership import format_membership_number


class Profession(models.TextChoices):
    """A field of practice, not a person's title: the certificate reads «المهنة: التمريض» for a
    man and a woman alike (a title would be «ممرض» or «ممرضة»). The stored values keep their names."""

    PHYSICIAN = "physician", _("Medicine")
    DENTIST = "dentist", _("Dentistry")
    PHARMACIST = "pharmacist", _("Pharmacy")
    NURSE = "nurse", _("Nursing")
    ALLIED_HEALTH = "allied_health", _("Allied health")
    TECHNICIAN = "technician", _("Health technology")


class Specialty(models.Model):
    """A specialty of a profession, named in both languages; staff keep the list in the admin.
    A specialty no longer offered stays on the records that name it."""

    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    name_ar = models.CharField(_("name in Arabic"), max_length=150)
    name_en = models.CharField(
        _("name in English"),
        max_length=150,
        blank=True,
        help_text=_("Printed on the certificate's English side; the Arabic name is printed there while it is empty."),
    )
    is_offered = models.BooleanField(
        _("offered to applicants"),
        default=True,
        help_text=_("Untick to stop offering it; those who already have it keep it."),
    )

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["profession", "name_ar"]
        constraints = [
            models.UniqueConstraint(fields=["profession", "name_ar"], name="profiles_specialty_unique_arabic_name")
        ]

    def __str__(self):
        return self.name_in(get_language())

    def name_in(self, language):
        """The name in `language` ("ar", "en"); the Arabic one when there is no English name."""
        if language and language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar


class PractitionerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practitioner_profile",
        verbose_name=_("user"),
    )
    # Null only inside the transaction that creates the profile (the number uses its id).
    membership_number = models.CharField(  # noqa: DJ001  (unique: NULL, not "", until numbered)
        _("membership number"), max_length=10, unique=True, null=True
    )
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty"))
    mobile = models.CharField(_("mobile"), max_length=16, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    # When the practitioner last confirmed the data or had an update approved (periodic review).
    data_confirmed_at = models.DateTimeField(_("data last confirmed"), default=timezone.now)
    data_review_postponements = models.PositiveSmallIntegerField(_("data review postponements"), default=0)
    # Bumped on every change, so an update request made against an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("practitioner profile")
        verbose_name_plural = _("practitioner profiles")

    def __str__(self):
        return f"{self.display_membership_number} — {self.user.full_name_ar}"

    @property
    def display_membership_number(self):
        return format_membership_number(self.membership_number or "")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DataUpdateRequest(AssignedForReview):
    """A practitioner's request to change their member data, decided by a reviewer."""

    number = models.CharField(_("request number"), max_length=20, unique=True, null=True, blank=True)
    profile = models.ForeignKey(
        PractitionerProfile, on_delete=models.PROTECT, related_name="update_requests", verbose_name=_("practitioner")
    )
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    # {"field": {"old": "...", "new": "..."}} for each changed field.
    changes = models.JSONField(_("changes"))
    base_version = models.PositiveIntegerField(_("profile version when requested"))
    reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("data update request")
        verbose_name_plural = _("data update requests")
        ordering = ["-created_at"]
        permissions = [
            ("review_dataupdaterequest", _("Can review data update requests")),
            ("assign_dataupdaterequest", _("Can assign data update requests to reviewers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(status=RequestStatus.PENDING),
                name="profiles_one_pending_request_per_profile",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="profiles_request_status")]

    def __str__(self):
        return self.number or str(_("New request"))


class ProfileChange(models.Model):
    """One applied change of one field: the profile's history."""

    profile = models.ForeignKey(
        PractitionerProfile, on_delete=models.CASCADE, related_name="changes", verbose_name=_("practitioner")
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    request = models.ForeignKey(
        DataUpdateRequest, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("request")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("reviewer")
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"
