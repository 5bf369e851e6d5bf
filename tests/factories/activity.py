"""A board's history of every kind the activity page shows, for its tests and query counts."""

from stelsel.meetings.models import Decision
from stelsel.organisations.models import QualityOfficerProfile, QualityProcess
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from stelsel.picture.entries.services import EntryChange, entry_update, message_add
from stelsel.picture.models import Indicator
from tests.factories import (
    make_action,
    make_assignment,
    make_evidence,
    make_picture,
    make_round,
    make_visit,
)
from tests.factories.meetings import make_meeting
from tests.factories.planning import make_check_in, make_goal, make_plan, make_theme


def make_history(board, school, user, *, n: int = 1):
    """One record of every kind in `school` (and the board's own), made through the services
    where a person acts, else through the factories."""
    invitation_create(
        board=board, email=f"nieuw{n}@example.org", role=Role.STAFF, invited_by=user, school=school
    )
    QualityProcess.objects.create(board=board, name=f"Zelfevaluatie {n}")
    QualityOfficerProfile.objects.update_or_create(board=board, defaults={"user": user})
    Indicator.objects.create(board=board, perspective="ambitions", code=f"EIG{n}", title="Lezen")
    picture = school.pictures.first() if school.pictures.exists() else make_picture(board, school)
    entry = picture.entries.filter(standard__isnull=False, status__code="nnb").first()
    entry_update(entry=entry, revision=entry.revision, change=EntryChange(status="ok"), user=user)
    message_add(entry=entry, author=user, kind="input", text="Zie het leesplan.")
    make_evidence(board, school, title="Leesplan")
    make_assignment(board, school, text="Herstel het zicht op ontwikkeling.")
    make_visit(board, school, title="Vierjaarlijks onderzoek")
    make_action(board, school, title="Leesteam opzetten")
    plan = make_plan(board, school, title="Schoolplan")
    make_theme(plan, title="Lezen")
    goal = make_goal(plan, title="Iedereen leest")
    make_check_in(goal)
    meeting = make_meeting(board, school)
    Decision.objects.create(board=board, meeting=meeting, text="We starten een leesteam.")
    make_round(board, school)
