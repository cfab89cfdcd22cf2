"""Staff decide organisations here (approve, or refuse with a reason) and read their members and lists."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReviewAdmin

from .models import Invitation, Membership, Organisation, WatchedPractitioner
from .workflow import DECISIONS, decisions_for


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ("user", "role", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("employers.view_organisation")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(ReviewAdmin):
    list_display = ("name_ar", "name_en", "commercial_registration", "city", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("=commercial_registration", "name_ar", "name_en")
    list_select_related = ("requested_by", "decided_by")
    fields = (
        "name_ar",
        "name_en",
        "commercial_registration",
        "facility_licence",
        "city",
        "contact_email",
        "status",
        "reason",
        "requested_by",
        "decided_by",
        "decided_at",
        "created_at",
    )
    inlines = [MembershipInline]
    change_form_template = "admin/review_change_form.html"
    decision_permission = "employers.decide_organisation"
    decisions = DECISIONS
    decisions_for = staticmethod(decisions_for)
    reason_label = _("Reason (sent to the organisation)")
    reason_help = _("Required to refuse: the organisation reads it in an email.")
    reason_required_message = _("Write the reason the organisation will read, then try again.")

    def access_target(self, organisation):
        return organisation.commercial_registration


@admin.register(WatchedPractitioner)
class WatchedPractitionerAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "practitioner", "added_at")
    search_fields = ("=organisation__commercial_registration", "=practitioner__profile__membership_number")
    list_select_related = ("organisation", "practitioner__profile__user")
    readonly_fields = ("organisation", "practitioner", "share_code", "added_at", "added_by")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "email", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("=organisation__commercial_registration", "=email")
    list_select_related = ("organisation",)
    exclude = ("token_hash",)
    readonly_fields = ("organisation", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at")
