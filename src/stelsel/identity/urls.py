from django.urls import include, path

from stelsel.identity import settings_views, views

app_name = "identity"

urlpatterns = [
    path("inloggen/werkaccount/", views.discover, name="discover"),
    path("inloggen/werkaccount/<slug:key>/", views.start, name="start"),
    path("account/overal-uitloggen/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("inloggen/verder/", views.leave, name="leave"),
    path(
        "besturen/<int:board_id>/instellingen/inloggen/",
        settings_views.sign_in_settings,
        name="settings",
    ),
    path(
        "besturen/<int:board_id>/instellingen/inloggen/nieuw/<str:kind>/",
        settings_views.provider_add,
        name="provider_add",
    ),
    path(
        "besturen/<int:board_id>/instellingen/inloggen/<int:provider_id>/",
        settings_views.provider_edit,
        name="provider_edit",
    ),
    path(
        "besturen/<int:board_id>/instellingen/inloggen/<int:provider_id>/verwijderen/",
        settings_views.provider_delete,
        name="provider_delete",
    ),
    path(
        "besturen/<int:board_id>/instellingen/inloggen/wachtwoorden/",
        settings_views.passwords,
        name="passwords",
    ),
    path("", include("stelsel.identity.staff_urls")),
]
