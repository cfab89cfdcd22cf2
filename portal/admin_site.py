"""The staff site: Django's admin, with staff logging in through the portal's own log-in page."""

from django.contrib import admin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class MumarisAdminSite(admin.AdminSite):
    site_header = _("Mumaris — staff review")
    site_title = _("Mumaris staff")
    index_title = _("Review")

    def login(self, request, extra_context=None):
        """The portal's log-in page has the captcha and the lockout; the admin's own has neither."""
        if request.user.is_authenticated and not request.user.is_staff:
            return render(request, "403.html", status=403)
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
