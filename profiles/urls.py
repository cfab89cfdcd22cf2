from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("review-data/", views.review_data, name="review_data"),
    path("update-member-data/", views.update_lookup, name="update_lookup"),
    path("update-member-data/data/", views.update_edit, name="update_edit"),
    path("update-member-data/summary/", views.update_confirm, name="update_confirm"),
    path("update-member-data/cancel/", views.update_cancel, name="update_cancel"),
    path("requests/<str:number>/", views.request_detail, name="request_detail"),
    path("confirm-email/<str:key>/", views.confirm_email, name="confirm_email"),
]
