from django.urls import include, path

from stelsel.organisations import views

app_name = "organisations"

urlpatterns = [
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
    path("", include("stelsel.organisations.responsibilities.urls")),  # who does what
]
