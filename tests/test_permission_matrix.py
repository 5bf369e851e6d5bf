"""Every route of the URL configuration, as every role, in its own scope, in another school of
the same board, and in another board, with the status each must answer.

The test enumerates the URL configuration: a route that is added without an entry here fails
`test_it_covers_every_route`, so no page or API call can escape the matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from stelsel.identity.models import StaffImport
from stelsel.organisations.models import Invitation, Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from stelsel.selfevaluation.models import Round
from tests.factories import grant, make_picture, make_questionnaire, make_round, make_user
from tests.factories import picture as api_picture

ALL = set(Role)
BOARD_ROLES = {
    Role.BOARD_EXECUTIVE,
    Role.QUALITY_OFFICER,
    Role.SUPERVISOR,
    Role.COUNCIL,
    Role.ADVISOR,
}
PEOPLE_READERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
EXECUTIVE = {Role.BOARD_EXECUTIVE}
IMPORTERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
ACTIVITY_READERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
ROUND_MANAGERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
BOARD_OFFICE = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
CONTRIBUTORS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER, Role.STAFF}

SCOPES = ["own", "other_school", "other_board"]
USERS = [*sorted(Role), "nobody", "anonymous"]


@dataclass
class Route:
    """How to call a route and what each user must get.

    `kwargs(world, scope)` builds the URL arguments for a scope; `allowed` are the roles that
    get `ok` in their own scope; other roles on the board get `denied`; everything in another
    board answers 404. `school_scoped` routes also answer 404 to school roles for another
    school of their board. `blocked` roles lack the route's permission on the whole board:
    they get `denied` in every scope of the board, before anything is looked up.
    """

    kwargs: Callable
    allowed: set
    method: str = "get"
    ok: int = 200
    denied: int = 403
    school_scoped: bool = False
    anonymous: int = 302
    nobody: int | None = 404
    data: Callable | None = None
    board_agnostic: bool = False  # same answer in every scope (no board in the URL)
    blocked: frozenset = frozenset()


def board_kwargs(world, scope):
    board = world.other_board if scope == "other_board" else world.board
    return {"board_id": board.pk}


def school_kwargs(world, scope):
    school = {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]
    return {"board_id": school.board_id, "school_id": school.pk}


def _target_board(world, scope):
    return world.other_board if scope == "other_board" else world.board


def invitation_kwargs(world, scope):
    board = _target_board(world, scope)
    invitation, _link = invitation_create(
        board=board, email=f"new-{scope}@example.org", role=Role.SUPERVISOR, invited_by=None
    )
    return {"board_id": board.pk, "invitation_id": invitation.pk}


def membership_kwargs(world, scope):
    board = _target_board(world, scope)
    membership = grant(make_user(), board, Role.SUPERVISOR)
    return {"board_id": board.pk, "membership_id": membership.pk}


def person_kwargs(world, scope):
    board = _target_board(world, scope)
    person = world.outsider if scope == "other_board" else world.users[Role.SUPERVISOR]
    return {"board_id": board.pk, "person_id": person.pk}


def staff_import_kwargs(world, scope):
    board = _target_board(world, scope)
    staff_import = StaffImport.objects.create(board=board, rows=[])
    return {"board_id": board.pk, "import_id": staff_import.pk}


def _scoped_round(world, scope, state):
    school = {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]
    return make_round(school.board, school, state=state)


def round_kwargs(world, scope):
    round_ = _scoped_round(world, scope, "draft")
    return {"board_id": round_.board_id, "round_id": round_.pk}


def closed_round_kwargs(world, scope):
    round_ = _scoped_round(world, scope, "closed")
    return {"board_id": round_.board_id, "round_id": round_.pk}


def close_action_kwargs(world, scope):
    round_ = _scoped_round(world, scope, "open")
    return {"board_id": round_.board_id, "round_id": round_.pk, "action": "close"}


def qr_kwargs(world, scope):
    from stelsel.selfevaluation.services import meeting_code_start

    round_ = _scoped_round(world, scope, "open")
    meeting_code_start(round_=round_, perspective=round_.perspectives.first(), cap=10)
    return {
        "board_id": round_.board_id,
        "round_id": round_.pk,
        "perspective_id": round_.perspectives.first().pk,
    }


def rollup_kwargs(world, scope):
    round_ = _scoped_round(world, scope, "closed")
    return {"board_id": round_.board_id, "version_id": round_.questionnaire_version_id}


def unknown_token_kwargs(world, scope):
    return {"token": "x" * 43}


def unknown_code_kwargs(world, scope):
    return {"code": "ZZZZZZZZZZZZ"}


def no_kwargs(world, scope):
    return {}


def framework_kwargs(world, scope):
    return {"slug": "klein-kader", "version": 1}


def standard_kwargs(world, scope):
    return {"slug": "klein-kader", "version": 1, "code": "KL1"}


def token_kwargs(world, scope):
    return {"token_id": 999999}


def invitation_token_kwargs(world, scope):
    return {"token": "not-a-real-token"}


def _scoped_school(world, scope):
    return {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]


def picture_kwargs(world, scope):
    school = _scoped_school(world, scope)
    picture = make_picture(school.board, school)
    return {"board_id": school.board_id, "picture_id": picture.pk}


def entry_kwargs(world, scope):
    school = _scoped_school(world, scope)
    entry = make_picture(school.board, school).entries.first()
    return {"board_id": school.board_id, "entry_id": entry.pk}


def indicator_kwargs(world, scope):
    from stelsel.picture.models import Indicator

    board = _target_board(world, scope)
    indicator = Indicator.objects.create(
        board=board, perspective="ambitions", code=f"A-{scope}", title="Eigen ambitie"
    )
    return {"board_id": board.pk, "indicator_id": indicator.pk}


# picture: actions and herstelopdrachten (kwargs helpers)
ACTION_MANAGERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}


def _action_unit_school(world, scope):
    return {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]


def action_kwargs(world, scope):
    from tests.factories import make_action

    school = _action_unit_school(world, scope)
    action = make_action(school.board, school)
    return {"board_id": school.board_id, "action_id": action.pk}


def assignment_kwargs(world, scope):
    from tests.factories import make_assignment

    school = _action_unit_school(world, scope)
    assignment = make_assignment(school.board, school)
    return {"board_id": school.board_id, "assignment_id": assignment.pk}


# picture: evidence (kwargs helpers)
def _evidence_school(world, scope):
    return {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]


def evidence_kwargs(world, scope):
    from tests.factories import make_evidence

    school = _evidence_school(world, scope)
    evidence = make_evidence(school.board, school)
    return {"board_id": school.board_id, "evidence_id": evidence.pk}


def evidence_file_kwargs(world, scope):
    kwargs = evidence_kwargs(world, scope)
    from stelsel.picture.models import EvidenceFile

    record = EvidenceFile.objects.get(evidence_id=kwargs["evidence_id"])
    return {**kwargs, "file_id": record.pk}


def evidence_version_data(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import MINIMAL_PDF

    return {"upload": SimpleUploadedFile("tweede-versie.pdf", MINIMAL_PDF)}


# picture: visits, inspector's link and presentation (kwargs helpers)
VISIT_MANAGERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}
VISIT_LOG_WRITERS = VISIT_MANAGERS | {Role.STAFF}
LINK_SHARERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}
CHECKLIST_EDITORS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}


def visit_kwargs(world, scope):
    from tests.factories import make_visit

    school = _scoped_school(world, scope)
    visit = make_visit(school.board, school)
    return {"board_id": school.board_id, "visit_id": visit.pk}


def visit_step_kwargs(world, scope):
    from stelsel.picture.models import VisitChecklistItem

    kwargs = visit_kwargs(world, scope)
    item = VisitChecklistItem.objects.filter(visit_id=kwargs["visit_id"]).first()
    return {**kwargs, "item_id": item.pk}


def inspector_link_kwargs(world, scope):
    from tests.factories import make_inspector_link

    school = _scoped_school(world, scope)
    link, _token = make_inspector_link(school.board, school)
    return {"board_id": school.board_id, "link_id": link.pk}


def unknown_link_entry_kwargs(world, scope):
    return {"token": "x" * 43, "entry_id": 1}


def unknown_link_document_kwargs(world, scope):
    return {"token": "x" * 43, "evidence_id": 1}


# planning: plans, goals and check-ins (kwargs helpers)
PLAN_MANAGERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}
CHECK_INS = PLAN_MANAGERS | {Role.STAFF}


def plan_kwargs(world, scope):
    from tests.factories.planning import make_plan

    school = _scoped_school(world, scope)
    plan = make_plan(school.board, school)
    return {"board_id": school.board_id, "plan_id": plan.pk}


def theme_kwargs(world, scope):
    from stelsel.planning.models import Plan
    from tests.factories.planning import make_theme

    kwargs = plan_kwargs(world, scope)
    theme = make_theme(Plan.objects.get(pk=kwargs["plan_id"]))
    return {**kwargs, "theme_id": theme.pk}


def goal_kwargs(world, scope):
    from stelsel.planning.models import Plan
    from tests.factories.planning import make_goal

    kwargs = plan_kwargs(world, scope)
    goal = make_goal(Plan.objects.get(pk=kwargs["plan_id"]))
    return {"board_id": kwargs["board_id"], "goal_id": goal.pk}


# who does what (kwargs helpers)
def quality_process_kwargs(world, scope):
    from stelsel.organisations.responsibilities.services import process_create

    board = _target_board(world, scope)
    process = process_create(board=board, name=f"Proces {scope}", letters={"board_executive": "A"})
    return {"board_id": board.pk, "process_id": process.pk}


# meetings: the quality calendar, feeds and reminders (kwargs helpers)
CALENDAR_MANAGERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}
MEETING_RECORDERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}


def series_kwargs(world, scope):
    from tests.factories.meetings import make_series

    school = _scoped_school(world, scope)
    series = make_series(school.board, school)
    return {"board_id": school.board_id, "series_id": series.pk}


def meeting_kwargs(world, scope):
    from tests.factories.meetings import make_meeting

    school = _scoped_school(world, scope)
    meeting = make_meeting(school.board, school)
    return {"board_id": school.board_id, "meeting_id": meeting.pk}


def agenda_item_kwargs(world, scope):
    from stelsel.meetings.models import AgendaItem

    kwargs = meeting_kwargs(world, scope)
    item = AgendaItem.objects.create(
        board_id=kwargs["board_id"], meeting_id=kwargs["meeting_id"], title="Opening"
    )
    return {**kwargs, "item_id": item.pk}


def feed_kwargs(world, scope):
    return {"feed_id": 999999}


def api_board_kwargs(world, scope):
    return board_kwargs(world, scope)


# api: planning (kwargs helpers; the URL arguments are those of the planning and meeting pages)
def goal_change_body(world) -> str:
    """A change to a fresh goal (revision 1): allowed to everyone who writes the unit's plans."""
    import json

    return json.dumps({"revision": 1, "indicator": "Aandeel leerlingen op niveau"})


