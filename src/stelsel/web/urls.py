"""The homes of a board and of a school (the `web` namespace). The start page, the health check
and a person's own settings belong to no board and are routed in the project's urls.py."""

from django.urls import path

from stelsel.web import views

app_name = "web"

urlpatterns = [
    path("besturen/<int:board_id>/", views.board_home, name="board_home"),
    path("besturen/<int:board_id>/scholen/<int:school_id>/", views.school_home, name="school_home"),
]
