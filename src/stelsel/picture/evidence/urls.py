"""Routes for evidence; gathered under the `picture` namespace by picture/urls.py."""

from django.urls import path

from stelsel.picture.evidence import views

PREFIX = "besturen/<int:board_id>/bewijs/"

urlpatterns: list = [
    path(PREFIX, views.evidence_list, name="evidence"),
    path(f"{PREFIX}nieuw/", views.evidence_create, name="evidence_create"),
    path(f"{PREFIX}<int:evidence_id>/", views.evidence_detail, name="evidence_detail"),
    path(f"{PREFIX}<int:evidence_id>/bewerken/", views.evidence_edit, name="evidence_edit"),
    path(f"{PREFIX}<int:evidence_id>/versie/", views.evidence_version, name="evidence_version"),
    path(
        f"{PREFIX}<int:evidence_id>/bestand/<int:file_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
]
