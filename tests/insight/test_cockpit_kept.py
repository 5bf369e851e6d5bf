"""The board home keeps its rendered cockpit until the board's data change: the next visit
reads nothing of the six apps again, and any write (a page's, a service's in a transaction,
a bulk update, another process's) shows on the visit after it. Per person, language and day."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.insight.models import Signal
from stelsel.lib.data_versions import board_scope
from stelsel.organisations.models import School
from tests.insight.cockpit_world import cockpit_world

pytestmark = pytest.mark.django_db(transaction=True)


def _get(client, board):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:board_home", args=[board.pk]))
    assert response.status_code == 200
    # The form tokens are masked anew for every response.
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return page, len(queries)


def _open_signals(page: str) -> str:
    """The figure of the "open signals" counter (in Dutch: "open signalen")."""
    head = re.split(r"open signal(?:s|en)<", page)[0]
    return head.rsplit('stat__value">', 1)[1].split("<", 1)[0]


@pytest.fixture
def w():
    return cockpit_world()


def test_the_second_visit_reads_the_kept_cockpit(client, w):
    client.force_login(w.executive)
    client.get(reverse("web:board_home", args=[w.board.pk]))  # sets the CSRF cookie
    first, read = _get(client, w.board)
    second, kept = _get(client, w.board)
    assert second == first
    assert kept < read - 8, (kept, read)


def test_a_change_shows_on_the_next_visit_however_it_was_written(client, w):
    client.force_login(w.executive)
    page, _ = _get(client, w.board)
    open_signals = Signal.objects.filter(board=w.board, resolved_at__isnull=True).count()
    assert _open_signals(page) == str(open_signals)

    # A bulk update outside a transaction (no model signal is sent).
    first = Signal.objects.filter(board=w.board, resolved_at__isnull=True).order_by("pk")[:1]
    Signal.objects.filter(pk__in=list(first.values_list("pk", flat=True))).update(
        resolved_at=timezone.now()
    )
    page, _ = _get(client, w.board)
    assert _open_signals(page) == str(open_signals - 1)

    # A service's transaction in the board's scope.
    with board_scope(w.board.pk), transaction.atomic():
        Signal.objects.filter(board=w.board).update(resolved_at=None)
    page, _ = _get(client, w.board)
    assert _open_signals(page) == str(open_signals)

    # A school renamed (the name the attention list shows).
    morgenster = w.schools["00AV"]
    School.objects.filter(pk=morgenster.pk).update(name="De Avondster")
    page, _ = _get(client, w.board)
    assert "De Avondster" in page
    assert "De Morgenster" not in page


def test_what_is_kept_is_per_person_and_language(client, w):
    client.force_login(w.executive)
    executive, _ = _get(client, w.board)
    assert "Het Kompas" in executive
    client.force_login(w.leader)
    leader, _ = _get(client, w.board)
    assert "De Morgenster" in leader
    assert "Het Kompas" not in leader
    client.force_login(w.executive)
    url = reverse("web:board_home", args=[w.board.pk])
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "What needs attention" in english
    assert "Wat aandacht vraagt" not in english
