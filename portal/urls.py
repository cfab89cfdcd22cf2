from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.terms, name="terms"),
    path("services/", views.services, name="services"),
    path("my-data/access-log/", views.access_log, name="access_log"),
]
