from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.terms, name="terms"),
    path("services/", views.services, name="services"),
    path("requests/", views.my_requests, name="my_requests"),
    path("my-data/access-log/", views.access_log, name="access_log"),
    path("my-data/download/", views.download_my_data, name="download_my_data"),
    path("my-data/close-account/", views.close_my_account, name="close_account"),
    path("privacy/", views.privacy, name="privacy"),
    path("service-levels/", views.service_levels, name="service_levels"),
]
