from django.urls import path

from stelsel.meetings import views

app_name = "meetings"

CALENDAR = "besturen/<int:board_id>/kalender/"
SERIES = CALENDAR + "tafels/<int:series_id>/"
MEETING = CALENDAR + "overleggen/<int:meeting_id>/"

urlpatterns = [
    path(CALENDAR, views.calendar, name="calendar"),
    path(CALENDAR + "maand/", views.month, name="month"),
    path(CALENDAR + "archief/", views.archive, name="archive"),
    path(CALENDAR + "vakantieregio/", views.holiday_regions, name="holiday_regions"),
    path(CALENDAR + "zes-tafels/", views.tables_start, name="tables_start"),
    path(CALENDAR + "tafels/nieuw/", views.series_create, name="series_create"),
    path(SERIES, views.series_detail, name="series"),
    path(SERIES + "bewerken/", views.series_edit, name="series_edit"),
    path(SERIES + "plannen/", views.series_plan, name="series_plan"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "verslag/", views.meeting_record, name="meeting_record"),
    path(MEETING + "agendapunten/", views.agenda_item_add, name="agenda_item_add"),
    path(MEETING + "agendapunten/standaard/", views.agenda_from_standard, name="agenda_standard"),
    path(MEETING + "agendapunten/gesprek/", views.agenda_from_round, name="agenda_from_round"),
    path(
        MEETING + "agendapunten/<int:item_id>/verwijderen/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(MEETING + "besluiten/", views.decision_add, name="decision_add"),
    # A person's own calendar address and reminder setting (no board in the path).
    path("agenda-feed/aanmaken/", views.feed_create, name="feed_create"),
    path("agenda-feed/<int:feed_id>/intrekken/", views.feed_revoke, name="feed_revoke"),
    path("herinneringen/instelling/", views.reminders_setting, name="reminders_setting"),
    # Public: the secret feed address and the unsubscribe link from a reminder email.
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    path("herinneringen/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
