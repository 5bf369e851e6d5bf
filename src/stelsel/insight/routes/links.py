"""Routes of the insight app: linking the inspectorate's schools (OVTs) to the board's schools."""

from django.urls import path

from stelsel.insight.views import links as views

LINKS = "besturen/<int:board_id>/data/koppelingen/"

urlpatterns = [
    path(LINKS, views.links, name="links"),
    path(LINKS + "<int:ovt_id>/koppelen/", views.ovt_link, name="ovt_link"),
    path(LINKS + "<int:ovt_id>/ontkoppelen/", views.ovt_unlink, name="ovt_unlink"),
]
