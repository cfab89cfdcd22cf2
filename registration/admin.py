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

from portal.admin import ReviewAdmin
from portal.digits import normalized_search_term
from portal.models import AccessAction
from profiles.models import PractitionerProfile

from .eligibility import all_passed
from .facts import application_checklist
from .models import Application, DocumentKind
from .workflow import DECISIONS, decisions_for

# A search for a name of several words (a full name) usually matches few people: up to this
# many are turned into their ids once, so the list and its count use the applicant index
# instead of reading the name indexes twice. One word ("محمد") can match a large share of
# everyone; probing it first would only add a third read.
NAME_MATCH_LIMIT = 5_000


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
    )
    list_filter = ("status", SubmittedDateFilter, "nationality", "profession")
    search_fields = (
        "=reference",
        "=applicant__national_id",
        "=applicant__practitioner_profile__membership_number",
        "applicant__full_name_ar",
        "applicant__full_name_en",
        "=applicant__email",
    )
    search_help_text = _("Reference, ID number, membership number, name or email.")
    list_select_related = ("applicant",)
    list_per_page = 50
    # Newest submission first, drafts last: the order of the list indexes (migration 0003).
    ordering = (F("submitted_at").desc(nulls_last=True), "-id")
    change_form_template = "admin/registration/application/change_form.html"
    fieldsets = (
        (_("Application"), {"fields": ("reference", "status", "submitted_at", "decided_at", "decision_reason")}),
        (_("Applicant"), {"fields": ("applicant", "nationality", "date_of_birth", "iqama_number", "iqama_expiry")}),
        (_("Profession"), {"fields": ("profession", "specialty", "employer", "employer_letter_date")}),
    )

    decision_permission = "registration.review_application"
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
        if term.upper().startswith("REG-"):
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

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

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

    @admin.display(description=_("eligible"))
    def eligibility_mark(self, application):
        if all_passed(application_checklist(application)):
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
                (kind.label, reverse("registration:document_download", args=[application.reference, kind.value]))
                for kind in DocumentKind
                if application.document(kind)
            ],
            "events": application.events.select_related("actor"),
            "profile": getattr(application.applicant, "practitioner_profile", None),
        }
