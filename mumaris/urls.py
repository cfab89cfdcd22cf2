"""Root URL configuration. The public addresses here are bookmarked by users: keep them."""

from captcha import views as captcha_views
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as accounts_views
from portal import views as portal_views

urlpatterns = [
    # First: the API's look-ups are the busiest requests, and every pattern tried before costs each one.
    path("", include("api.urls")),
    path("", include("portal.urls")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
    path("metrics", portal_views.metrics, name="metrics"),
    path("language/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("registry.urls")),
    path("services/", include("profiles.urls")),
    path("employers/", include("employers.urls")),
    # django-simple-captcha's image and refresh; the audio is ours (espeak-ng speaks Arabic, the
    # package's flite does not). Its 2× image is left out: every image is drawn at 2× (settings).
    path("captcha/image/<str:key>/", captcha_views.captcha_image, {"scale": 1}, name="captcha-image"),
    path("captcha/audio/<str:key>.wav", accounts_views.captcha_audio, name="captcha-audio"),
    path("captcha/refresh/", captcha_views.captcha_refresh, name="captcha-refresh"),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
