"""The public answering routes; included by selfevaluation/urls.py under the `selfevaluation`
namespace. No sign-in: the token or meeting code is the key (see views)."""

from django.urls import path

from stelsel.selfevaluation.answering import views

urlpatterns = [
    path("vragenlijst/<str:token>/", views.answer, name="answer"),
    path("bijeenkomst/", views.meeting_entry, name="meeting_entry"),
    path("bijeenkomst/<str:code>/", views.meeting, name="meeting"),
    path("bedankt/", views.thanks, name="thanks"),
]
