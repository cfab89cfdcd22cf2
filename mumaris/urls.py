"""Root URL configuration. The public addresses here are bookmarked by users: keep them."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from portal import views as portal_views

urlpatterns = [
    path("", include("portal.urls")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("language/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("registration.urls")),
    path("", include("register.urls")),
    path("services/", include("profiles.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
