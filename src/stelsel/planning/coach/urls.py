"""The coach's route (its findings while a goal is written); gathered under the `planning`
namespace by planning/urls.py."""

from django.urls import path

from stelsel.planning.coach import views

urlpatterns = [
    path("besturen/<int:board_id>/doelen/coach/", views.goal_coach, name="goal_coach"),
]