def plan_change_body(world) -> str:
    import json

    return json.dumps({"revision": 1, "description": "Wat we de komende jaren doen."})


def theme_change_body(world) -> str:
    import json

    return json.dumps({"title": "Lezen en taal"})


def action_change_body(world) -> str:
    import json

    return json.dumps({"revision": 1, "progress": 10})


def meeting_record_body(world) -> str:
    """A meeting two days ago (the builder's default), recorded as cancelled."""
    import json

    return json.dumps({"revision": 1, "state": "cancelled", "minutes": ""})


PAGES = {
    "web:board_home": Route(board_kwargs, ALL),
    "web:school_home": Route(school_kwargs, ALL, school_scoped=True),
    "organisations:people": Route(board_kwargs, PEOPLE_READERS),
    "organisations:invite": Route(board_kwargs, EXECUTIVE),
    "organisations:invitation_revoke": Route(invitation_kwargs, EXECUTIVE, method="post", ok=302),
    "organisations:role_add": Route(person_kwargs, EXECUTIVE),
    "organisations:invitation_resend": Route(invitation_kwargs, EXECUTIVE, method="post", ok=302),
    "organisations:membership_delete": Route(membership_kwargs, EXECUTIVE, method="post", ok=302),
    "organisations:board_settings": Route(board_kwargs, EXECUTIVE),
    "organisations:activity": Route(board_kwargs, ACTIVITY_READERS),
    "organisations:duo_import": Route(board_kwargs, IMPORTERS),
    "organisations:duo_import_confirm": Route(board_kwargs, IMPORTERS, method="post", ok=302),
    "identity:staff_import": Route(board_kwargs, EXECUTIVE),
    "identity:staff_import_template": Route(board_kwargs, EXECUTIVE),
    "identity:staff_import_detail": Route(staff_import_kwargs, EXECUTIVE),
    "identity:staff_import_confirm": Route(staff_import_kwargs, EXECUTIVE, method="post", ok=302),
    "identity:staff_import_send_again": Route(
        staff_import_kwargs, EXECUTIVE, method="post", ok=302
    ),
    "selfevaluation:rounds": Route(board_kwargs, ALL),
    "selfevaluation:round_create": Route(board_kwargs, ROUND_MANAGERS),
    "selfevaluation:rollup": Route(rollup_kwargs, ROUND_MANAGERS),
    "selfevaluation:questionnaire_compose": Route(board_kwargs, ROUND_MANAGERS),
    "selfevaluation:round": Route(round_kwargs, ALL, school_scoped=True),
    "selfevaluation:round_edit": Route(round_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:results": Route(closed_round_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:agenda": Route(closed_round_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:results_pdf": Route(closed_round_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:results_xlsx": Route(closed_round_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:invitations_add": Route(
        round_kwargs, ROUND_MANAGERS, method="post", ok=302, school_scoped=True
    ),
    "selfevaluation:meeting_qr": Route(qr_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:meeting_present": Route(qr_kwargs, ROUND_MANAGERS, school_scoped=True),
    "selfevaluation:round_action": Route(
        close_action_kwargs, ROUND_MANAGERS, method="post", ok=302, school_scoped=True
    ),
    # Public answering pages: unknown links answer 404 to everyone, the others 200.
    "selfevaluation:answer": Route(
        unknown_token_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "selfevaluation:meeting": Route(
        unknown_code_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "selfevaluation:meeting_entry": Route(
        no_kwargs, ALL, board_agnostic=True, anonymous=200, nobody=200
    ),
    "selfevaluation:thanks": Route(no_kwargs, ALL, board_agnostic=True, anonymous=200, nobody=200),
    "frameworks:list": Route(no_kwargs, ALL, board_agnostic=True, nobody=200),
    "frameworks:detail": Route(framework_kwargs, ALL, board_agnostic=True, nobody=200),
    "frameworks:standard": Route(standard_kwargs, ALL, board_agnostic=True, nobody=200),
    "account_settings": Route(no_kwargs, ALL, board_agnostic=True, nobody=200),
    "accounts:token_revoke": Route(
        token_kwargs, set(), method="post", board_agnostic=True, denied=404, nobody=404
    ),
    "home": Route(no_kwargs, ALL, board_agnostic=True, ok=302, nobody=200),
    # The invitation link is public; an unknown token answers 404 to everyone.
    "organisations:invitation_accept": Route(
        invitation_token_kwargs, set(), denied=404, board_agnostic=True, anonymous=404
    ),
    # picture: the picture itself
    "picture:overview": Route(board_kwargs, ALL),
    "picture:picture_start": Route(board_kwargs, BOARD_OFFICE),
    "picture:picture": Route(picture_kwargs, ALL, school_scoped=True),
    "picture:picture_new_period": Route(picture_kwargs, BOARD_OFFICE, school_scoped=True),
    "picture:picture_migrate": Route(picture_kwargs, BOARD_OFFICE, school_scoped=True),
    "picture:entry": Route(entry_kwargs, ALL, school_scoped=True),
    "picture:entry_timeline": Route(entry_kwargs, ALL, school_scoped=True),
    "picture:entry_message": Route(
        entry_kwargs,
        CONTRIBUTORS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"kind": "input", "text": "Wat we zien in de klas."},
    ),
    "picture:indicators": Route(board_kwargs, ALL),
    "picture:indicator_toggle": Route(indicator_kwargs, BOARD_OFFICE, method="post", ok=302),
    # picture: evidence
    "picture:evidence": Route(board_kwargs, ALL),
    "picture:evidence_create": Route(board_kwargs, CONTRIBUTORS),
    "picture:evidence_detail": Route(evidence_kwargs, ALL, school_scoped=True),
    "picture:evidence_edit": Route(evidence_kwargs, CONTRIBUTORS, school_scoped=True),
    "picture:evidence_version": Route(
        evidence_kwargs,
        CONTRIBUTORS,
        method="post",
        ok=302,
        school_scoped=True,
        data=evidence_version_data,
    ),
    "picture:evidence_download": Route(evidence_file_kwargs, ALL, school_scoped=True),
    # picture: actions and herstelopdrachten
    "planning:actions": Route(board_kwargs, ALL),
    "planning:action_create": Route(board_kwargs, ACTION_MANAGERS),
    "planning:action_detail": Route(action_kwargs, ALL, school_scoped=True),
    "planning:action_edit": Route(action_kwargs, ACTION_MANAGERS, school_scoped=True),
    "picture:assignments": Route(board_kwargs, ALL),
    "picture:assignment_create": Route(board_kwargs, ACTION_MANAGERS),
    "picture:assignment_detail": Route(assignment_kwargs, ALL, school_scoped=True),
    "picture:assignment_edit": Route(assignment_kwargs, ACTION_MANAGERS, school_scoped=True),
    "picture:assignment_follow_up": Route(
        assignment_kwargs,
        ACTION_MANAGERS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"follow_up_on": "", "follow_up_outcome": "", "follow_up_note": ""},
    ),
    # picture: visits
    "picture:visits": Route(board_kwargs, ALL),
    "picture:visit_create": Route(board_kwargs, VISIT_MANAGERS),
    "picture:visit_template": Route(board_kwargs, CHECKLIST_EDITORS),
    "picture:visit": Route(visit_kwargs, ALL, school_scoped=True),
    "picture:visit_edit": Route(visit_kwargs, VISIT_MANAGERS, school_scoped=True),
    "picture:visit_step": Route(
        visit_step_kwargs,
        VISIT_MANAGERS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"done": "1", "note": "Klaar."},
    ),
    "picture:visit_documents": Route(
        visit_kwargs, VISIT_MANAGERS, method="post", ok=302, school_scoped=True
    ),
    "picture:visit_note": Route(
        visit_kwargs,
        VISIT_LOG_WRITERS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"text": "De inspecteur vraagt naar de leesresultaten."},
    ),
    # picture: inspector's link and presentation
    "picture:inspector_links": Route(board_kwargs, LINK_SHARERS),
    "picture:inspector_link_create": Route(board_kwargs, LINK_SHARERS),
    "picture:inspector_link": Route(inspector_link_kwargs, LINK_SHARERS, school_scoped=True),
    "picture:inspector_link_revoke": Route(
        inspector_link_kwargs, LINK_SHARERS, method="post", ok=302, school_scoped=True
    ),
    # The inspector's public pages: an unknown token answers 404 to everyone.
    "picture:inspector_view": Route(
        unknown_token_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "picture:inspector_entry": Route(
        unknown_link_entry_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "picture:inspector_document": Route(
        unknown_link_document_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "picture:picture_present": Route(picture_kwargs, ALL, school_scoped=True),
    # planning: plans, goals and check-ins
    "planning:plans": Route(board_kwargs, ALL),
    "planning:alignment": Route(board_kwargs, ALL),
    "planning:plan_create": Route(board_kwargs, PLAN_MANAGERS),
    "planning:plan": Route(plan_kwargs, ALL, school_scoped=True),
    "planning:plan_edit": Route(plan_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:plan_derive": Route(plan_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:theme_add": Route(plan_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:theme_edit": Route(theme_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:theme_remove": Route(
        theme_kwargs, PLAN_MANAGERS, method="post", ok=302, school_scoped=True
    ),
    "planning:goal_create": Route(plan_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:goal": Route(goal_kwargs, ALL, school_scoped=True),
    "planning:goal_edit": Route(goal_kwargs, PLAN_MANAGERS, school_scoped=True),
    "planning:check_in_add": Route(goal_kwargs, CHECK_INS, school_scoped=True),
    "planning:goal_coach": Route(
        board_kwargs,
        PLAN_MANAGERS,
        method="post",
        data=lambda world: {"title": "We proberen het leesplezier te vergroten"},
    ),
    # who does what: everyone on the board reads; the board office edits (school roles 403)
    "organisations:responsibilities": Route(board_kwargs, ALL),
    "organisations:responsibility_add": Route(board_kwargs, BOARD_OFFICE),
    "organisations:responsibilities_start": Route(
        board_kwargs, BOARD_OFFICE, method="post", ok=302
    ),
    "organisations:responsibility_edit": Route(quality_process_kwargs, BOARD_OFFICE),
    "organisations:responsibility_delete": Route(
        quality_process_kwargs, BOARD_OFFICE, method="post", ok=302
    ),
    "organisations:officer_profile": Route(board_kwargs, ALL),
    "organisations:officer_profile_edit": Route(board_kwargs, BOARD_OFFICE),
    # meetings: the quality calendar (tables MANAGE_CALENDAR, meetings RECORD_MEETINGS)
    "meetings:calendar": Route(board_kwargs, ALL),
    "meetings:month": Route(board_kwargs, ALL),
    "meetings:archive": Route(board_kwargs, ALL),
    "meetings:holiday_regions": Route(board_kwargs, BOARD_OFFICE),
    "meetings:tables_start": Route(board_kwargs, BOARD_OFFICE, method="post", ok=302),
    "meetings:series_create": Route(board_kwargs, CALENDAR_MANAGERS),
    "meetings:series": Route(series_kwargs, ALL, school_scoped=True),
    "meetings:series_edit": Route(series_kwargs, CALENDAR_MANAGERS, school_scoped=True),
    "meetings:series_plan": Route(
        series_kwargs, CALENDAR_MANAGERS, method="post", ok=302, school_scoped=True
    ),
    "meetings:meeting": Route(meeting_kwargs, ALL, school_scoped=True),
    "meetings:meeting_record": Route(meeting_kwargs, MEETING_RECORDERS, school_scoped=True),
    "meetings:agenda_item_add": Route(
        meeting_kwargs,
        MEETING_RECORDERS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"item-title": "Resultaten lezen"},
    ),
    "meetings:agenda_standard": Route(
        meeting_kwargs, MEETING_RECORDERS, method="post", ok=302, school_scoped=True
    ),
    # Points come from the rounds' conversation agendas, which their organisers keep.
    "meetings:agenda_from_round": Route(meeting_kwargs, BOARD_OFFICE, school_scoped=True),
    "meetings:agenda_item_delete": Route(
        agenda_item_kwargs, MEETING_RECORDERS, method="post", ok=302, school_scoped=True
    ),
    "meetings:decision_add": Route(
        meeting_kwargs,
        MEETING_RECORDERS,
        method="post",
        ok=302,
        school_scoped=True,
        data=lambda world: {"decision-text": "Het leesplan wordt vastgesteld."},
    ),
    # meetings: a person's own feed and reminder setting, and the public links
    "meetings:feed_create": Route(no_kwargs, ALL, method="post", board_agnostic=True, nobody=200),
    "meetings:feed_revoke": Route(
        feed_kwargs, set(), method="post", board_agnostic=True, denied=404, nobody=404
    ),
    "meetings:reminders_setting": Route(
        no_kwargs,
        ALL,
        method="post",
        ok=302,
        board_agnostic=True,
        nobody=302,
        data=lambda world: {"reminders": "off"},
    ),
    "meetings:feed": Route(
        unknown_token_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
    "meetings:unsubscribe": Route(
        unknown_token_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
}

API = {
    "api:me": Route(no_kwargs, ALL, board_agnostic=True, anonymous=401, nobody=200),
    "api:boards": Route(no_kwargs, ALL, board_agnostic=True, anonymous=401, nobody=200),
    "api:board": Route(api_board_kwargs, ALL, anonymous=401),
    "api:schools": Route(api_board_kwargs, ALL, anonymous=401),
    "api:school": Route(school_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:frameworks": Route(no_kwargs, ALL, board_agnostic=True, anonymous=401, nobody=200),
    "api:framework_version": Route(
        framework_kwargs, ALL, board_agnostic=True, anonymous=401, nobody=200
    ),
    "api:openapi-json": Route(no_kwargs, ALL, board_agnostic=True, anonymous=200, nobody=200),
    "api:rounds": Route(api_board_kwargs, ALL, anonymous=401),
    "api:round": Route(round_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:round_invitations": Route(round_kwargs, ROUND_MANAGERS, school_scoped=True, anonymous=401),
    # The matrix posts a form, not JSON: the body is read only after the access checks, so an
    # organiser gets as far as 400 (bad body) and everyone else their 404 or 403.
    "api:round_invitations_add": Route(
        round_kwargs, ROUND_MANAGERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:round_results": Route(
        closed_round_kwargs, ROUND_MANAGERS, school_scoped=True, anonymous=401
    ),
    # api: picture
    # Picture-area objects belong to a school: school roles get 404 for another school's.
    "api:pictures": Route(api_board_kwargs, ALL, anonymous=401),
    "api:picture": Route(api_picture.picture_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:entry": Route(api_picture.entry_kwargs, ALL, school_scoped=True, anonymous=401),
    # The matrix changes the substantiation (any contributor may); judging is tested in
    # tests/api/test_picture_api.py. Readers get 403 before the body is read.
    "api:entry_update": Route(
        api_picture.entry_kwargs,
        {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER, Role.STAFF},
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=api_picture.entry_change_body,
    ),
    "api:evidence": Route(api_board_kwargs, ALL, anonymous=401),
    "api:evidence_item": Route(api_picture.evidence_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:actions": Route(api_board_kwargs, ALL, anonymous=401),
    "api:action": Route(api_picture.action_kwargs, ALL, school_scoped=True, anonymous=401),
    # The unit of a new action is in its body: the matrix sends a form, so those who may
    # record actions somewhere get as far as 400; the change sends a real one.
    "api:action_create": Route(
        api_board_kwargs, ACTION_MANAGERS, method="post", ok=400, anonymous=401
    ),
    "api:action_update": Route(
        action_kwargs,
        ACTION_MANAGERS,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=action_change_body,
    ),
    "api:assignments": Route(api_board_kwargs, ALL, anonymous=401),
    "api:assignment": Route(api_picture.assignment_kwargs, ALL, school_scoped=True, anonymous=401),
    # api: planning
    # Plans, goals and meetings belong to a unit: school roles get 404 for another school's.
    # The POSTs send a form, not JSON: the body is read only after the access checks, so those
    # allowed get as far as 400 (bad body) and everyone else their 404 or 403. The goal change
    # sends a real change; staff, who may record check-ins, get 403 on it.
    "api:plans": Route(api_board_kwargs, ALL, anonymous=401),
    "api:plan": Route(plan_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:goal_create": Route(
        plan_kwargs, PLAN_MANAGERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:goal": Route(goal_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:goal_update": Route(
        goal_kwargs,
        PLAN_MANAGERS,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=goal_change_body,
    ),
    "api:check_in_create": Route(
        goal_kwargs, CHECK_INS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:plan_create": Route(api_board_kwargs, PLAN_MANAGERS, method="post", ok=400, anonymous=401),
    "api:plan_update": Route(
        plan_kwargs,
        PLAN_MANAGERS,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=plan_change_body,
    ),
    "api:plan_derive": Route(
        plan_kwargs, PLAN_MANAGERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:theme_create": Route(
        plan_kwargs, PLAN_MANAGERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:theme_update": Route(
        theme_kwargs,
        PLAN_MANAGERS,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=theme_change_body,
    ),
    "api:tables": Route(api_board_kwargs, ALL, anonymous=401),
    "api:table": Route(series_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:meetings": Route(api_board_kwargs, ALL, anonymous=401),
    "api:meeting": Route(meeting_kwargs, ALL, school_scoped=True, anonymous=401),
    "api:meeting_update": Route(
        meeting_kwargs,
        MEETING_RECORDERS,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=meeting_record_body,
    ),
    "api:agenda_item_create": Route(
        meeting_kwargs, MEETING_RECORDERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
    "api:decision_create": Route(
        meeting_kwargs, MEETING_RECORDERS, method="post", ok=400, school_scoped=True, anonymous=401
    ),
}

# Public or account routes that hold no board data: they must answer without a server error
# and never show a board's data. Checked separately below.
ACCOUNT_ROUTES = {
    "health",
    "set_language",
    "api:api-root",
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key_done",
    "account_reset_password_from_key",
    "account_reset_password_done",
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    # Signing in through a board's identity provider (allauth's addresses; the board's rules are
    # in identity.adapters and tested in tests/identity) and the list of one's own sessions.
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "socialaccount_connections",
    "usersessions_list",
    "openid_connect_login",
    "openid_connect_callback",
    "saml_login",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
}
ACCOUNT_KWARGS = {
    **{
        name: {"provider_id": "unknown"}
        for name in ("openid_connect_login", "openid_connect_callback")
    },
    **{
        name: {"organization_slug": "unknown"}
        for name in ("saml_login", "saml_acs", "saml_finish_acs", "saml_sls", "saml_metadata")
    },
    "account_confirm_email": {"key": "unknown-key"},
    "account_reset_password_from_key": {"uidb36": "zz", "key": "unknown-key"},
}

ROUTES = {**PAGES, **API}


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None and _is_allauth_alias(pattern):
                continue
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _is_allauth_alias(pattern) -> bool:
    """allauth's unnamed old addresses (social/…), which only redirect to a named route."""
    view_class = getattr(pattern.callback, "view_class", None)
    initkwargs = getattr(pattern.callback, "view_initkwargs", {})
    return view_class is RedirectView and bool(initkwargs.get("pattern_name"))


# The routes of data and early warning, one module per area, beside the rest.
from tests.insight.matrix import INSIGHT_ROUTES  # noqa: E402 (needs Route and the helpers above)

ROUTES.update(INSIGHT_ROUTES)

# Sign-in with the board's own accounts: its settings pages and starting a sign-in.
from tests.identity.matrix import IDENTITY_ROUTES  # noqa: E402 (needs Route and the helpers above)

ROUTES.update(IDENTITY_ROUTES)

# The quality reports: their pages, the inspector's page of a shared report, and the API.
from tests.reports.matrix import REPORTS_ROUTES  # noqa: E402 (needs Route and the helpers above)

ROUTES.update(REPORTS_ROUTES)

# Support programmes: the board's side here; the programme's side (its own roles, not the
# board's) has its own matrix, whose routes count as covered.
from tests.trajectories.matrix import TRAJECTORY_ROUTES  # noqa: E402 (needs Route and the helpers above)
from tests.trajectories.test_programme_matrix import PROGRAMME_ROUTES  # noqa: E402

ROUTES.update(TRAJECTORY_ROUTES)


def test_it_covers_every_route():
    names = set(_names(get_resolver().url_patterns))
    assert None not in names, "every route needs a name"
    missing = names - set(ROUTES) - ACCOUNT_ROUTES - set(PROGRAMME_ROUTES)
    assert not missing, f"routes missing from the permission matrix: {sorted(missing)}"
    stale = (set(ROUTES) | ACCOUNT_ROUTES | set(PROGRAMME_ROUTES)) - names
    assert not stale, f"matrix names routes that no longer exist: {sorted(stale)}"


def expected_status(route: Route, user: str, scope: str) -> int:
    if user == "anonymous":
        return route.anonymous
    if user == "nobody":
        return route.nobody if route.board_agnostic else 404
    if scope == "other_board" and not route.board_agnostic:
        return 404
    if user in route.blocked:
        return route.denied
    if route.school_scoped and scope == "other_school" and user not in BOARD_ROLES:
        return 404
    return route.ok if user in route.allowed else route.denied


@pytest.fixture
def matrix_framework(db):
    """A small framework (and questionnaire) so framework routes have something to show."""
    make_questionnaire()


def _client_for(client, world, user: str):
    if user == "anonymous":
        return client
    client.force_login(world.nobody if user == "nobody" else world.users[user])
    return client


CASES = [
    (name, user, scope)
    for name in sorted(ROUTES)
    for user in USERS
    for scope in SCOPES
    if scope == "own" or not ROUTES[name].board_agnostic
]


@pytest.mark.parametrize(("name", "user", "scope"), CASES)
def test_route_answers_as_expected(client, world, matrix_framework, name, user, scope):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world, scope))
    client = _client_for(client, world, user)
    response = getattr(client, route.method)(url, route.data(world) if route.data else {})
    expected = expected_status(route, user, scope)
    assert response.status_code == expected, (
        f"{route.method.upper()} {url} as {user} ({scope}): {response.status_code}, "
        f"expected {expected}"
    )


# A board may let its school leaders run their own school's rounds (off by default, as above).
# With it on, the school leader gets what the board office gets on a round of their own school;
# another school's rounds still answer 404, and the board's own rounds and board-wide pages
# (composing a questionnaire, the board's overview) still 403.
RUN_BY_SCHOOL_LEADERS = {
    "selfevaluation:round_create",
    "selfevaluation:round_edit",
    "selfevaluation:round_action",
    "selfevaluation:invitations_add",
    "selfevaluation:meeting_qr",
    "selfevaluation:meeting_present",
    "selfevaluation:results",
    "selfevaluation:agenda",
    "selfevaluation:results_pdf",
    "selfevaluation:results_xlsx",
    "api:round_invitations",
    "api:round_invitations_add",
    "api:round_results",
}
ROUND_ROUTES = {
    name: route
    for name, route in ROUTES.items()
    if name.startswith(("selfevaluation:", "api:round")) and not route.board_agnostic
}
SWITCHED_ROUTES = {
    name: replace(route, allowed=route.allowed | {Role.SCHOOL_LEADER})
    if name in RUN_BY_SCHOOL_LEADERS
    else route
    for name, route in ROUND_ROUTES.items()
}


def _board_round(world, scope, state):
    return make_round(_target_board(world, scope), None, state=state)


def board_round_kwargs(world, scope):
    round_ = _board_round(world, scope, "draft")
    return {"board_id": round_.board_id, "round_id": round_.pk}


def closed_board_round_kwargs(world, scope):
    round_ = _board_round(world, scope, "closed")
    return {"board_id": round_.board_id, "round_id": round_.pk}


def close_board_round_kwargs(world, scope):
    round_ = _board_round(world, scope, "open")
    return {"board_id": round_.board_id, "round_id": round_.pk, "action": "close"}


# The board's own rounds stay with the board office whatever the switch says.
BOARD_ROUND_ROUTES = {
    "selfevaluation:round_edit": Route(board_round_kwargs, ROUND_MANAGERS),
    "selfevaluation:round_action": Route(
        close_board_round_kwargs, ROUND_MANAGERS, method="post", ok=302
    ),
    "selfevaluation:invitations_add": Route(
        board_round_kwargs, ROUND_MANAGERS, method="post", ok=302
    ),
    "selfevaluation:results": Route(closed_board_round_kwargs, ROUND_MANAGERS),
    "api:round_invitations": Route(board_round_kwargs, ROUND_MANAGERS, anonymous=401),
}

SWITCHED_CASES = [
    (kind, name, user, scope)
    for kind, routes in (("school round", SWITCHED_ROUTES), ("board round", BOARD_ROUND_ROUTES))
    for name in sorted(routes)
    for user in USERS
    for scope in SCOPES
]


@pytest.mark.parametrize(("kind", "name", "user", "scope"), SWITCHED_CASES)
def test_round_routes_with_the_boards_switch_on(
    client, world, matrix_framework, kind, name, user, scope
):
    """The switch off is the matrix above; here it is on, on both boards."""
    for board in (world.board, world.other_board):
        board.school_leaders_run_rounds = True
        board.save(update_fields=["school_leaders_run_rounds"])
    route = (SWITCHED_ROUTES if kind == "school round" else BOARD_ROUND_ROUTES)[name]
    kwargs = route.kwargs(world, scope)
    # School rounds here are ones their school started (those the board office started for a
    # school stay the board office's: tests/selfevaluation/test_school_leader_rounds.py).
    Round.objects.filter(school__isnull=False).update(run_by_school=True)
    url = reverse(name, kwargs=kwargs)
    client = _client_for(client, world, user)
    response = getattr(client, route.method)(url, route.data(world) if route.data else {})
    expected = expected_status(route, user, scope)
    assert response.status_code == expected, (
        f"{kind}, switch on: {route.method.upper()} {url} as {user} ({scope}): "
        f"{response.status_code}, expected {expected}"
    )


@pytest.mark.parametrize("name", sorted(ACCOUNT_ROUTES))
@pytest.mark.parametrize("user", ["anonymous", Role.STAFF])
def test_account_routes_answer_without_error_and_without_board_data(client, world, name, user):
    url = reverse(name, kwargs=ACCOUNT_KWARGS.get(name))
    if user != "anonymous":
        client.force_login(world.users[user])
    response = client.get(url)
    # 401: the page that says a sign-in through an identity provider did not work
    assert response.status_code in {200, 302, 401, 404, 405}, f"{url}: {response.status_code}"
    assert world.board.name.encode() not in response.content
    assert world.other_board.name.encode() not in response.content


def test_it_refuses_writes_from_other_boards_without_changing_anything(client, world):
    """The outsider's POSTs to this board's objects answer 404 and leave them as they were."""
    client.force_login(world.outsider)
    kwargs = invitation_kwargs(world, "own")
    assert client.post(reverse("organisations:invitation_revoke", kwargs=kwargs)).status_code == 404
    assert Invitation.objects.get(pk=kwargs["invitation_id"]).state == "open"
    kwargs = membership_kwargs(world, "own")
    assert client.post(reverse("organisations:membership_delete", kwargs=kwargs)).status_code == 404
    assert Membership.objects.filter(pk=kwargs["membership_id"]).exists()


@pytest.mark.parametrize("board_id", [0, 10**20])
def test_out_of_range_ids_answer_404(client, world, board_id):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.get(f"/besturen/{board_id}/").status_code == 404
    assert client.get(f"/besturen/{world.board.pk}/scholen/{board_id}/").status_code == 404
    assert client.get(f"/api/v1/boards/{board_id}").status_code in (404, 422)
