"""Routes of the insight app: cockpit. The attention lists themselves are the board's and the
school's homes (`web:board_home`, `web:school_home`); here is one signal and what it can become."""

from django.urls import path

from stelsel.insight.views import cockpit as views

SIGNAL = "besturen/<int:board_id>/data/signalen/<int:signal_id>/"

urlpatterns: list = [
    path(SIGNAL, views.signal, name="signal"),
    path(SIGNAL + "actie/", views.signal_action, name="signal_action"),
    path(SIGNAL + "doel/", views.signal_goal, name="signal_goal"),
    path(SIGNAL + "agendapunt/", views.signal_agenda_item, name="signal_agenda_item"),
]
