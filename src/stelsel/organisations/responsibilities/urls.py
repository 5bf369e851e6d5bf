"""Routes for who does what; included by organisations/urls.py under the `organisations`
namespace."""

from django.urls import path

from stelsel.organisations.responsibilities import views

urlpatterns = [
    path(
        "besturen/<int:board_id>/wie-doet-wat/",
        views.responsibilities,
        name="responsibilities",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/nieuw/",
        views.responsibility_add,
        name="responsibility_add",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/starten/",
        views.responsibilities_start,
        name="responsibilities_start",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/<int:process_id>/",
        views.responsibility_edit,
        name="responsibility_edit",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/<int:process_id>/verwijderen/",
        views.responsibility_delete,
        name="responsibility_delete",
    ),
    path(
        "besturen/<int:board_id>/kwaliteitsmedewerker/",
        views.officer_profile,
        name="officer_profile",
    ),
    path(
        "besturen/<int:board_id>/kwaliteitsmedewerker/bewerken/",
        views.officer_profile_edit,
        name="officer_profile_edit",
    ),
]
