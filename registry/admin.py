"""Staff read the register here and suspend, reinstate or revoke a registration."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReviewAdmin
from core.models import AccessAction
from profiles.admin import practitioner_columns

from .models import Certificate, Registration, RegistrationEvent
from .public import STATUS_LABELS
from .validity import effective_status
from .workflow import DECISIONS, decisions_for


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Part of the registration: whoever may view the registration sees it.
        return request.user.has_perm("registry.view_registration")


class RegistrationEventInline(ReadOnlyInline):
    model = RegistrationEvent
    fields = ("at", "kind", "valid_until", "reason", "actor")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class CertificateInline(ReadOnlyInline):
    model = Certificate
    fields = ("code", "issued_at", "replaced_at")
    readonly_fields = fields


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("valid", _("Valid")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "valid":
            return queryset.filter(valid_until__gte=today)
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=today)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(ReviewAdmin):
    list_display = ("membership_number", "practitioner_name", "status_now", "registered_on", "valid_until")
    list_filter = ("status", ValidityFilter)
    search_fields = (
        "=profile__membership_number",
        "=profile__user__national_id",
        "profile__user__full_name_ar",
        "profile__user__full_name_en",
    )
    list_select_related = ("profile__user",)
    fields = (
        "profile",
        "status",
        "status_reason",
        "registered_on",
        "period_start",
        "valid_until",
        "version",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [RegistrationEventInline, CertificateInline]
    change_form_template = "admin/review_change_form.html"
    decision_permission = "registry.decide_registration"
    decisions = DECISIONS
    decisions_for = staticmethod(decisions_for)
    access_action = AccessAction.VIEWED_PROFILE
    reason_label = _("Reason (sent to the practitioner)")
    reason_help = _("Required for every decision here: the practitioner reads it in an email.")
    reason_required_message = _("Write the reason the practitioner will read, then try again.")

    def owner_id(self, registration):
        return registration.profile.user_id

    def access_target(self, registration):
        return registration.profile.membership_number or ""

    practitioner_name, membership_number = practitioner_columns("profile")

    @admin.display(description=_("status now"))
    def status_now(self, registration):
        return STATUS_LABELS[effective_status(registration.status, registration.valid_until, timezone.localdate())]
