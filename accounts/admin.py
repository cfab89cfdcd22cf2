"""Staff view of accounts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("national_id", "email", "full_name_ar")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("national_id", "email", "full_name_ar", "password1", "password2")}),
    )
