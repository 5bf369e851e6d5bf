"""Routes for the inspector's link: giving, listing and revoking it, and the public pages it
opens; gathered under the `picture` namespace by picture/urls.py."""

from django.urls import path

from stelsel.picture.inspector import views

LINKS = "besturen/<int:board_id>/inzage/"
PUBLIC = "inzage/<str:token>/"

urlpatterns: list = [
    path(LINKS, views.link_list, name="inspector_links"),
    path(LINKS + "nieuw/", views.link_create, name="inspector_link_create"),
    path(LINKS + "<int:link_id>/", views.link_detail, name="inspector_link"),
    path(LINKS + "<int:link_id>/intrekken/", views.link_revoke, name="inspector_link_revoke"),
    path(PUBLIC, views.inspector_view, name="inspector_view"),
    path(PUBLIC + "standaard/<int:entry_id>/", views.inspector_entry, name="inspector_entry"),
    path(
        PUBLIC + "document/<int:evidence_id>/",
        views.inspector_document,
        name="inspector_document",
    ),
]
