"""Routes for plans, goals, check-ins and the alignment of school goals with the board's."""

from django.urls import path

from stelsel.planning import views

app_name = "planning"

urlpatterns = [
    path("besturen/<int:board_id>/plannen/", views.plan_list, name="plans"),
    path("besturen/<int:board_id>/plannen/nieuw/", views.plan_create, name="plan_create"),
    path("besturen/<int:board_id>/plannen/samenhang/", views.alignment, name="alignment"),
    path("besturen/<int:board_id>/plannen/<int:plan_id>/", views.plan_detail, name="plan"),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/bewerken/",
        views.plan_edit,
        name="plan_edit",
    ),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/vervolgplan/",
        views.plan_derive,
        name="plan_derive",
    ),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/themas/nieuw/",
        views.theme_add,
        name="theme_add",
    ),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/themas/<int:theme_id>/bewerken/",
        views.theme_edit,
        name="theme_edit",
    ),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/themas/<int:theme_id>/verwijderen/",
        views.theme_remove,
        name="theme_remove",
    ),
    path(
        "besturen/<int:board_id>/plannen/<int:plan_id>/doelen/nieuw/",
        views.goal_create,
        name="goal_create",
    ),
    path("besturen/<int:board_id>/doelen/coach/", views.goal_coach, name="goal_coach"),
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
