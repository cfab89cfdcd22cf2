"""The staff site: Django's admin, with staff logging in through the portal's own log-in page."""

from django.contrib import admin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device


class MumarisAdminSite(admin.AdminSite):
    site_header = _("Mumaris — staff review")
    site_title = _("Mumaris staff")
    index_title = _("Review")

    def has_permission(self, request):
        """Staff, and verified by a second factor in this session: no admin page opens on a
        password alone, superusers included."""
        return super().has_permission(request) and request.user.is_verified()

    def password_change(self, request, extra_context=None):
        """The portal's own page: the current password is checked and counted there, as everywhere."""
        return redirect("accounts:password_change")

    def login(self, request, extra_context=None):
        """The portal's log-in page has the captcha and the lockout; the admin's own has neither.
        Staff who are logged in but not verified go to the code step, or enrol first."""
        next_query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
        if request.user.is_authenticated and not request.user.is_staff:
            return render(request, "403.html", status=403)
        if request.user.is_authenticated:
            step = "accounts:login_code" if user_has_device(request.user) else "accounts:two_factor"
            return redirect(f"{reverse(step)}?{next_query}")
        return redirect(f"{reverse('accounts:login')}?{next_query}")
