"""Builders for the picture API tests and the permission matrix: evidence, actions and
opdrachten written straight to the database, so the API tests do not depend on the forms."""

import datetime
import hashlib
import json

from django.utils import timezone

from tests.factories import make_framework_version, make_picture


def school_for(world, scope):
    return {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]


def school_standard(code: str = "KL1"):
    return make_framework_version("school").standards.get(code=code)


def make_evidence(
    board,
    school,
    *,
    title="Bewijs",
    kind="document",
    standards=(),
    versions=1,
    expires_on=None,
    url="",
):
    from stelsel.picture.models import Evidence, EvidenceFile

    evidence = Evidence.objects.create(
        board=board, school=school, kind=kind, title=title, url=url, expires_on=expires_on
    )
    evidence.standards.set(standards)
    for version in range(1, versions + 1):
        content = f"{title} v{version}".encode()
        EvidenceFile.objects.create(
            board=board,
            evidence=evidence,
            version=version,
            file=f"evidence/{board.pk}/test-{evidence.pk}-{version}",
            name=f"{title.lower()}-v{version}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return evidence


def make_assignment(board, school, standard, *, deadline=None, text="Zorg dat het klopt."):
    from stelsel.picture.models import Assignment

    return Assignment.objects.create(
        board=board,
        school=school,
        standard=standard,
        text=text,
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=90),
    )


def make_action(
    board,
    school,
    *,
    title="Aanpak",
    status="planned",
    progress=0,
    due_on=None,
    standards=(),
    assignments=(),
    owner=None,
):
    from stelsel.planning.models import Action

    action = Action.objects.create(
        board=board,
        school=school,
        title=title,
        status=status,
        progress=progress,
        due_on=due_on,
        owner=owner,
    )
    action.standards.set(standards)
    action.assignments.set(assignments)
    return action


# --- URL arguments for the permission matrix ------------------------------------------------


def picture_kwargs(world, scope):
    school = school_for(world, scope)
    picture = make_picture(school.board, school)
    return {"board_id": school.board_id, "picture_id": picture.pk}


def entry_kwargs(world, scope):
    school = school_for(world, scope)
    picture = make_picture(school.board, school)
    entry = picture.entries.filter(standard__isnull=False).first()
    return {"board_id": school.board_id, "entry_id": entry.pk}


def entry_change_body(world) -> str:
    """A substantiation change on a fresh entry: allowed to everyone who contributes."""
    return json.dumps({"revision": 1, "ambitions": "Wat de plannen beogen."})


def evidence_kwargs(world, scope):
    school = school_for(world, scope)
    evidence = make_evidence(school.board, school, standards=[school_standard()])
    return {"board_id": school.board_id, "evidence_id": evidence.pk}


def action_kwargs(world, scope):
    school = school_for(world, scope)
    action = make_action(school.board, school, standards=[school_standard()])
    return {"board_id": school.board_id, "action_id": action.pk}


def assignment_kwargs(world, scope):
    school = school_for(world, scope)
    assignment = make_assignment(school.board, school, school_standard())
    return {"board_id": school.board_id, "assignment_id": assignment.pk}
