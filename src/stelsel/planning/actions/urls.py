"""Routes for actions; gathered under the `planning` namespace by planning/urls.py."""

from django.urls import path

from stelsel.planning.actions import views

urlpatterns = [
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
]
