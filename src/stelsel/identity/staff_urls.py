"""Bringing a whole staff in at once: under the board's people pages."""

from django.urls import path

from stelsel.identity import staff_views

PREFIX = "besturen/<int:board_id>/mensen/importeren/"

urlpatterns = [
    path(PREFIX, staff_views.staff_import, name="staff_import"),
    path(f"{PREFIX}sjabloon.csv", staff_views.staff_import_template, name="staff_import_template"),
    path(f"{PREFIX}<int:import_id>/", staff_views.staff_import_detail, name="staff_import_detail"),
    path(
        f"{PREFIX}<int:import_id>/bevestigen/",
        staff_views.staff_import_confirm,
        name="staff_import_confirm",
    ),
    path(
        f"{PREFIX}<int:import_id>/opnieuw-versturen/",
        staff_views.staff_import_send_again,
        name="staff_import_send_again",
    ),
]
