"""The quality picture's objects (pictures, entries, evidence, herstelopdrachten, visits,
inspector's links, own indicators) are reached only through here, on top of the core in
`organisations.access`: objects of another board, or of a unit the user does not see, answer
404 like ids that do not exist."""

from stelsel.organisations.access import one, require, require_unit, unit_object, unit_objects
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.picture.models import (
    Assignment,
    Entry,
    Evidence,
    Indicator,
    InspectorLink,
    Picture,
    Visit,
)


def pictures_for_user(user, board: Board):
    return unit_objects(Picture, user, board)


def get_picture_for_user(user, board: Board, picture_id, *, write: bool = False):
    """A picture of a unit the user sees (else 404); `write` needs MANAGE_PICTURE on its unit
    (else 403)."""
    permission = Permission.MANAGE_PICTURE if write else None
    return unit_object(
        Picture, user, board, picture_id, permission, ("school", "framework_version")
    )


def get_entry_for_user(user, board: Board, entry_id, *, write: bool = False):
    """An entry of a picture the user may see (else 404); `write` needs CONTRIBUTE_PICTURE on
    the picture's unit (else 403). Judging (JUDGE_SCHOOL, JUDGE_BOARD) and feedback
    (GIVE_FEEDBACK) are checked by the caller with `require_unit`/`has_unit_permission`."""
    require(user, board, Permission.VIEW_PICTURE)
    entry = one(
        Entry.objects.filter(
            board=board, picture__in=pictures_for_user(user, board)
        ).select_related(
            "picture__school",
            "picture__framework_version",
            "standard__scale",
            "standard__area",
            "indicator",
            "status",
            "judged_by",
            "updated_by",
        ),
        entry_id,
    )
    if write:
        require_unit(user, board, Permission.CONTRIBUTE_PICTURE, entry.picture.school)
    return entry


def evidence_for_user(user, board: Board):
    return unit_objects(Evidence, user, board)


def get_evidence_for_user(user, board: Board, evidence_id, *, write: bool = False):
    permission = Permission.CONTRIBUTE_PICTURE if write else None
    return unit_object(Evidence, user, board, evidence_id, permission)


def assignments_for_user(user, board: Board):
    return unit_objects(Assignment, user, board)


def get_assignment_for_user(user, board: Board, assignment_id, *, write: bool = False):
    permission = Permission.MANAGE_ASSIGNMENTS if write else None
    return unit_object(
        Assignment, user, board, assignment_id, permission, ("school", "standard", "requirement")
    )


def visits_for_user(user, board: Board):
    return unit_objects(Visit, user, board)


def get_visit_for_user(user, board: Board, visit_id, *, write: bool = False):
    """A visit of a unit the user sees (else 404); `write` needs MANAGE_VISITS on its unit
    (else 403). Writing the visit's log (WRITE_VISIT_LOG) and giving an inspector a link to it
    (SHARE_PICTURE) are checked by the caller with `require_unit` after this."""
    permission = Permission.MANAGE_VISITS if write else None
    return unit_object(Visit, user, board, visit_id, permission)


def inspector_links_for_user(user, board: Board):
    require(user, board, Permission.SHARE_PICTURE)
    return unit_objects(InspectorLink, user, board)


def get_inspector_link_for_user(user, board: Board, link_id, *, write: bool = False):
    """A link of a unit the user sees (else 404); giving and revoking needs SHARE_PICTURE on
    that unit (else 403), like every other unit object.

    Links are for those who give them: reading one (its address, its log) needs SHARE_PICTURE
    on its unit as revoking it does, so `write` adds no further check.
    """
    return unit_object(InspectorLink, user, board, link_id, Permission.SHARE_PICTURE)


def indicators_for_user(user, board: Board):
    """The board's own indicators, for everyone who sees the picture: they are board-wide, like
    the standards of a framework, and name what a picture, evidence, goal or action is about."""
    require(user, board, Permission.VIEW_PICTURE)
    return Indicator.objects.filter(board=board)


def get_indicator_for_user(user, board: Board, indicator_id, *, write: bool = False):
    """A board's own indicator; indicators are board-wide, managed by the board office.

    Only the board office reaches one this way: MANAGE_PICTURE is checked first (403), for
    reading as for writing, so `write` adds no further check.
    """
    require(user, board, Permission.MANAGE_PICTURE)
    return one(Indicator.objects.filter(board=board), indicator_id)
