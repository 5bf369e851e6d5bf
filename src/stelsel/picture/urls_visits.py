"""Routes for visits; included by picture/urls.py under the `picture` namespace."""

from django.urls import path

from stelsel.picture import views_visits

VISITS = "besturen/<int:board_id>/bezoeken/"
VISIT = VISITS + "<int:visit_id>/"

urlpatterns: list = [
    path(VISITS, views_visits.visit_list, name="visits"),
    path(VISITS + "nieuw/", views_visits.visit_create, name="visit_create"),
    path(VISITS + "checklist/", views_visits.visit_template, name="visit_template"),
    path(VISIT, views_visits.visit_detail, name="visit"),
    path(VISIT + "bewerken/", views_visits.visit_edit, name="visit_edit"),
    path(VISIT + "stap/<int:item_id>/", views_visits.visit_step, name="visit_step"),
    path(VISIT + "documenten/", views_visits.visit_documents, name="visit_documents"),
    path(VISIT + "logboek/", views_visits.visit_note, name="visit_note"),
]
