"""Reads for boards, schools and people: scoped through access.py and free of N+1 queries."""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stelsel.frameworks.models import FrameworkVersion
from stelsel.organisations.access import (
    boards_for_user,
    invitations_for_user,
    memberships_for_user,
    require,
    schools_for_user,
    visible_schools,
)
from stelsel.organisations.models import Board, Invitation, Membership, School, Sector
from stelsel.organisations.roles import Permission, Role


def boards_overview(user) -> list[Board]:
    """The user's boards with the number of schools the user can see on each."""
    boards = list(boards_for_user(user).annotate(total_schools=Count("schools")))
    visible = dict(
        visible_schools(user)
        .values_list("board_id")
        .annotate(n=Count("pk"))
        .values_list("board_id", "n")
    )
    for board in boards:
        board.school_count = visible.get(board.pk, 0)
    return boards


def board_schools(user, board: Board) -> list[School]:
    """The schools the user may see, with how many people have a role there."""
    return list(
        schools_for_user(user, board).annotate(
            people_count=Count(
                "memberships__user", distinct=True, filter=Q(memberships__board=board)
            )
        )
    )


def school_leaders(school: School) -> list[Membership]:
    return list(
        Membership.objects.filter(
            board_id=school.board_id, school=school, role=Role.SCHOOL_LEADER
        ).select_related("user")
    )


def frameworks_for_school(school: School) -> list[FrameworkVersion]:
    """The newest version of each school-level framework that fits the school's sector."""
    sectors = {school.sector, "all"}
    if school.sector == Sector.SO:
        sectors.add("po")
    return _newest(FrameworkVersion.objects.filter(level="school", sector__in=sectors))


def frameworks_for_board(board: Board) -> list[FrameworkVersion]:
    return _newest(FrameworkVersion.objects.filter(level="board"))


def _newest(versions) -> list[FrameworkVersion]:
    newest: dict[int, FrameworkVersion] = {}
    for version in versions.select_related("framework").order_by("framework_id", "-version"):
        newest.setdefault(version.framework_id, version)
    return sorted(newest.values(), key=lambda v: v.name)


@dataclass(frozen=True)
class Person:
    user: object
    memberships: list[Membership]


def board_people(user, board: Board) -> list[Person]:
    """Everyone with a role on the board, each once, with all their roles."""
    memberships = (
        memberships_for_user(user, board)
        .select_related("user", "school")
        .order_by("user__name", "user__email", "role")
    )
    people: dict[int, Person] = {}
    for membership in memberships:
        people.setdefault(membership.user_id, Person(membership.user, [])).memberships.append(
            membership
        )
    return list(people.values())


def open_invitations(user, board: Board) -> list[Invitation]:
    return list(
        invitations_for_user(user, board)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("school", "invited_by")
    )


@dataclass(frozen=True)
class ActivityEntry:
    when: datetime
    who: object
    action: str  # "+", "~", "-"
    kind: str
    label: str
    changes: list[tuple[str, object, object]]


def _entries(records, kind: str, label, with_diff: bool) -> list[ActivityEntry]:
    """Entries from history records; a change's diff is taken against the previous record of
    the same object among those fetched, so the page costs no query per entry."""
    records = list(records)
    previous: dict[int, object] = {}
    if with_diff:
        last_seen: dict[int, object] = {}
        for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
            previous[record.history_id] = last_seen.get(record.id)
            last_seen[record.id] = record
    entries = []
    for record in records:
        changes = []
        prev = previous.get(record.history_id)
        if record.history_type == "~" and prev is not None:
            meta = record.instance_type._meta
            changes = [
                (str(meta.get_field(c.field).verbose_name), c.old, c.new)
                for c in record.diff_against(prev).changes
            ]
        entries.append(
            ActivityEntry(
                record.history_date,
                record.history_user,
                record.history_type,
                kind,
                label(record),
                changes,
            )
        )
    return entries


def _membership_label(record) -> str:
    """A role's history record; the person or school may have been removed since."""
    who = record.user or _("removed account #%(id)s") % {"id": record.user_id}
    label = f"{who} – {Role(record.role).label}"
    if record.school_id:
        label += f" – {record.school or _('removed school')}"
    return label


def board_activity(user, board: Board, *, limit: int = 100) -> list[ActivityEntry]:
    """Who changed what and when on the board's own records, newest first."""
    require(user, board, Permission.VIEW_ACTIVITY)
    boards = Board.history.filter(id=board.pk).select_related("history_user")
    schools = School.history.filter(board_id=board.pk).select_related("history_user")
    memberships = Membership.history.filter(board_id=board.pk).select_related(
        "history_user", "user", "school"
    )
    invitations = Invitation.history.filter(board_id=board.pk).select_related("history_user")
    streams = [
        _entries(boards.order_by("-history_date")[:limit], "board", lambda r: r.name, True),
        _entries(schools.order_by("-history_date")[:limit], "school", lambda r: r.name, True),
        _entries(
            memberships.order_by("-history_date")[:limit],
            "membership",
            _membership_label,
            False,
        ),
        _entries(
            invitations.order_by("-history_date")[:limit],
            "invitation",
            lambda r: f"{r.email} – {Role(r.role).label}",
            False,
        ),
    ]
    merged = merge(*streams, key=lambda e: e.when, reverse=True)
    return [entry for _, entry in zip(range(limit), merged, strict=False)]
