from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("services/certificate/", views.certificate, name="certificate"),
    path("services/share/", views.share_codes, name="share_codes"),
    path("services/share/<int:pk>/openings/", views.share_code_openings, name="share_code_openings"),
    path("services/share/<int:pk>/revoke/", views.share_code_revoke, name="share_code_revoke"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
