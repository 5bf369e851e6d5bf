"""The picture's objects for the API tests and the permission matrix: a standard of the small
framework, and the URL arguments of the picture's routes per scope (own school, another school,
another board)."""

import json

from tests.factories import (
    make_action,
    make_assignment,
    make_evidence,
    make_framework_version,
    make_picture,
)


def school_for(world, scope):
    return {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]


def school_standard(code: str = "KL1"):
    return make_framework_version("school").standards.get(code=code)


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
