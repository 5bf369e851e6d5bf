from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "stelsel.meetings"
    label = "meetings"
    verbose_name = _("Quality calendar")

    def ready(self):
        from stelsel.meetings.access import meeting_series_for_user
        from stelsel.organisations import tables

        # The officer's profile (organisations, a layer below) lists and checks its tables
        # through the calendar's own access rule.
        tables.register(tables_for_user=meeting_series_for_user)
        # The board's activity page (organisations) reads the calendar's history through these.
        from stelsel.meetings.activity_sources import register_sources

        register_sources()
