"""Staff review of registration applications, in the Django admin.

Reviewers read everything and change nothing directly: every decision goes through the
workflow functions (one transaction, an event recording who, when and why, an email).
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.decisions import ReasonRequired
from portal.digits import normalized_search_term

from .eligibility import all_passed
from .facts import application_checklist
from .models import Application, ApplicationStatus, DocumentKind
from .workflow import (
    IllegalTransition,
    approve_application,
    reject_application,
    return_application,
    start_review,
)


class DecisionForm(forms.Form):
    ACTIONS = {
        "start_review": (_("Start review"), False),
        "approve": (_("Approve"), False),
        "return": (_("Return for correction"), True),
        "reject": (_("Reject"), True),
    }
    action = forms.ChoiceField(choices=[(key, label) for key, (label, _needs) in ACTIONS.items()])
    reason = forms.CharField(
        label=_("Reason (shown to the applicant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


DECISION_FUNCTIONS = {
    "start_review": lambda application, reviewer, reason: start_review(application, reviewer),
    "approve": lambda application, reviewer, reason: approve_application(application, reviewer),
    "return": return_application,
    "reject": reject_application,
}
ACTIONS_BY_STATUS = {
    ApplicationStatus.SUBMITTED: ["start_review"],
    ApplicationStatus.UNDER_REVIEW: ["approve", "return", "reject"],
}


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
class ApplicationAdmin(admin.ModelAdmin):
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
    show_full_result_count = False
    ordering = ("-submitted_at", "-id")
    change_form_template = "admin/registration/application/change_form.html"
    fieldsets = (
        (_("Application"), {"fields": ("reference", "status", "submitted_at", "decided_at", "decision_reason")}),
        (_("Applicant"), {"fields": ("applicant", "nationality", "date_of_birth", "iqama_number", "iqama_expiry")}),
        (_("Profession"), {"fields": ("profession", "specialty", "employer", "employer_letter_date")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalized_search_term(search_term))

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:object_id>/decide/", decide, name="registration_application_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = get_object_or_404(Application.objects.select_related("applicant"), pk=object_id)
        can_review = request.user.has_perm("registration.review_application")
        actions = ACTIONS_BY_STATUS.get(application.status, []) if can_review else []
        extra_context = {
            **(extra_context or {}),
            "application": application,
            "checklist": application_checklist(application),
            "documents": [
                (kind.label, reverse("registration:document_download", args=[application.reference, kind.value]))
                for kind in DocumentKind
                if application.document(kind)
            ],
            "events": application.events.select_related("actor"),
            "decision_actions": [(key, DecisionForm.ACTIONS[key][0], DecisionForm.ACTIONS[key][1]) for key in actions],
            "decision_form": DecisionForm(),
            "profile": getattr(application.applicant, "practitioner_profile", None),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    @require_POST
    def decide_view(request, object_id):
        if not request.user.has_perm("registration.review_application"):
            raise PermissionDenied
        application = get_object_or_404(Application, pk=object_id)
        change_url = reverse("admin:registration_application_change", args=[object_id])
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
            return redirect(change_url)
        action = form.cleaned_data["action"]
        try:
            DECISION_FUNCTIONS[action](application, request.user, form.cleaned_data["reason"])
        except ReasonRequired:
            messages.error(request, _("Write the reason the applicant will read, then try again."))
        except IllegalTransition:
            messages.error(request, _("This application's status has changed in the meantime; nothing was done."))
        else:
            messages.success(request, _("Decision recorded: %(action)s.") % {"action": DecisionForm.ACTIONS[action][0]})
        return redirect(change_url)
