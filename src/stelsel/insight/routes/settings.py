"""Routes of the insight app: the board's early-warning settings."""

from django.urls import path

from stelsel.insight.views import settings

urlpatterns = [
    path(
        "besturen/<int:board_id>/data/signalering/",
        settings.warning_settings,
        name="warning_settings",
    ),
]
