"""The relation between the officer's profile and the calendar's tables moved from organisations
to meetings in Django's state only: tables linked before the move are still linked after it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organisations", "0003_who_does_what"), ("meetings", "0002_series_revision")]
AFTER = [
    ("organisations", "0004_officer_tables_to_calendar"),
    ("meetings", "0003_officer_profiles"),
]


@pytest.mark.django_db(transaction=True)
def test_tables_linked_before_the_move_stay_linked():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    board = old.get_model("organisations", "Board").objects.create(name="B", number="12345")
    series = old.get_model("meetings", "MeetingSeries").objects.create(
        board=board,
        name="Kwaliteitsoverleg",
        rhythm="weeks",
        interval=6,
        start_time=dt.time(15),
        duration_minutes=90,
        first_date=dt.date(2026, 9, 1),
    )
    profile = old.get_model("organisations", "QualityOfficerProfile").objects.create(board=board)
    profile.meeting_series.add(series)

    MigrationExecutor(connection).migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from stelsel.meetings.models import MeetingSeries
    from stelsel.organisations.models import QualityOfficerProfile

    moved = QualityOfficerProfile.objects.get(pk=profile.pk)
    assert list(moved.meeting_series.values_list("pk", flat=True)) == [series.pk]
    assert list(MeetingSeries.objects.get(pk=series.pk).officer_profiles.all()) == [moved]
