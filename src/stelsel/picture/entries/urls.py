"""Routes for the picture and its entries, periods, own indicators and presentation; gathered
under the `picture` namespace by picture/urls.py."""

from django.urls import path

from stelsel.picture.entries import views

BOARD = "besturen/<int:board_id>/"
PICTURE = BOARD + "kwaliteitsbeeld/<int:picture_id>/"
ENTRY = BOARD + "kwaliteitsbeeld/standaard/<int:entry_id>/"

urlpatterns: list = [
    path(BOARD + "kwaliteitsbeeld/", views.overview, name="overview"),
    path(BOARD + "kwaliteitsbeeld/starten/", views.picture_start, name="picture_start"),
    path(PICTURE, views.picture, name="picture"),
    path(PICTURE + "nieuwe-periode/", views.picture_new_period, name="picture_new_period"),
    path(PICTURE + "overstappen/", views.picture_migrate, name="picture_migrate"),
    path(ENTRY, views.entry, name="entry"),
    path(ENTRY + "bericht/", views.entry_message, name="entry_message"),
    path(ENTRY + "tijdlijn/", views.entry_timeline, name="entry_timeline"),
    path(BOARD + "indicatoren/", views.indicators, name="indicators"),
    path(
        BOARD + "indicatoren/<int:indicator_id>/bewerken/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        BOARD + "indicatoren/<int:indicator_id>/gebruik/",
        views.indicator_toggle,
        name="indicator_toggle",
    ),
    path(PICTURE + "presentatie/", views.picture_present, name="picture_present"),
]
