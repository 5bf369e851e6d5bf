"""Data versions: every write that reaches the database changes a token, for the board whose
page made it or for all boards, when its transaction commits; a part kept under the old tokens
is never shown again."""

import pytest
from django.db import connection, transaction

from stelsel.lib import data_versions
from stelsel.lib.data_versions import board_scope, kept_key, version, written_table
from stelsel.organisations.models import Board, School
from tests.factories import make_board, make_school


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "organisations_school" ("name") VALUES (%s)', "organisations_school"),
        ("insert or replace into Picture_entry values (1)", "picture_entry"),
        ('UPDATE "planning_action" SET "status" = %s', "planning_action"),
        ('  DELETE FROM "meetings_meeting" WHERE id = 1', "meetings_meeting"),
        ('TRUNCATE "insight_signal", "insight_ovt" CASCADE', "insight_signal"),
        ("TRUNCATE TABLE insight_signal", "insight_signal"),
        ('SELECT "id" FROM "organisations_school"', None),
        ("SAVEPOINT s1", None),
        ('WITH x AS (SELECT 1) SELECT * FROM "update"', None),
    ],
)
def test_it_knows_the_table_a_statement_writes_to(sql, table):
    assert written_table(sql) == table


def test_a_write_is_the_boards_in_its_scope_and_everyones_outside_it():
    scope = data_versions._scope_for
    assert scope("picture_entry") == data_versions.ALL
    with board_scope(7):
        assert scope("picture_entry") == "7"
        # People and frameworks are shared by all boards, whoever changes them.
        assert scope("accounts_user") == data_versions.ALL
        assert scope("frameworks_standard") == data_versions.ALL
        assert scope("django_session") is None
    assert scope("picture_entry") == data_versions.ALL


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_changes_the_version_at_once():
    board = make_board()
    before = version(connection, board.pk)
    Board.objects.filter(pk=board.pk).update(name="Renamed")  # a bulk update sends no signal
    assert version(connection, board.pk) != before
    before = version(connection, board.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE organisations_board SET name = %s", ["Raw"])
    assert version(connection, board.pk) != before


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_changes_it_on_commit_and_not_on_rollback():
    board = make_board()
    before = version(connection, board.pk)
    with transaction.atomic():
        make_school(board)
        # Not before the commit: another process could otherwise keep what it reads now.
        assert version(connection, board.pk) == before
        # This connection sees its own write: it reads afresh.
        assert kept_key(board.pk, "home", ()) is None
    after = version(connection, board.pk)
    assert after != before
    assert kept_key(board.pk, "home", ()) is not None

    with pytest.raises(RuntimeError), transaction.atomic():
        make_school(board)
        raise RuntimeError
    assert version(connection, board.pk) == after
    assert kept_key(board.pk, "home", ()) is not None


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_rolled_back_savepoint_is_forgotten_and_a_later_one_counts():
    board = make_board()
    before = version(connection, board.pk)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_school(board)
            raise RuntimeError
        assert not data_versions.writes_pending(connection)
    assert version(connection, board.pk) == before
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_school(board)
            raise RuntimeError
        make_school(board)
    assert version(connection, board.pk) != before


@pytest.mark.django_db(transaction=True)
def test_a_boards_write_leaves_other_boards_kept_parts_alone():
    mine, other = make_board(), make_board()
    mine_before, other_before = version(connection, mine.pk), version(connection, other.pk)
    with board_scope(mine.pk), transaction.atomic():
        make_school(mine)
    assert version(connection, mine.pk) != mine_before
    assert version(connection, other.pk) == other_before
    # A write of nobody's board (a command, a national import) changes every board's.
    School.objects.filter(board=other).update(name="X")
    assert version(connection, mine.pk) != mine_before
    assert version(connection, other.pk) != other_before


@pytest.mark.django_db(transaction=True)
def test_a_lost_token_is_never_the_old_one_again():
    board = make_board()
    before = version(connection, board.pk)
    from django.core.cache import caches

    caches[data_versions.CACHE].clear()
    assert version(connection, board.pk) != before
