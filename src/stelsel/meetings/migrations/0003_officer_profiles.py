"""The calendar declares the relation between its tables and the officer's profile, which
organisations declared before (organisations 0004). The existing table
organisations_qualityofficerprofile_meeting_series is kept, with its columns
meetingseries_id and qualityofficerprofile_id: only Django's state changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_series_revision"),
        ("organisations", "0004_officer_tables_to_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="meetingseries",
                    name="officer_profiles",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="organisations_qualityofficerprofile_meeting_series",
                        related_name="meeting_series",
                        to="organisations.qualityofficerprofile",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
