"""Routes for herstelopdrachten; gathered under the `picture` namespace by picture/urls.py."""

from django.urls import path

from stelsel.picture.assignments import views

urlpatterns = [
    path("besturen/<int:board_id>/opdrachten/", views.assignment_list, name="assignments"),
    path(
        "besturen/<int:board_id>/opdrachten/nieuw/",
        views.assignment_create,
        name="assignment_create",
    ),
    path(
        "besturen/<int:board_id>/opdrachten/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "besturen/<int:board_id>/opdrachten/<int:assignment_id>/bewerken/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "besturen/<int:board_id>/opdrachten/<int:assignment_id>/vervolg/",
        views.assignment_follow_up,
        name="assignment_follow_up",
    ),
]
