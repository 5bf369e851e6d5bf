from django.urls import path

from stelsel.organisations import views, views_responsibilities

app_name = "organisations"

urlpatterns = [
    path("besturen/<int:board_id>/", views.board_home, name="board_home"),
    path("besturen/<int:board_id>/scholen/<int:school_id>/", views.school_home, name="school_home"),
    path("besturen/<int:board_id>/mensen/", views.people, name="people"),
    path("besturen/<int:board_id>/mensen/uitnodigen/", views.invite, name="invite"),
    path(
        "besturen/<int:board_id>/mensen/uitnodigingen/<int:invitation_id>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "besturen/<int:board_id>/mensen/<int:person_id>/rol-toevoegen/",
        views.role_add,
        name="role_add",
    ),
    path(
        "besturen/<int:board_id>/mensen/uitnodigingen/<int:invitation_id>/opnieuw/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "besturen/<int:board_id>/mensen/rollen/<int:membership_id>/verwijderen/",
        views.membership_delete,
        name="membership_delete",
    ),
    path("besturen/<int:board_id>/instellingen/", views.board_settings, name="board_settings"),
    path("besturen/<int:board_id>/activiteit/", views.activity, name="activity"),
    path("besturen/<int:board_id>/import/duo/", views.duo_import, name="duo_import"),
    path(
        "besturen/<int:board_id>/import/duo/bevestigen/",
        views.duo_import_confirm,
        name="duo_import_confirm",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # who does what
    path(
        "besturen/<int:board_id>/wie-doet-wat/",
        views_responsibilities.responsibilities,
        name="responsibilities",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/nieuw/",
        views_responsibilities.responsibility_add,
        name="responsibility_add",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/starten/",
        views_responsibilities.responsibilities_start,
        name="responsibilities_start",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/<int:process_id>/",
        views_responsibilities.responsibility_edit,
        name="responsibility_edit",
    ),
    path(
        "besturen/<int:board_id>/wie-doet-wat/<int:process_id>/verwijderen/",
        views_responsibilities.responsibility_delete,
        name="responsibility_delete",
    ),
    path(
        "besturen/<int:board_id>/kwaliteitszorger/",
        views_responsibilities.officer_profile,
        name="officer_profile",
    ),
    path(
        "besturen/<int:board_id>/kwaliteitszorger/bewerken/",
        views_responsibilities.officer_profile_edit,
        name="officer_profile_edit",
    ),
]
