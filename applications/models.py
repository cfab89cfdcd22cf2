"""Registration and renewal applications, their documents and the history of their status, and
practitioners' continuing-education activities."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import reject_bidi_controls
from core.models import AssignedForReview
from profiles.models import PractitionerProfile, Profession, Specialty

from .deadlines import answer_deadline
from .documents import document_upload_path

MAX_HOURS_PER_ACTIVITY = 50


class Nationality(models.TextChoices):
    SAUDI = "saudi", _("Saudi")
    NON_SAUDI = "non_saudi", _("Not Saudi")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed: no answer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Finished: the applicant may start another application. "Closed": returned for correction and
# not answered in time (applications/returned.py); "withdrawn" by the applicant before review.
CLOSED_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.CLOSED,
    ApplicationStatus.WITHDRAWN,
)
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# Waiting for staff's decision: the review queue (applications/queue.py).
WAITING = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]


class DocumentKind(models.TextChoices):
    EMPLOYER_LETTER = "employer_letter", _("Employer's letter of introduction")
    IQAMA_COPY = "iqama_copy", _("Copy of the iqama")
    MEDICAL_REPORT = "medical_report", _("Medical report")


class ApplicationKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    RENEWAL = "renewal", _("Renewal")


class Application(AssignedForReview):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ApplicationKind.choices, default=ApplicationKind.REGISTRATION
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    nationality = models.CharField(_("nationality"), max_length=10, choices=Nationality.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    iqama_number = models.CharField(_("iqama number"), max_length=10, blank=True)
    iqama_expiry = models.DateField(_("iqama expiry date"), null=True, blank=True)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices, blank=True)
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("specialty")
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    employer_letter_date = models.DateField(_("date of the employer's letter"), null=True, blank=True)
    employer_letter = models.FileField(
        DocumentKind.EMPLOYER_LETTER.label, upload_to=document_upload_path, blank=True, max_length=200
    )
    iqama_copy = models.FileField(
        DocumentKind.IQAMA_COPY.label, upload_to=document_upload_path, blank=True, max_length=200
    )
    medical_report = models.FileField(
        DocumentKind.MEDICAL_REPORT.label, upload_to=document_upload_path, blank=True, max_length=200
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # When the applicant last declared the data and documents true, submitting it.
    declared_at = models.DateTimeField(_("declaration accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        ordering = ["-created_at"]
        permissions = [
            ("review_application", _("Can review registration applications")),
            ("assign_application", _("Can assign registration applications to reviewers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=~Q(status__in=list(CLOSED_STATUSES)),
                name="applications_one_open_per_applicant",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="application_status_submitted"),
            models.Index(fields=["-submitted_at"], name="application_submitted"),
            # "Take the next request" (applications/queue.py): the unassigned waiting ones in
            # their order, and the renewals among them, read from the front without a sort.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=WAITING, assigned_to__isnull=True),
                name="application_queue",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(kind=ApplicationKind.RENEWAL, status__in=WAITING, assigned_to__isnull=True),
                name="application_queue_renewals",
            ),
        ]

    def __str__(self):
        return self.reference or str(_("New application"))

    def get_absolute_url(self):
        return reverse("applications:application_detail", args=[self.reference])

    @property
    def is_open(self):
        """Not yet approved, rejected or closed: the applicant cannot start another one."""
        return self.status not in CLOSED_STATUSES

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def answer_deadline(self):
        """The last day to answer a return for correction (calendar days); None unless returned."""
        if self.status != ApplicationStatus.RETURNED or self.decided_at is None:
            return None
        return answer_deadline(timezone.localdate(self.decided_at), settings.RETURNED_ANSWER_DAYS)

    @property
    def is_renewal(self):
        return self.kind == ApplicationKind.RENEWAL

    def document(self, kind):
        """The FieldFile of a DocumentKind value."""
        return getattr(self, DocumentKind(kind).value)

    def present_documents(self):
        return [(kind, self.document(kind)) for kind in DocumentKind if self.document(kind)]


class ApplicationEvent(models.Model):
    """One change of an application's status: from, to, who, why and when."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"), null=True
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.application} {self.from_status} → {self.to_status}"


class ActivityStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CPDActivity(AssignedForReview):
    """A continuing-education activity a practitioner recorded, with its certificate; a reviewer
    accepts or rejects it. Accepted hours within the registration's period count for renewal."""

    profile = models.ForeignKey(
        PractitionerProfile, on_delete=models.PROTECT, related_name="cpd_activities", verbose_name=_("practitioner")
    )
    title = models.CharField(_("activity"), max_length=200, validators=[reject_bidi_controls])
    provider = models.CharField(_("provider"), max_length=200, validators=[reject_bidi_controls])
    completed_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(MAX_HOURS_PER_ACTIVITY))],
    )
    certificate = models.FileField(_("certificate of attendance"), upload_to=document_upload_path, max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PENDING
    )
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
        verbose_name = _("continuing-education activity")
        verbose_name_plural = _("continuing-education activities")
        ordering = ["-completed_on", "-id"]
        permissions = [
            ("review_cpdactivity", _("Can review continuing-education activities")),
            ("assign_cpdactivity", _("Can assign continuing-education activities to reviewers")),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="cpd_status_created")]

    def __str__(self):
        return self.title
