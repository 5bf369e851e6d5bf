"""Linking the inspectorate's schools (OVTs, `BRIN|Cn`) to the board's schools.

An OVT is not a DUO location: a location can hold several OVTs and several locations can form
one. So Stelsel only proposes the board's schools with the OVT's BRIN and the board confirms
which one it is; `Cn` is never read as a location number, and an OVT is never linked to a school
of another BRIN. Until the board confirms, the OVT's results count for no school. Linking and
unlinking refresh the board's signals in the same transaction, so the cockpit follows the link.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.insight.models import Ovt
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.access import one, require
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission

LINKED, PROPOSED, NO_SCHOOL = "linked", "proposed", "no_school"
STATES = (PROPOSED, NO_SCHOOL, LINKED)


def linkable_ovts_for_user(user, board: Board):
    """The OVTs the board may link or unlink: its own (named for it or linked to one of its
    schools) and those no board has whose BRIN is one of its schools. An OVT the inspectorate
    names for another board is not among them, so reaching it answers 404."""
    require(user, board, Permission.MANAGE_DATA)
    brins = School.objects.filter(board=board).values("instellingscode")
    unclaimed = Q(board__isnull=True, school__isnull=True) & (
        Q(board_number=board.number) | Q(board_number="", brin__in=brins)
    )
    return Ovt.objects.filter(Q(board=board) | Q(school__board=board) | unclaimed)


def get_linkable_ovt_for_user(user, board: Board, ovt_id) -> Ovt:
    return one(linkable_ovts_for_user(user, board).select_related("school"), ovt_id)


@dataclass(frozen=True)
class Candidate:
    """A school of the board with the OVT's BRIN, and the OVTs already linked to it (a school
    may hold several)."""

    school: School
    linked: tuple[str, ...] = ()


@dataclass
class LinkRow:
    """One OVT on the links page: its state and the board's schools with its BRIN."""

    ovt: Ovt
    state: str
    candidates: list[Candidate] = field(default_factory=list)


def link_rows(user, board: Board) -> list[LinkRow]:
    """Every OVT the board may link, those waiting for a choice first; in two queries."""
    ovts = list(
        linkable_ovts_for_user(user, board).select_related("school", "linked_by").order_by("code")
    )
    schools: dict[str, list[School]] = defaultdict(list)
    for school in School.objects.filter(
        board=board, instellingscode__in={o.brin for o in ovts}
    ).order_by("name", "vestigingscode"):
        schools[school.instellingscode].append(school)
    linked: dict[int, list[str]] = defaultdict(list)
    for ovt in ovts:
        if ovt.linked_at and ovt.school_id:
            linked[ovt.school_id].append(ovt.code)
    rows = []
    for ovt in ovts:
        candidates = [
            Candidate(s, tuple(c for c in linked.get(s.pk, []) if c != ovt.code))
            for s in schools.get(ovt.brin, [])
        ]
        state = PROPOSED if candidates else NO_SCHOOL
        if ovt.linked_at and ovt.school_id:
            state = LINKED
        rows.append(LinkRow(ovt, state, candidates))
    order = {PROPOSED: 0, NO_SCHOOL: 1, LINKED: 2}
    return sorted(rows, key=lambda row: order[row.state])


def _check(ovt: Ovt, school: School) -> None:
    if ovt.brin != school.instellingscode:
        raise ValidationError(
            {
                "school": _(
                    "%(school)s has BRIN %(school_brin)s and %(ovt)s has BRIN %(ovt_brin)s; "
                    "an OVT is linked only to a school with its own BRIN"
                )
                % {
                    "school": school.name,
                    "school_brin": school.instellingscode,
                    "ovt": ovt.code,
                    "ovt_brin": ovt.brin,
                }
            }
        )
    board = school.board
    if ovt.board_number and ovt.board_number != board.number:
        raise ValidationError(
            _("the inspectorate names board %(number)s for %(ovt)s, not this board")
            % {"number": ovt.board_number, "ovt": ovt.code}
        )
    if (ovt.board_id and ovt.board_id != board.pk) or (
        ovt.school_id and ovt.school.board_id != board.pk
    ):
        raise ValidationError(_("%(ovt)s belongs to another board") % {"ovt": ovt.code})


def ovt_link(*, ovt: Ovt, school: School, user) -> Ovt:
    """Confirm that the OVT is this school of the board; its results then count for the school.

    A school may hold several OVTs; an OVT is one school, so linking it again moves the link.
    """
    _check(ovt, school)
    with transaction.atomic():
        ovt.school, ovt.board_id = school, school.board_id
        ovt.linked_by, ovt.linked_at = user, timezone.now()
        ovt.save(update_fields=["school", "board", "linked_by", "linked_at"])
        signals_refresh(school.board)
    return ovt


def ovt_unlink(*, ovt: Ovt) -> Ovt:
    """Undo a link: the OVT stays the board's, its results count for no school until linked."""
    if ovt.school_id is None:
        raise ValidationError(_("%(ovt)s is not linked to a school") % {"ovt": ovt.code})
    board = ovt.school.board
    with transaction.atomic():
        ovt.board_id = ovt.board_id or board.pk
        ovt.school, ovt.linked_by, ovt.linked_at = None, None, None
        ovt.save(update_fields=["school", "board", "linked_by", "linked_at"])
        signals_refresh(board)
    return ovt
