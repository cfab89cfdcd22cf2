"""Staff see every organisation's tokens and can revoke one (a leaked token, an incident); they
never make one: a token is shown once, to an administrator of its organisation."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, ApiTokenUse
from .tokens import revoke_token


class ApiTokenUseInline(admin.TabularInline):
    model = ApiTokenUse
    fields = ("day", "requests")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-day",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("prefix", "name", "organisation__name_ar", "organisation__name_en")
    list_select_related = ("organisation",)
    fields = ("organisation", "name", "prefix", "created_by", "created_at", "expires_at", "revoked_at", "revoked_by")
    readonly_fields = fields
    inlines = [ApiTokenUseInline]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke_token(token, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )
