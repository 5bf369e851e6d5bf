"""Linking the inspectorate's schools (OVTs) to the board's schools: proposed on BRIN, confirmed
by the board, never guessed from `Cn`, never across boards; the signals follow the link."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.links import (
    LINKED,
    NO_SCHOOL,
    PROPOSED,
    get_linkable_ovt_for_user,
    link_rows,
    ovt_link,
    ovt_unlink,
)
from stelsel.insight.models import Ovt, Signal
from stelsel.organisations.roles import Role
from tests.factories import make_school
from tests.factories.insight import add_results, add_schoolweging
from tests.insight.excerpts import BOARD

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    return client


def unlinked(named_for, brin: str, n: int = 1, *, number: str | None = None, **fields) -> Ovt:
    """An OVT as an import leaves it: named for a board (its BGNR, or `number`), linked to no
    school; `fields` set more (the board it was stored for, a school)."""
    return Ovt.objects.create(
        code=f"{brin}|C{n}",
        brin=brin,
        board_number=named_for.number if number is None else number,
        **fields,
    )


def links_url(board):
    return reverse("insight:links", args=[board.pk])


def link(client, board, ovt, school):
    return client.post(
        reverse("insight:ovt_link", args=[board.pk, ovt.pk]),
        {"school": school.pk if school else ""},
        follow=True,
    )


def test_the_page_proposes_the_schools_with_the_ovts_brin(english, executive, world):
    board, school = world.board, world.school
    proposed = unlinked(board, school.instellingscode)
    nobody = unlinked(board, "77QQ")
    by_brin = unlinked(board, world.other_school.instellingscode, number="")
    linked = unlinked(board, school.instellingscode, 2)
    ovt_link(ovt=linked, school=school, user=world.users[Role.BOARD_EXECUTIVE])
    response = executive.get(links_url(board))
    assert response.status_code == 200
    rows = {row.ovt.code: row for row in response.context["rows"]}
    assert rows[proposed.code].state == PROPOSED
    assert [c.school for c in rows[proposed.code].candidates] == [school]
    assert rows[proposed.code].candidates[0].linked == (linked.code,)
    assert rows[by_brin.code].state == PROPOSED, "no BGNR, but the BRIN is one of ours"
    assert rows[nobody.code].state == NO_SCHOOL
    assert rows[linked.code].state == LINKED
    assert [row.state for row in response.context["rows"]] == [
        PROPOSED,
        PROPOSED,
        NO_SCHOOL,
        LINKED,
    ], "what needs a choice comes first"
    html = response.content.decode()
    assert "No school of this board has BRIN 77QQ" in html
    assert f"already holds {linked.code}" in html
    assert "Undo the link" in html


def test_several_schools_with_one_brin_are_offered_to_choose_from_never_guessed(
    english, executive, world
):
    board = world.board
    first = make_school(board, name="Noord", instellingscode="03HV", vestigingscode="03HV00")
    second = make_school(board, name="Zuid", instellingscode="03HV", vestigingscode="03HV01")
    c1, c2 = unlinked(board, "03HV", 1), unlinked(board, "03HV", 2)
    response = executive.get(links_url(board))
    html = response.content.decode()
    for ovt in (c1, c2):
        select = html[html.index(f'id="school-{ovt.pk}"') :]
        select = select[: select.index("</select>")]
        assert "required" in select
        assert '<option value="">Choose the school</option>' in select
        assert f'value="{first.pk}"' in select and f'value="{second.pk}"' in select
        assert "selected" not in select, "Cn says nothing about the location: no pick"
    assert not Ovt.objects.filter(school__isnull=False).exists()
    link(executive, board, c2, first)
    assert Ovt.objects.get(pk=c2.pk).school == first, "C2 may well be the first location"


def test_confirming_links_the_ovt_and_its_results_and_signals_follow(english, executive, world):
    norms_ensure_loaded()
    board, school = world.board, world.school
    ovt = unlinked(board, school.instellingscode, board=board)
    add_results(ovt, {2023: (30, 80, 30), 2024: (30, 80, 30), 2025: (30, 80, 30)})
    add_schoolweging(ovt, 30)
    before = list(Signal.objects.filter(board=board).values_list("school_id", flat=True))
    response = link(executive, board, ovt, school)
    assert f"{ovt.code} is now linked to {school.name}" in response.content.decode()
    ovt.refresh_from_db()
    assert ovt.school == school and ovt.board == board
    assert ovt.linked_by == world.users[Role.BOARD_EXECUTIVE]
    assert ovt.linked_at is not None
    assert school.pk not in before
    below = Signal.objects.filter(board=board, school=school, kind="below_norm")
    assert below.exists(), "the signals were refreshed with the link"

    response = executive.post(reverse("insight:ovt_unlink", args=[board.pk, ovt.pk]), follow=True)
    assert f"{ovt.code} is no longer linked to {school.name}" in response.content.decode()
    ovt.refresh_from_db()
    assert (ovt.school, ovt.linked_by, ovt.linked_at) == (None, None, None)
    assert ovt.board == board, "it stays the board's, waiting for a school"
    assert not below.filter(resolved_at=None).exists(), "the school no longer carries it"


def test_another_boards_ovt_answers_404_and_stays_as_it_was(executive, world):
    board = world.board
    named_elsewhere = unlinked(board, world.school.instellingscode, number=world.other_board.number)
    theirs = unlinked(
        world.other_board,
        world.other_board_school.instellingscode,
        board=world.other_board,
        school=world.other_board_school,
        linked_at=timezone.now(),
    )
    same_brin_theirs = unlinked(
        world.other_board, world.school.instellingscode, 3, board=world.other_board
    )
    for ovt in (named_elsewhere, theirs, same_brin_theirs):
        for name in ("insight:ovt_link", "insight:ovt_unlink"):
            response = executive.post(
                reverse(name, args=[board.pk, ovt.pk]), {"school": world.school.pk}
            )
            assert response.status_code == 404, (name, ovt.code)
    assert executive.post(reverse("insight:ovt_link", args=[board.pk, 10**9])).status_code == 404
    listed = {row.ovt.code for row in executive.get(links_url(board)).context["rows"]}
    assert listed.isdisjoint({named_elsewhere.code, theirs.code, same_brin_theirs.code})
    theirs.refresh_from_db()
    assert theirs.school == world.other_board_school
    assert not Ovt.objects.filter(school=world.school).exists()


def test_a_school_of_another_brin_or_another_board_is_refused(english, executive, world):
    board = world.board
    ovt = unlinked(board, world.school.instellingscode)
    response = link(executive, board, ovt, world.other_school)
    html = response.content.decode()
    assert "is not linked" in html
    assert "an OVT is linked only to a school with its own BRIN" in html
    response = link(executive, board, ovt, world.other_board_school)
    assert "choose one of the board&#x27;s schools" in response.content.decode()
    response = link(executive, board, ovt, None)
    assert "is not linked" in response.content.decode()
    ovt.refresh_from_db()
    assert ovt.school is None and ovt.linked_at is None


def test_the_services_check_what_the_page_cannot(world):
    user = world.users[Role.BOARD_EXECUTIVE]
    ovt = unlinked(world.board, world.school.instellingscode, number=world.other_board.number)
    with pytest.raises(ValidationError, match="names board"):
        ovt_link(ovt=ovt, school=world.school, user=user)
    mine = unlinked(world.board, world.school.instellingscode, 2, number="")
    with pytest.raises(ValidationError, match="not linked to a school"):
        ovt_unlink(ovt=mine)
    ovt_link(ovt=mine, school=world.school, user=user)
    moved = Ovt.objects.get(pk=mine.pk)
    other_school = make_school(
        world.other_board, instellingscode=world.school.instellingscode, vestigingscode="ZZZZ99"
    )
    with pytest.raises(ValidationError, match="belongs to another board"):
        ovt_link(ovt=moved, school=other_school, user=user)
    assert Ovt.objects.get(pk=mine.pk).school == world.school


def test_only_the_board_office_reaches_the_linkable_ovts(world):
    ovt = unlinked(world.board, world.school.instellingscode)
    assert get_linkable_ovt_for_user(world.users[Role.QUALITY_OFFICER], world.board, ovt.pk)
    with pytest.raises(PermissionDenied):
        link_rows(world.users[Role.SCHOOL_LEADER], world.board)


def test_the_page_needs_the_same_queries_for_2_or_40_ovts(executive, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert executive.get(links_url(world.board)).status_code == 200
        return len(captured)

    board = world.board
    for n in range(2):
        unlinked(board, world.school.instellingscode, n + 1)
    few = queries()
    for n in range(2, 20):
        unlinked(board, world.school.instellingscode, n + 1)
    for n in range(20):
        school = make_school(board)
        ovt = unlinked(board, school.instellingscode, 1)
        ovt_link(ovt=ovt, school=school, user=world.users[Role.BOARD_EXECUTIVE])
    assert Ovt.objects.count() == 40
    assert queries() == few


def test_the_board_numbered_in_the_files_sees_its_named_ovts(executive, world):
    """An OVT the inspectorate names for the board, imported before the board existed in
    Stelsel (no board set), is the board's to link."""
    world.board.number = BOARD
    world.board.save()
    ovt = unlinked(world.board, world.school.instellingscode)
    assert ovt.board_id is None
    rows = link_rows(world.users[Role.BOARD_EXECUTIVE], world.board)
    assert [row.ovt for row in rows] == [ovt]
