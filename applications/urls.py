from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("eligibility/", views.eligibility, name="eligibility"),
    path("services/renewal/", views.renewal, name="renewal"),
    path("services/cpd/", views.cpd, name="cpd"),
    path("services/cpd/<int:pk>/certificate/", views.cpd_certificate, name="cpd_certificate"),
    path(
        "services/cpd/<int:pk>/certificate/pages/<int:page>/",
        views.cpd_certificate_preview,
        name="cpd_certificate_preview",
    ),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<str:reference>/", views.application_detail, name="application_detail"),
    path("applications/<str:reference>/edit/", views.application_edit, name="application_edit"),
    path("applications/<str:reference>/edit/work/", views.application_work, name="application_work"),
    path("applications/<str:reference>/check/", views.application_check, name="application_check"),
    path("applications/<str:reference>/submitted/", views.application_submitted, name="application_submitted"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path(
        "applications/<str:reference>/documents/<str:kind>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "applications/<str:reference>/documents/<str:kind>/pages/<int:page>/",
        views.document_preview,
        name="document_preview",
    ),
]
