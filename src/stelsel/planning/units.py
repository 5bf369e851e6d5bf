"""What a unit's plans, goals and actions may name: who can own them, and the framework versions
their standards come from.

A unit is a school, or the board itself. Whoever owns something of a unit answers for it, so they
must be reachable through that unit; a standard linked to it must come from a framework the unit
is judged on. The services of plans, goals and actions check this, and the forms (also the
meeting's decision that records an action) offer only these people and standards.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from stelsel.organisations.models import Board, Membership, School
from stelsel.picture.models import Picture


def owner_candidates(board: Board, school: School | None):
    """Memberships that make someone a possible owner of a plan, goal or action of this unit:
    a role on the board itself, or (for a school's) a role on that school."""
    unit = Q(school__isnull=True)
    if school is not None:
        unit |= Q(school=school)
    return Membership.objects.filter(unit, board=board)


def is_owner_candidate(person, board: Board, school: School | None) -> bool:
    return owner_candidates(board, school).filter(user=person).exists()


def allowed_versions(board: Board, school: School | None, assignments: Iterable = ()) -> set[int]:
    """Framework versions a goal or action of this unit may point into: those the unit has (or
    had) a picture on, plus those of the herstelopdrachten it covers, so a covering action can
    always name the standard of the opdracht it covers."""
    versions = set(
        Picture.objects.filter(board=board, school=school).values_list(
            "framework_version_id", flat=True
        )
    )
    versions |= {a.standard.framework_version_id for a in assignments}
    return versions


def owner_choices(board: Board, school: School | None, current_owner_id: int | None):
    """Who may own something of this unit, plus whoever owns it now."""
    people = get_user_model().objects.filter(
        Exists(owner_candidates(board, school).filter(user=OuterRef("pk")))
    )
    if current_owner_id:
        people = people | get_user_model().objects.filter(pk=current_owner_id)
    return people.order_by("name", "email")
