"""Routes of the insight app: the board's early-warning settings."""

from django.urls import path

from stelsel.insight.views import settings

urlpatterns = [
    path(
        "besturen/<int:board_id>/data/signalering/",
        settings.warning_settings,
        name="warning_settings",
    ),
    # A person's own choice about the digest email (no board in the path).
    path("signalen/samenvatting/instelling/", settings.digest_setting, name="digest_setting"),
]
