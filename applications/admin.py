"""Staff review of registration applications, in the Django admin.

Reviewers read everything and change nothing directly: every decision goes through the
workflow functions (one transaction, an event recording who, when and why, an email).
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReviewAdmin
from core.digits import normalized_search_term
from core.models import AccessAction
from profiles.admin import practitioner_columns
from profiles.models import PractitionerProfile
from registry.validity import days_late

from .applications import REFERENCE_PREFIXES
from .cpd import DECISIONS as CPD_DECISIONS
from .cpd import accepted_hours_subquery, activities_of, hours_summary
from .cpd import decisions_for as cpd_decisions_for
from .eligibility import all_passed
from .facts import application_checklist
from .models import Application, CPDActivity, DocumentKind
from .previews import preview_page_count
from .queue import ACTIVITIES, APPLICATIONS
from .workflow import DECISIONS, decisions_for

# A search for a name of several words (a full name) usually matches few people: up to this
# many are turned into their ids once, so the list and its count use the applicant index
# instead of reading the name indexes twice. One word ("محمد") can match a large share of
# everyone; probing it first would only add a third read.
NAME_MATCH_LIMIT = 5_000


def document_panel(label, document, download_url, page_url_name, url_args):
    """What the review page shows of one document: its pictures (none when it cannot be drawn),
    each with its alt text, and the link to the whole file."""
    count = preview_page_count(document)
    pages = [
        (
            reverse(page_url_name, args=[*url_args, number]),
            _("%(document)s, page %(page)s of %(count)s") % {"document": label, "page": number, "count": count},
        )
        for number in range(1, count + 1)
    ]
    return {"label": label, "download_url": download_url, "pages": pages}


class SubmittedDateFilter(admin.SimpleListFilter):
    title = _("submitted")
    parameter_name = "submitted"

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("week", _("Past 7 days")), ("month", _("Past 30 days"))]

    def queryset(self, request, queryset):
        days = {"today": 0, "week": 7, "month": 30}.get(self.value())
        if days is None:
            return queryset
        since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
        return queryset.filter(submitted_at__gte=since)


@admin.register(Application)
class ApplicationAdmin(ReviewAdmin):
    list_display = (
        "reference",
        "applicant_name",
        "applicant_national_id",
        "profession",
        "status_badge",
        "submitted_at",
        "eligibility_mark",
        *ReviewAdmin.queue_columns,
    )
    list_filter = ("kind", "status", SubmittedDateFilter, "nationality", "profession")
    search_fields = (
        "=reference",
        "=applicant__national_id",
        "=applicant__practitioner_profile__membership_number",
        "applicant__full_name_ar",
        "applicant__full_name_en",
        "=applicant__email",
    )
    search_help_text = _("Reference, ID number, membership number, name or email.")
    list_select_related = ("applicant", "assigned_to", "specialty")
    list_per_page = 50
    # Newest submission first, drafts last: the order of the list indexes (migration 0003).
    ordering = (F("submitted_at").desc(nulls_last=True), "-id")
    change_form_template = "admin/registration/application/change_form.html"
    fieldsets = (
        (
            _("Application"),
            {
                "fields": (
                    "reference",
                    "kind",
                    "status",
                    "submitted_at",
                    "decided_at",
                    "decision_reason",
                    "assigned_to",
                    "assigned_at",
                )
            },
        ),
        (_("Applicant"), {"fields": ("applicant", "nationality", "date_of_birth", "iqama_number", "iqama_expiry")}),
        (_("Profession"), {"fields": ("profession", "specialty", "employer", "employer_letter_date")}),
    )

    decision_permission = "applications.review_application"
    review_queue = APPLICATIONS
    decisions = DECISIONS
    decisions_for = staticmethod(decisions_for)
    reason_label = _("Reason (shown to the applicant)")
    access_action = AccessAction.VIEWED_APPLICATION

    def get_search_results(self, request, queryset, search_term):
        """Search by what the term is, each through its own index (an OR over all fields and
        joins would read every row): a reference, a 10-digit ID or membership number, an
        email, or else part of a name (trigram indexes on PostgreSQL)."""
        term = normalized_search_term(search_term)
        if not term:
            return queryset, False
        users = get_user_model().objects
        if term.upper().startswith(tuple(f"{prefix}-" for prefix in REFERENCE_PREFIXES.values())):
            return queryset.filter(reference=term.upper()), False
        if term.isdigit():
            applicants = set(users.filter(national_id=term).values_list("id", flat=True))
            applicants |= set(
                PractitionerProfile.objects.filter(membership_number=term).values_list("user_id", flat=True)
            )
            return queryset.filter(applicant_id__in=applicants), False
        if "@" in term:
            return queryset.filter(applicant__in=users.with_email(term).values("id")), False
        named = users.filter(Q(full_name_ar__icontains=term) | Q(full_name_en__icontains=term))
        if " " in term:
            named_ids = list(named.values_list("id", flat=True)[: NAME_MATCH_LIMIT + 1])
            if len(named_ids) <= NAME_MATCH_LIMIT:
                return queryset.filter(applicant_id__in=named_ids), False
        return queryset.filter(applicant__in=named.values("id")), False

    @admin.display(description=_("name"), ordering="applicant__full_name_ar")
    def applicant_name(self, application):
        return application.applicant.full_name_ar

    @admin.display(description=_("ID number"))
    def applicant_national_id(self, application):
        return format_html('<bdi dir="ltr">{}</bdi>', application.applicant.national_id)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, application):
        return format_html(
            '<span class="badge badge--{}">{}</span>', application.status, application.get_status_display()
        )

    def get_queryset(self, request):
        # A renewal's checklist counts hours: each row's total comes with the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(accepted_cpd_hours=accepted_hours_subquery("applicant__practitioner_profile"))
        )

    @admin.display(description=_("eligible"))
    def eligibility_mark(self, application):
        if all_passed(application_checklist(application, accepted_hours=application.accepted_cpd_hours)):
            return format_html('<span title="{}">✓ {}</span>', _("All conditions met"), _("Yes"))
        return format_html('<span title="{}">✗ {}</span>', _("A condition is not met"), _("No"))

    def owner_id(self, application):
        return application.applicant_id

    def access_target(self, application):
        return application.reference

    def review_context(self, application):
        return {
            "application": application,
            "checklist": application_checklist(application),
            "documents": [
                document_panel(
                    kind.label,
                    application.document(kind),
                    reverse("applications:document_download", args=[application.reference, kind.value]),
                    "applications:document_preview",
                    [application.reference, kind.value],
                )
                for kind in DocumentKind
                if application.document(kind)
            ],
            "events": application.events.select_related("actor"),
            "profile": getattr(application.applicant, "practitioner_profile", None),
            **(renewal_context(application) if application.is_renewal else {}),
        }


def renewal_context(application):
    """What a reviewer weighs on a renewal: the registration's dates, lateness, and the hours."""
    profile = application.applicant.practitioner_profile
    registration = profile.registration
    on_day = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
    return {
        "registration": registration,
        "days_late": days_late(registration.valid_until, on_day),
        "days_late_today": days_late(registration.valid_until, timezone.localdate()),
        "hours": hours_summary(profile, registration),
        "activities": activities_of(profile).filter(completed_on__gte=registration.period_start),
    }


