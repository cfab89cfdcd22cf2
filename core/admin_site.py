"""The staff site: Django's admin, with staff logging in through the portal's own log-in page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AdminPage:
    """A page of an app's own in the admin, behind the same log-in and second factor."""

    route: str
    view: Callable
    name: str
    title: str
    # (user) → whether the index links to it; the view itself refuses everyone else.
    shown_to: Callable


class MumarisAdminSite(admin.AdminSite):
    site_header = _("Mumaris — staff review")
    site_title = _("Mumaris staff")
    index_title = _("Review")
    index_template = "admin/mumaris_index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = []

    def register_page(self, page):
        self.pages.append(page)

    def get_urls(self):
        own = [path(page.route, self.admin_view(page.view), name=page.name) for page in self.pages]
        return [*own, *super().get_urls()]

    def index(self, request, extra_context=None):
        """The admin's index, with links to the pages of our own this person may open."""
        pages = [(page.title, reverse(f"admin:{page.name}")) for page in self.pages if page.shown_to(request.user)]
        return super().index(request, {**(extra_context or {}), "own_pages": pages})

    def has_permission(self, request):
        """Staff, and verified by a second factor in this session: no admin page opens on a
        password alone, superusers included."""
        return super().has_permission(request) and request.user.is_verified()

    def password_change(self, request, extra_context=None):
        """The portal's own page: the current password is checked and counted there, as everywhere."""
        return redirect("accounts:password_change")

    def login(self, request, extra_context=None):
        """The portal's log-in page has the captcha, the lockout and the second factor; the admin's
        own has none of them."""
        next_url = request.GET.get("next") or reverse("admin:index")
        if self.has_permission(request):
            return redirect(next_url)
        if request.user.is_authenticated and not request.user.is_staff:
            return render(request, "403.html", status=403)
        if request.user.is_authenticated:
            # Staff without a second factor in this session (it was reset since, or staff rights
            # came after the log-in) log in again, through its stages.
            logout(request)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
