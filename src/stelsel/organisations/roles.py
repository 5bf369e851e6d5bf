"""The roles a membership can give, where they apply, and what each may do.

This table is the single statement of who may do what; `access.py` enforces it and the
permission-matrix test reads it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BOARD_EXECUTIVE = "board_executive", _("Board executive")
    QUALITY_OFFICER = "quality_officer", _("Quality officer")
    SCHOOL_LEADER = "school_leader", _("School leader")
    STAFF = "staff", _("Staff member")
    SUPERVISOR = "supervisor", _("Supervisory board member")
    COUNCIL = "council", _("Participation council member")
    ADVISOR = "advisor", _("Advisor")


class Scope(models.TextChoices):
    BOARD = "board", _("Board")
    SCHOOL = "school", _("School")


# Where a role may be given: on the board as a whole, or on one school.
ROLE_SCOPES: dict[str, set[str]] = {
    Role.BOARD_EXECUTIVE: {Scope.BOARD},
    Role.QUALITY_OFFICER: {Scope.BOARD},
    Role.SUPERVISOR: {Scope.BOARD},
    Role.ADVISOR: {Scope.BOARD},
    Role.COUNCIL: {Scope.BOARD, Scope.SCHOOL},
    Role.SCHOOL_LEADER: {Scope.SCHOOL},
    Role.STAFF: {Scope.SCHOOL},
}

# Board-level roles that see every school of the board. A council member on the board (GMR)
# reads what the board shares, which for schools is their name and data, not their work.
ROLES_SEEING_ALL_SCHOOLS = {
    Role.BOARD_EXECUTIVE,
    Role.QUALITY_OFFICER,
    Role.SUPERVISOR,
    Role.ADVISOR,
    Role.COUNCIL,
}


class Permission(models.TextChoices):
    """Actions on a board. A school-scoped membership grants them only for its school."""

    VIEW_BOARD = "view_board", _("View the board")
    VIEW_SCHOOL = "view_school", _("View a school")
    VIEW_PEOPLE = "view_people", _("View people and roles")
    MANAGE_PEOPLE = "manage_people", _("Invite people and change roles")
    MANAGE_BOARD = "manage_board", _("Change board settings")
    IMPORT_SCHOOLS = "import_schools", _("Import schools from DUO")
    VIEW_ACTIVITY = "view_activity", _("View the activity log")
    MANAGE_ROUNDS = "manage_rounds", _("Run self-evaluation rounds")
    VIEW_ROUNDS = "view_rounds", _("See self-evaluation rounds")
    RUN_SCHOOL_ROUNDS = (
        "run_school_rounds",
        _("Run their own school's self-evaluation rounds, when the board allows it"),
    )
    VIEW_PICTURE = "view_picture", _("See the quality picture")
    CONTRIBUTE_PICTURE = "contribute_picture", _("Add input and evidence to the picture")
    JUDGE_SCHOOL = "judge_school", _("Judge a school's standards")
    JUDGE_BOARD = "judge_board", _("Judge the board's standards")
    GIVE_FEEDBACK = "give_feedback", _("Give feedback on a school's judgement")
    MANAGE_PICTURE = "manage_picture", _("Set up pictures, periods and own indicators")
    MANAGE_ACTIONS = "manage_actions", _("Record and update actions")
    MANAGE_ASSIGNMENTS = "manage_assignments", _("Record herstelopdrachten")
    MANAGE_VISITS = "manage_visits", _("Prepare inspection visits")
    WRITE_VISIT_LOG = "write_visit_log", _("Write notes during a visit")
    SHARE_PICTURE = "share_picture", _("Give an inspector a link")
    VIEW_PLANS = "view_plans", _("See plans and the quality calendar")
    MANAGE_PLANS = "manage_plans", _("Write plans, goals and actions")
    CHECK_IN = "check_in", _("Record check-ins on goals")
    MANAGE_CALENDAR = "manage_calendar", _("Set up the quality calendar")
    RECORD_MEETINGS = "record_meetings", _("Record agendas, minutes and decisions")
    MANAGE_RESPONSIBILITIES = (
        "manage_responsibilities",
        _("Set who does what in quality care and describe the quality officer's role"),
    )
    VIEW_DATA = "view_data", _("See results, indicators and signals")
    ENTER_DATA = "enter_data", _("Enter a school's own results and measurements")
    MANAGE_DATA = "manage_data", _("Import data, link the inspectorate's schools, set warnings")
    VIEW_REPORTS = "view_reports", _("Read quality reports")
    WRITE_REPORTS = "write_reports", _("Compose quality reports and comment on them")
    ISSUE_REPORTS = "issue_reports", _("Issue quality reports")
    VIEW_SUPPORT = "view_support", _("See the board's support trajectories")
    APPLY_FOR_SUPPORT = (
        "apply_for_support",
        _("Apply for a support programme, grant and withdraw the advisor's access"),
    )


_EVERY_ROLE = set(Role)
_BOARD_OFFICE = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}
_PICTURE_WRITERS = _BOARD_OFFICE | {Role.SCHOOL_LEADER}

GRANTS: dict[str, set[str]] = {
    Permission.VIEW_BOARD: _EVERY_ROLE,
    Permission.VIEW_SCHOOL: _EVERY_ROLE,
    Permission.VIEW_PEOPLE: {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    Permission.MANAGE_PEOPLE: {Role.BOARD_EXECUTIVE},
    Permission.MANAGE_BOARD: {Role.BOARD_EXECUTIVE},
    Permission.IMPORT_SCHOOLS: {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    Permission.VIEW_ACTIVITY: {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    Permission.MANAGE_ROUNDS: {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    # Everyone may see which rounds exist; results follow the round's sharing
    # (selfevaluation.access.may_see_results).
    Permission.VIEW_ROUNDS: _EVERY_ROLE,
    # A school leader runs the rounds of their own school only when the board allows it
    # (BOARD_SWITCHED); the board's own rounds stay with the board office.
    Permission.RUN_SCHOOL_ROUNDS: {Role.SCHOOL_LEADER},
    # The picture: staff give input, the school leader judges the school, the board judges
    # itself and gives feedback; supervisors, council and advisors read.
    Permission.VIEW_PICTURE: _EVERY_ROLE,
    Permission.CONTRIBUTE_PICTURE: _PICTURE_WRITERS | {Role.STAFF},
    Permission.JUDGE_SCHOOL: {Role.SCHOOL_LEADER},
    Permission.JUDGE_BOARD: _BOARD_OFFICE,
    Permission.GIVE_FEEDBACK: _BOARD_OFFICE,
    Permission.MANAGE_PICTURE: _BOARD_OFFICE,
    Permission.MANAGE_ACTIONS: _PICTURE_WRITERS,
    Permission.MANAGE_ASSIGNMENTS: _PICTURE_WRITERS,
    Permission.MANAGE_VISITS: _PICTURE_WRITERS,
    Permission.WRITE_VISIT_LOG: _PICTURE_WRITERS | {Role.STAFF},
    Permission.SHARE_PICTURE: _PICTURE_WRITERS,
    # Plans and the calendar: the board office and school leaders write; staff record
    # check-ins on the goals they work on; everyone reads.
    Permission.VIEW_PLANS: _EVERY_ROLE,
    Permission.MANAGE_PLANS: _PICTURE_WRITERS,
    Permission.CHECK_IN: _PICTURE_WRITERS | {Role.STAFF},
    Permission.MANAGE_CALENDAR: _PICTURE_WRITERS,
    Permission.RECORD_MEETINGS: _PICTURE_WRITERS,
    # Who does what: the board sets the roles in its quality care; it is board-level only.
    Permission.MANAGE_RESPONSIBILITIES: _BOARD_OFFICE,
    # Data and early warning: everyone reads the figures of the units they see; the board
    # office and school leaders enter a school's own figures; the board office imports.
    Permission.VIEW_DATA: _EVERY_ROLE,
    Permission.ENTER_DATA: _PICTURE_WRITERS,
    Permission.MANAGE_DATA: _BOARD_OFFICE,
    # Quality reports: the board office and school leaders compose and review them; the board
    # executive issues them (the board accounts for them); the supervisory board, councils and
    # advisors read issued reports (reports.access narrows them to issued ones). Staff take
    # part through the self-evaluation and the picture, not the board's accounts.
    Permission.VIEW_REPORTS: _EVERY_ROLE - {Role.STAFF},
    Permission.WRITE_REPORTS: _PICTURE_WRITERS,
    Permission.ISSUE_REPORTS: {Role.BOARD_EXECUTIVE},
    # Support programmes: the board executive applies, works with the advisor and decides what
    # the advisor may read; the quality officer follows the trajectory. The programme's own
    # roles (office, advisor, researcher) are in `trajectories.roles`.
    Permission.VIEW_SUPPORT: _BOARD_OFFICE,
    Permission.APPLY_FOR_SUPPORT: {Role.BOARD_EXECUTIVE},
}


# Board pages that a school-scoped role may open too, because their content is narrowed to the
# role's own school (the board home lists only that school, the rounds list only its rounds).
SCHOOL_NARROWED = {
    Permission.VIEW_BOARD,
    Permission.VIEW_ROUNDS,
    Permission.RUN_SCHOOL_ROUNDS,
    Permission.VIEW_PICTURE,
    Permission.CONTRIBUTE_PICTURE,
    Permission.MANAGE_ACTIONS,
    Permission.MANAGE_ASSIGNMENTS,
    Permission.MANAGE_VISITS,
    Permission.WRITE_VISIT_LOG,
    Permission.SHARE_PICTURE,
    Permission.VIEW_PLANS,
    Permission.MANAGE_PLANS,
    Permission.CHECK_IN,
    Permission.MANAGE_CALENDAR,
    Permission.RECORD_MEETINGS,
    Permission.VIEW_DATA,
    Permission.ENTER_DATA,
    Permission.VIEW_REPORTS,
    Permission.WRITE_REPORTS,
}


# Permissions a board turns on in its settings: held only while the board's field of that name
# is true, whatever the role.
BOARD_SWITCHED: dict[str, str] = {
    Permission.RUN_SCHOOL_ROUNDS: "school_leaders_run_rounds",
}


def role_label(role: str) -> str:
    return str(Role(role).label)
