"""Routes of the insight app: the board's import of the inspectorate's files and its history."""

from django.urls import path

from stelsel.insight.views import imports as views

IMPORT = "besturen/<int:board_id>/data/importeren/"

urlpatterns = [
    path(IMPORT, views.inspectorate_import, name="import"),
    path(IMPORT + "bevestigen/", views.inspectorate_import_confirm, name="import_confirm"),
    path(IMPORT + "geschiedenis/", views.import_history, name="import_history"),
]
