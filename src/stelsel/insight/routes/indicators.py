"""Routes of the insight app: the board's own indicators, their measurements, and a school's own
figures imported from another system's export."""

from django.urls import path

from stelsel.insight.views import indicators as views

DATA = "besturen/<int:board_id>/data/"
INDICATOR = DATA + "indicatoren/<int:indicator_id>/"
MEASUREMENT = DATA + "metingen/<int:measurement_id>/"
OWN_FIGURES = DATA + "eigen-cijfers/"

urlpatterns = [
    path(DATA + "indicatoren/", views.indicators, name="indicators"),
    path(INDICATOR, views.indicator, name="indicator"),
    path(INDICATOR + "meting/", views.measurement_add, name="measurement_add"),
    path(MEASUREMENT + "bewerken/", views.measurement_edit, name="measurement_edit"),
    path(MEASUREMENT + "verwijderen/", views.measurement_remove, name="measurement_remove"),
    path(OWN_FIGURES, views.own_figures_upload, name="own_figures"),
    path(OWN_FIGURES + "kolommen/", views.own_figures_mapping, name="own_figures_mapping"),
    path(OWN_FIGURES + "voorbeeld/", views.own_figures_preview, name="own_figures_preview"),
    path(OWN_FIGURES + "bevestigen/", views.own_figures_confirm, name="own_figures_confirm"),
    path(
        OWN_FIGURES + "kolomindelingen/<int:mapping_id>/verwijderen/",
        views.column_mapping_delete,
        name="column_mapping_delete",
    ),
]
