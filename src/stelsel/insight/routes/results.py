"""Routes of the insight app: results (the data overview, a school's results, own entries)."""

from django.urls import path

from stelsel.insight.views import results as views

SCHOOL = "besturen/<int:board_id>/scholen/<int:school_id>/data/"
ENTRY = SCHOOL + "resultaten/<int:ovt_id>/<int:year>/"

urlpatterns = [
    path("besturen/<int:board_id>/data/", views.data, name="data"),
    path(SCHOOL, views.school_results, name="school_results"),
    path(SCHOOL + "resultaten/invoeren/", views.result_create, name="result_create"),
    path(ENTRY + "bewerken/", views.result_edit, name="result_edit"),
    path(ENTRY + "verwijderen/", views.result_delete, name="result_delete"),
]
