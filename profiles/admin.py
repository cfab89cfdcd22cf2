"""Staff review of practitioners and their data-update requests."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.decisions import ReasonRequired
from portal.digits import normalized_search_term

from .models import DataUpdateRequest, PractitionerProfile, ProfileChange, RequestStatus
from .workflow import (
    ProfileChangedSinceRequest,
    RequestAlreadyDecided,
    approve_update_request,
    reject_update_request,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reviewers read; every change goes through a workflow function."""

    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalized_search_term(search_term))


class ProfileChangeInline(admin.TabularInline):
    model = ProfileChange
    fields = ("changed_at", "field", "old_value", "new_value", "request", "reviewer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The history is part of the profile: whoever may view the profile sees it.
        return request.user.has_perm("profiles.view_practitionerprofile")


class DataReviewDueFilter(admin.SimpleListFilter):
    title = _("data older than the review period")
    parameter_name = "data_review_due"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        threshold = timezone.now() - settings.DATA_REVIEW_PERIOD
        if self.value() == "yes":
            return queryset.filter(data_confirmed_at__lt=threshold)
        if self.value() == "no":
            return queryset.filter(data_confirmed_at__gte=threshold)
        return queryset


@admin.register(PractitionerProfile)
class PractitionerProfileAdmin(ReadOnlyAdmin):
    list_display = (
        "membership_number",
        "practitioner_name",
        "profession",
        "specialty",
        "data_confirmed_at",
        "updated_at",
    )
    list_filter = ("profession", DataReviewDueFilter)
    search_fields = ("=membership_number", "=user__national_id", "user__full_name_ar", "=email")
    list_select_related = ("user",)
    inlines = [ProfileChangeInline]
    fields = (
        "user",
        "membership_number",
        "profession",
        "specialty",
        "mobile",
        "email",
        "city",
        "address",
        "employer",
        "job_title",
        "version",
        "data_confirmed_at",
        "data_review_postponements",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("name"), ordering="user__full_name_ar")
    def practitioner_name(self, profile):
        return profile.user.full_name_ar


class UpdateDecisionForm(forms.Form):
    ACTIONS = {"approve": _("Approve"), "reject": _("Reject")}
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    reason = forms.CharField(
        label=_("Reason (shown to the practitioner)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(DataUpdateRequest)
class DataUpdateRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "practitioner_name", "membership_number", "status", "created_at", "decided_at")
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = (
        "=number",
        "=profile__membership_number",
        "=profile__user__national_id",
        "profile__user__full_name_ar",
        "profile__user__full_name_en",
    )
    list_select_related = ("profile__user",)
    fields = ("number", "profile", "status", "created_at", "decided_at", "decided_by", "reason")
    readonly_fields = fields
    change_form_template = "admin/profiles/dataupdaterequest/change_form.html"

    @admin.display(description=_("name"), ordering="profile__user__full_name_ar")
    def practitioner_name(self, update_request):
        return update_request.profile.user.full_name_ar

    @admin.display(description=_("membership number"))
    def membership_number(self, update_request):
        return update_request.profile.display_membership_number

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [path("<int:object_id>/decide/", decide, name="profiles_dataupdaterequest_decide"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        update_request = get_object_or_404(DataUpdateRequest.objects.select_related("profile__user"), pk=object_id)
        can_review = request.user.has_perm("profiles.review_dataupdaterequest")
        actions = (
            list(UpdateDecisionForm.ACTIONS.items())
            if can_review and update_request.status == RequestStatus.PENDING
            else []
        )
        extra_context = {
            **(extra_context or {}),
            "update_request": update_request,
            "rows": [
                (PractitionerProfile._meta.get_field(name).verbose_name, change["old"], change["new"])
                for name, change in update_request.changes.items()
            ],
            "profile_changed": update_request.profile.version != update_request.base_version,
            "decision_actions": [(key, label, key == "reject") for key, label in actions],
            "decision_form": UpdateDecisionForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    @require_POST
    def decide_view(request, object_id):
        if not request.user.has_perm("profiles.review_dataupdaterequest"):
            raise PermissionDenied
        update_request = get_object_or_404(DataUpdateRequest, pk=object_id)
        change_url = reverse("admin:profiles_dataupdaterequest_change", args=[object_id])
        form = UpdateDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
            return redirect(change_url)
        try:
            if form.cleaned_data["action"] == "approve":
                approve_update_request(update_request, request.user, request)
            else:
                reject_update_request(update_request, request.user, form.cleaned_data["reason"])
        except ReasonRequired:
            messages.error(request, _("Write the reason the practitioner will read, then try again."))
        except RequestAlreadyDecided:
            messages.error(request, _("This request has already been decided; nothing was done."))
        except ProfileChangedSinceRequest:
            messages.error(
                request,
                _(
                    "The practitioner's data changed after this request was made. Approving would overwrite it; "
                    "reject the request and ask for a new one."
                ),
            )
        else:
            messages.success(request, _("Decision recorded."))
        return redirect(change_url)
