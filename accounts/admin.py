"""Staff view of accounts."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import RecordsStaffLooks

from .enrolment_links import send_enrolment_link
from .models import User
from .two_factor import has_second_factor, turn_off

# django-otp's own pages would show the secrets: staff never see them, a superuser only resets.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("national_id", "email", "full_name_ar")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(RecordsStaffLooks, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("-date_joined",)
    list_display = ("national_id", "full_name_ar", "email", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("=national_id", "email", "full_name_ar", "full_name_en")
    show_full_result_count = False
    readonly_fields = ("date_joined", "last_login", "email_verified_at", "terms_version", "terms_accepted_at")
    fieldsets = (
        (None, {"fields": ("national_id", "password")}),
        (_("Personal data"), {"fields": ("full_name_ar", "full_name_en", "email", "preferred_language")}),
        (_("Status"), {"fields": ("is_active", "email_verified_at", "terms_version", "terms_accepted_at")}),
        (_("Permissions"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    actions = ["reset_second_factor", "send_enrolment_link"]

    def owner_id(self, user):
        return user.pk

    def access_target(self, user):
        return user.national_id

    @admin.action(description=_("Reset two-step verification (they enrol again at next log-in)"))
    def reset_second_factor(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, _("Only a superuser can reset two-step verification."), messages.ERROR)
            return
        for user in queryset:
            turn_off(user, by=request.user)
        reset = ngettext(
            "Two-step verification reset for %(count)s account.",
            "Two-step verification reset for %(count)s accounts.",
            len(queryset),
        )
        self.message_user(request, reset % {"count": len(queryset)})

    @admin.action(description=_("Email a new two-step set-up link (staff without two-step verification)"))
    def send_enrolment_link(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, _("Only a superuser can send two-step set-up links."), messages.ERROR)
            return
        sent = [user for user in queryset.filter(is_staff=True) if not has_second_factor(user)]
        for user in sent:
            send_enrolment_link(user, by=request.user)
        emailed = ngettext(
            "Set-up link emailed to %(count)s staff member.",
            "Set-up link emailed to %(count)s staff members.",
            len(sent),
        )
        self.message_user(request, emailed % {"count": len(sent)})

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("national_id", "email", "full_name_ar", "password1", "password2")}),
    )
