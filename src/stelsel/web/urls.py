"""The homes of a board and of a school (the `web` namespace)."""

from django.urls import path

from stelsel.web import views

app_name = "web"

urlpatterns = [
    path("besturen/<int:board_id>/", views.board_home, name="board_home"),
    path("besturen/<int:board_id>/scholen/<int:school_id>/", views.school_home, name="school_home"),
]
