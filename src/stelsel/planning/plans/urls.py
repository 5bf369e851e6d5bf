"""Routes for plans and their themes; gathered under the `planning` namespace by
planning/urls.py."""

from django.urls import path

from stelsel.planning.plans import views

urlpatterns = [
    path("besturen/<int:board_id>/plannen/", views.plan_list, name="plans"),
    path("besturen/<int:board_id>/plannen/nieuw/", views.plan_create, name="plan_create"),
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
]
