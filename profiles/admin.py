"""Staff review of practitioners and their data-update requests."""

from operator import attrgetter

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReviewAdmin
from core.models import AccessAction

from .forms import change_rows
from .models import DataUpdateRequest, PractitionerProfile, ProfileChange, Specialty
from .queue import UPDATE_REQUESTS
from .specialties import readable_value
from .workflow import DECISIONS, decisions_for


def practitioner_columns(profile_path):
    """The name and membership-number columns of an admin whose rows reach the practitioner's
    profile through `profile_path` ("profile", or "" for the profile itself)."""
    prefix = f"{profile_path}__" if profile_path else ""
    profile_of = attrgetter(profile_path.replace("__", ".")) if profile_path else (lambda obj: obj)

    @admin.display(description=_("name"), ordering=f"{prefix}user__full_name_ar")
    def practitioner_name(model_admin, obj):
        return profile_of(obj).user.full_name_ar

    @admin.display(description=_("membership number"), ordering=f"{prefix}membership_number")
    def membership_number(model_admin, obj):
        return profile_of(obj).display_membership_number

    return practitioner_name, membership_number


class ProfileChangeInline(admin.TabularInline):
    model = ProfileChange
    fields = ("changed_at", "field", "old", "new", "request", "reviewer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("old value"))
    def old(self, change):
        return readable_value(change.field, change.old_value)

    @admin.display(description=_("new value"))
    def new(self, change):
        return readable_value(change.field, change.new_value)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request", "reviewer")

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
class PractitionerProfileAdmin(ReviewAdmin):
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
    list_select_related = ("user", "specialty")
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
    access_action = AccessAction.VIEWED_PROFILE

    def owner_id(self, profile):
        return profile.user_id

    def access_target(self, profile):
        return profile.membership_number or ""

    practitioner_name = practitioner_columns("")[0]


@admin.register(DataUpdateRequest)
class DataUpdateRequestAdmin(ReviewAdmin):
    list_display = (
        "number",
        "practitioner_name",
        "membership_number",
        "status",
        "created_at",
        "decided_at",
        *ReviewAdmin.queue_columns,
    )
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = (
        "=number",
        "=profile__membership_number",
        "=profile__user__national_id",
        "profile__user__full_name_ar",
        "profile__user__full_name_en",
    )
    list_select_related = ("profile__user", "assigned_to")
    fields = (
        "number",
        "profile",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "reason",
        "assigned_to",
        "assigned_at",
    )
    readonly_fields = fields
    change_form_template = "admin/profiles/dataupdaterequest/change_form.html"

    practitioner_name, membership_number = practitioner_columns("profile")

    decision_permission = "profiles.review_dataupdaterequest"
    review_queue = UPDATE_REQUESTS
    decisions = DECISIONS
    decisions_for = staticmethod(decisions_for)
    access_action = AccessAction.VIEWED_UPDATE_REQUEST
    reason_label = _("Reason (shown to the practitioner)")
    reason_required_message = _("Write the reason the practitioner will read, then try again.")

    def owner_id(self, update_request):
        return update_request.profile.user_id

    def access_target(self, update_request):
        return update_request.number

    def review_context(self, update_request):
        return {
            "update_request": update_request,
            "rows": change_rows(update_request.changes),
            "profile_changed": update_request.profile.version != update_request.base_version,
        }


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    """The list applicants and practitioners choose their specialty from. An entry is never
    deleted while anyone has it (PROTECT); untick "offered" to retire it."""

    list_display = ("name_ar", "name_en", "profession", "is_offered")
    list_filter = ("profession", "is_offered")
    search_fields = ("name_ar", "name_en")
    list_editable = ("is_offered",)
