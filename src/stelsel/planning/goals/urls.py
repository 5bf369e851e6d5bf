"""Routes for goals, their check-ins and the alignment of school goals with the board's;
gathered under the `planning` namespace by planning/urls.py."""

from django.urls import path

from stelsel.planning.goals import views

urlpatterns = [
    path("besturen/<int:board_id>/plannen/samenhang/", views.alignment, name="alignment"),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/doelen/nieuw/",
        views.goal_create,
        name="goal_create",
    ),
    path("besturen/<int:board_id>/doelen/<int:goal_id>/", views.goal_detail, name="goal"),
    path(
        "besturen/<int:board_id>/doelen/<int:goal_id>/bewerken/",
        views.goal_edit,
        name="goal_edit",
    ),
    path(
        "besturen/<int:board_id>/doelen/<int:goal_id>/check-in/",
        views.check_in_add,
        name="check_in_add",
    ),
]
