from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),  # the address is in sent emails
    path("<int:organisation_id>/", views.watchlist, name="watchlist"),
    path("<int:organisation_id>/add/", views.add, name="add"),
    path("<int:organisation_id>/share-code/", views.share_code, name="share_code"),
    path("<int:organisation_id>/upload/", views.upload, name="upload"),
    path("<int:organisation_id>/watched/<int:entry_id>/", views.watched, name="watched"),
    path("<int:organisation_id>/watched/<int:entry_id>/remove/", views.remove_watched, name="remove"),
    path("<int:organisation_id>/download.<str:file_format>", views.download, name="download"),
    path("<int:organisation_id>/members/", views.members, name="members"),
    path("<int:organisation_id>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
]
