"""The relation between the officer's profile and the calendar's tables moves to the calendar
(meetings 0003 declares it on MeetingSeries). Only Django's state changes: the table, its rows
and its columns stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_who_does_what"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="qualityofficerprofile", name="meeting_series"),
            ],
            database_operations=[],
        ),
    ]
