"""Routes for actions and herstelopdrachten; included by picture/urls.py under the `picture`
namespace."""

from django.urls import path

from stelsel.picture import views_actions as views

urlpatterns: list = [
    path("besturen/<int:board_id>/acties/", views.action_list, name="actions"),
    path("besturen/<int:board_id>/acties/nieuw/", views.action_create, name="action_create"),
    path(
        "besturen/<int:board_id>/acties/<int:action_id>/",
        views.action_detail,
        name="action_detail",
    ),
    path(
        "besturen/<int:board_id>/acties/<int:action_id>/bewerken/",
        views.action_edit,
        name="action_edit",
    ),
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
