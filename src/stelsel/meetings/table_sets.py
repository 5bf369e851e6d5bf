"""The sets of tables a board can start its quality calendar from: the six tables of a typical
board (DOMAIN §7) and the tables of a one-school board, each with a standard agenda along the
PDCA guide. `tables_offered` says which set fits a board; `tables_start` sets it up."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.meetings.models import MeetingSeries, Rhythm
from stelsel.meetings.services import series_create
from stelsel.organisations.models import Board

PDCA_AGENDA = gettext_lazy(
    "Opening, minutes and actions of the last meeting\n"
    "Plan: what do we want to achieve? Who is responsible?\n"
    "Do: how is it going? What goes well?\n"
    "Check: is it working? How can you see that?\n"
    "Act: what is the next step? What must be kept?\n"
    "Securing: how are successes recorded lastingly? Does it fit the board's and the "
    "school's goals?\n"
    "News about the framework and preparing inspection visits\n"
    "Decisions and actions; closing"
)

# The cycle of meetings of a typical board (DOMAIN §7). Weekly rhythms start on the first such
# weekday from today; the others follow the months.
SIX_TABLES = [
    {
        "name": gettext_lazy("Staff meeting on quality"),
        "participants_text": gettext_lazy("Quality, HR and finance staff of board and schools"),
        "rhythm": Rhythm.WEEKS,
        "interval": 5,
        "weekday": 2,
        "start_time": dt.time(10, 0),
        "duration_minutes": 90,
        "assignment": gettext_lazy(
            "Align the processes on quality (every 4 to 6 weeks): quality, HR and finance at "
            "board and school level."
        ),
    },
    {
        "name": gettext_lazy("Board and school leaders"),
        "participants_text": gettext_lazy("Board, all school leaders, quality officer"),
        "rhythm": Rhythm.MONTHS,
        "months": [3, 10],
        "weekday": 4,
        "week_of_month": 2,
        "start_time": dt.time(14, 0),
        "duration_minutes": 180,
        "assignment": gettext_lazy(
            "Development and results of the schools, through quality reports, conversations "
            "and school visits (twice a year)."
        ),
    },
    {
        "name": gettext_lazy("School leader conversations"),
        "participants_text": gettext_lazy("Each school leader with the quality officer"),
        "rhythm": Rhythm.MONTHS,
        "months": [2, 9],
        "weekday": 3,
        "week_of_month": 3,
        "start_time": dt.time(13, 0),
        "duration_minutes": 90,
        "assignment": gettext_lazy(
            "A school's development and results, its risks and approach (twice a year)."
        ),
    },
    {
        "name": gettext_lazy("Supervisory board"),
        "participants_text": gettext_lazy("Supervisory board and board (education committee)"),
        "rhythm": Rhythm.MONTHS,
        "months": [6],
        "weekday": 4,
        "week_of_month": 3,
        "start_time": dt.time(19, 30),
        "duration_minutes": 120,
        "assignment": gettext_lazy(
            "Results and changes in external supervision (once a year, June or July)."
        ),
    },
    {
        "name": gettext_lazy("Board"),
        "participants_text": gettext_lazy("Board and quality officer"),
        "rhythm": Rhythm.WEEKS,
        "interval": 2,
        "weekday": 1,
        "start_time": dt.time(9, 0),
        "duration_minutes": 60,
        "assignment": gettext_lazy(
            "Data, quality reports, ambitions, goals and success criteria, progress, effects, "
            "risks and securing (every two weeks)."
        ),
    },
    {
        "name": gettext_lazy("Quality team"),
        "participants_text": gettext_lazy("Quality officer and the schools' quality staff"),
        "rhythm": Rhythm.WEEKS,
        "interval": 6,
        "weekday": 4,
        "start_time": dt.time(15, 0),
        "duration_minutes": 120,
        "assignment": gettext_lazy(
            "Data, alignment, sharing knowledge and securing (every 4 to 6 weeks)."
        ),
    },
]


# An eenpitter has no layer between board and school: its rector-bestuurder is the board and
# the school leader at once, so a board table, a board-and-school-leaders table or a school
# leader's conversation with the board would be a person meeting themselves. Its quality is
# discussed in the school's management team, with the supervisory board, with the MR and with
# the team.
SINGLE_SCHOOL_TABLES = [
    {
        "name": gettext_lazy("Management team and quality"),
        "participants_text": gettext_lazy(
            "Rector-bestuurder, intern begeleider or quality coordinator, team leaders"
        ),
        "rhythm": Rhythm.WEEKS,
        "interval": 4,
        "weekday": 2,
        "start_time": dt.time(15, 0),
        "duration_minutes": 90,
        "assignment": gettext_lazy(
            "Data, quality reports, goals and success criteria, progress, effects, risks and "
            "securing of the school (every four weeks)."
        ),
    },
    {
        "name": gettext_lazy("Meeting with the supervisory board"),
        "participants_text": gettext_lazy("Supervisory board and rector-bestuurder"),
        "rhythm": Rhythm.MONTHS,
        "months": [6, 11],
        "weekday": 4,
        "week_of_month": 2,
        "start_time": dt.time(19, 30),
        "duration_minutes": 120,
        "assignment": gettext_lazy(
            "The school's results and quality, the goals of the strategic plan and changes in "
            "external supervision (twice a year)."
        ),
    },
    {
        "name": gettext_lazy("School's participation council"),
        "participants_text": gettext_lazy("MR and rector-bestuurder"),
        "rhythm": Rhythm.MONTHS,
        "months": [2, 6, 10],
        "weekday": 2,
        "week_of_month": 2,
        "start_time": dt.time(19, 30),
        "duration_minutes": 90,
        "assignment": gettext_lazy(
            "The school's quality, results and plans, where the MR has a say or is informed "
            "(three times a year)."
        ),
    },
    {
        "name": gettext_lazy("Team on quality"),
        "participants_text": gettext_lazy("The whole team with the rector-bestuurder"),
        "rhythm": Rhythm.MONTHS,
        "months": [1, 6, 9],
        "weekday": 3,
        "week_of_month": 1,
        "start_time": dt.time(14, 0),
        "duration_minutes": 90,
        "assignment": gettext_lazy(
            "The school's results, its goals and approach, and what the team keeps doing "
            "(three times a year)."
        ),
    },
]

# The sets of tables a board can start from, by key; `tables_offered` says which one fits.
TABLE_SETS = {"six_tables": SIX_TABLES, "single_school": SINGLE_SCHOOL_TABLES}


def tables_offered(board: Board) -> str:
    """The set of tables offered to `board`: the single-school tables to an eenpitter, the six
    tables of a typical board to a board with several schools (or none yet)."""
    return "single_school" if board.is_single_school else "six_tables"


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.isoweekday()) % 7)


@transaction.atomic
def tables_start(
    *,
    board: Board,
    user=None,
    since: dt.date | None = None,
    members=(),
    tables: str | None = None,
) -> list[MeetingSeries]:
    """Set up the set of tables that fits the board (`tables_offered`; `tables` names the set
    the user was offered and is refused when it is not the one that fits) for the board
    itself, in the current language, with a standard agenda along the PDCA guide, meeting from
    `since` (today by default) with `members` at each. Idempotent: a table whose name the
    board already uses is skipped. Place and mandate are left for the board to fill in."""
    offered = tables_offered(board)
    if tables is not None and tables != offered:
        raise ValidationError(_("This set of tables is not offered to this board."))
    Board.objects.select_for_update().filter(pk=board.pk).first()
    existing = {
        name.casefold()
        for name in MeetingSeries.objects.filter(board=board, school__isnull=True).values_list(
            "name", flat=True
        )
    }
    today = since or timezone.localdate()
    created = []
    for table in TABLE_SETS[offered]:
        name = str(table["name"])
        if name.casefold() in existing:
            continue
        fields = {
            k: (str(v) if k in ("participants_text", "assignment") else v) for k, v in table.items()
        }
        fields["name"] = name
        if table["rhythm"] == Rhythm.WEEKS:
            fields["first_date"] = _next_weekday(today, table["weekday"])
        else:
            fields["first_date"] = today
        created.append(
            series_create(
                board=board,
                school=None,
                standard_agenda=str(PDCA_AGENDA),
                members=list(members),
                user=user,
                **fields,
            )
        )
    return created
