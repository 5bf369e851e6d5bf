"""The quality calendar's tables, meetings and agenda items, and a person's calendar feeds,
are reached only through here, on top of the core in `organisations.access`: another board's
tables, and tables of units the user does not sit at or see, answer 404 like ids that do not
exist."""

from django.db.models import Exists, OuterRef, Q

from stelsel.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    hash_feed_token,
)
from stelsel.organisations.access import (
    has_unit_permission,
    one,
    require,
    require_unit,
    units_q,
)
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission


def meeting_series_for_user(user, board: Board):
    """The tables of the units the user sees, and the board tables they sit at.

    A board table can bring levels together ("board and school leaders"): its members read it
    and its meetings, agenda, minutes and decisions even when their role is on a school.
    Setting it up and recording its meetings stays with the roles that may do so for its unit.
    """
    require(user, board, Permission.VIEW_PLANS)
    tables = MeetingSeries.objects.filter(board=board)
    units = units_q(user, board)
    if not units:  # every unit of the board (an empty Q would swallow the "or" below)
        return tables
    # A seat opens the board's own tables only: a school's table takes the school's own people,
    # so a seat kept there after someone moved to another school opens nothing.
    seat = MeetingSeries.members.through.objects.filter(meetingseries=OuterRef("pk"), user=user)
    return tables.filter(units | Q(Exists(seat), school__isnull=True))


def get_meeting_series_for_user(user, board: Board, series_id, *, write: bool = False):
    """A table the user sees (else 404); `write` (setting it up) needs MANAGE_CALENDAR on its
    unit (else 403)."""
    series = one(meeting_series_for_user(user, board).select_related("school"), series_id)
    if write:
        require_unit(user, board, Permission.MANAGE_CALENDAR, series.school)
    return series


def get_meeting_for_user(user, board: Board, meeting_id, *, write: bool = False):
    """A meeting of a table the user sees (else 404); `write` (its agenda, minutes and
    decisions) needs RECORD_MEETINGS on the table's unit (else 403)."""
    meeting = one(
        Meeting.objects.filter(
            board=board, series__in=meeting_series_for_user(user, board)
        ).select_related("series__school"),
        meeting_id,
    )
    if write:
        require_unit(user, board, Permission.RECORD_MEETINGS, meeting.series.school)
    return meeting


def may_record_meetings(user, board: Board, series: MeetingSeries) -> bool:
    """Whether the user may record the meetings of `series` (held or cancelled, agenda,
    minutes): the check `get_meeting_for_user(write=True)` makes, asked before a link to
    recording is shown, so nobody is sent to a page that refuses them."""
    return has_unit_permission(user, board, Permission.RECORD_MEETINGS, series.school)


def get_agenda_item_for_user(user, board: Board, item_id, *, meeting, write: bool = False):
    """An item of the agenda of `meeting`, a meeting the caller reached through
    `get_meeting_for_user` (which checked reading or recording it), else 404; `write` needs
    RECORD_MEETINGS on the table's unit (else 403).

    Items have no reach of their own: they are parts of their meeting. Any other meeting's
    item, an id that is not a number or one beyond a bigint answers the same 404.
    """
    require(user, board, Permission.VIEW_PLANS)
    item = one(AgendaItem.objects.filter(board=board, meeting=meeting), item_id)
    if write:
        require_unit(user, board, Permission.RECORD_MEETINGS, meeting.series.school)
    return item


# --- A person's calendar feeds -------------------------------------------------------------
# Feeds belong to a person, not to a board: what a feed shows is narrowed through the board
# functions above when it is written (see feed.py).


def get_calendar_feed_for_user(user, feed_id):
    """One of the user's own calendar addresses, revoked or not (else 404)."""
    return one(CalendarFeed.objects.filter(user=user), feed_id)


def calendar_feed_for_token(raw: str) -> CalendarFeed | None:
    """The active feed of a secret address, with its user; None for unknown or revoked
    tokens. The token is the only key: the feed is read without anyone signed in."""
    if not raw or len(raw) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_feed_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