@admin.register(CPDActivity)
class CPDActivityAdmin(ReviewAdmin):
    list_display = (
        "title",
        "practitioner_name",
        "membership_number",
        "completed_on",
        "hours",
        "status",
        "created_at",
        *ReviewAdmin.queue_columns,
    )
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = (
        "=profile__membership_number",
        "=profile__user__national_id",
        "profile__user__full_name_ar",
        "title",
    )
    list_select_related = ("profile__user", "assigned_to")
    fields = (
        "profile",
        "title",
        "provider",
        "completed_on",
        "hours",
        "status",
        "reason",
        "created_at",
        "decided_at",
        "decided_by",
        "assigned_to",
        "assigned_at",
    )
    readonly_fields = fields
    change_form_template = "admin/registration/cpdactivity/change_form.html"
    decision_permission = "applications.review_cpdactivity"
    review_queue = ACTIVITIES
    decisions = CPD_DECISIONS
    decisions_for = staticmethod(cpd_decisions_for)
    access_action = AccessAction.VIEWED_PROFILE
    reason_label = _("Reason (shown to the practitioner)")
    reason_help = _("Required to reject.")
    reason_required_message = _("Write the reason the practitioner will read, then try again.")

    def owner_id(self, activity):
        return activity.profile.user_id

    def access_target(self, activity):
        return f"CPD-{activity.pk}"

    practitioner_name, membership_number = practitioner_columns("profile")

    def review_context(self, activity):
        registration = getattr(activity.profile, "registration", None)
        return {
            "activity": activity,
            "certificate": document_panel(
                _("Certificate of attendance"),
                activity.certificate,
                reverse("applications:cpd_certificate", args=[activity.pk]),
                "applications:cpd_certificate_preview",
                [activity.pk],
            ),
            "hours": hours_summary(activity.profile, registration) if registration else None,
        }
