"""Routes for visits; gathered under the `picture` namespace by picture/urls.py."""

from django.urls import path

from stelsel.picture.visits import views

VISITS = "besturen/<int:board_id>/bezoeken/"
VISIT = VISITS + "<int:visit_id>/"

urlpatterns: list = [
    path(VISITS, views.visit_list, name="visits"),
    path(VISITS + "nieuw/", views.visit_create, name="visit_create"),
    path(VISITS + "checklist/", views.visit_template, name="visit_template"),
    path(VISIT, views.visit_detail, name="visit"),
    path(VISIT + "bewerken/", views.visit_edit, name="visit_edit"),
    path(VISIT + "stap/<int:item_id>/", views.visit_step, name="visit_step"),
    path(VISIT + "documenten/", views.visit_documents, name="visit_documents"),
    path(VISIT + "logboek/", views.visit_note, name="visit_note"),
]
