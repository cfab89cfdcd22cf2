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
    path("applications/<str:reference>/submit/", views.application_submit, name="application_submit"),
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
