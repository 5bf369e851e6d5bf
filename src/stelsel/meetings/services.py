"""Writes to the quality calendar: tables (meeting series) and their planned meetings, the
record of a meeting (state and minutes), its agenda and decisions, and each person's calendar
feeds and reminder preference.

Each function is one transaction. Everything is checked before anything is written, so bad
input leaves the calendar as it was. Forms that edit an existing object send the revision they
were opened on; a newer save is never overwritten.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from stelsel.lib.date_formats import short_date
from stelsel.lib.dates import plausible_date
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.meetings import recurrence
from stelsel.meetings.holiday_regions import region_map
from stelsel.meetings.holidays import holiday_calendar
from stelsel.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Decision,
    HolidayRule,
    Meeting,
    MeetingSeries,
    MeetingState,
    ReminderOptOut,
    Rhythm,
    hash_feed_token,
)
from stelsel.organisations.models import Board, Membership, School
from stelsel.planning.actions.services import action_create

MAX_TEXT = 20_000
MAX_MINUTES = 100_000
NAME_MAX = 200
PARTICIPANTS_MAX = 300
PLACE_MAX = 200
ITEM_TITLE_MAX = 300
MIN_DURATION, MAX_DURATION = 15, 600
MAX_INTERVAL = 52
PLAN_AHEAD_DAYS = 366  # meetings are planned a year ahead (and the daily job rolls on)
PLAN_BEHIND_DAYS = 366  # past occurrences get a row too, so they can still be recorded
MAX_ACTIVE_FEEDS = 5
TIMING_FIELDS = (
    "rhythm",
    "interval",
    "months",
    "weekday",
    "week_of_month",
    "start_time",
    "duration_minutes",
    "first_date",
    "last_date",
    "holiday_rule",
)
SERIES_FIELDS = (
    "name",
    "participants_text",
    *TIMING_FIELDS,
    "place",
    "assignment",
    "mandate",
    "standard_agenda",
    "members",
)


def member_candidates(board: Board, school: School | None):
    """People who may sit at a table of this unit. A board table can bring every level
    together (the board with the school leaders), so it takes anyone with a role on the board;
    a school's table takes the board's own people and the school's. Members read the table
    and its meetings whatever their level (meetings.access.meeting_series_for_user)."""
    memberships = Membership.objects.filter(board=board, user=OuterRef("pk"))
    if school is not None:
        memberships = memberships.filter(Q(school__isnull=True) | Q(school=school))
    return get_user_model().objects.filter(Exists(memberships), is_active=True)


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def _clean_series(*, board: Board, school: School | None, values: dict) -> dict:
    """Check every field of a table and return the cleaned values; all problems at once."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    cleaned = dict(values)
    for name, limit in (
        ("name", NAME_MAX),
        ("participants_text", PARTICIPANTS_MAX),
        ("place", PLACE_MAX),
        ("assignment", MAX_TEXT),
        ("mandate", MAX_TEXT),
        ("standard_agenda", MAX_TEXT),
    ):
        text = (cleaned.get(name) or "").replace("\x00", "").strip()
        if len(text) > limit:
            fail(name, _("Keep this under %(n)s characters.") % {"n": limit})
        cleaned[name] = text
    if not cleaned["name"]:
        fail("name", _("Give the table a name."))

    rhythm = cleaned.get("rhythm")
    if rhythm not in Rhythm.values:
        fail("rhythm", _("Choose one of the rhythms in the list."))
    first_date, last_date = cleaned.get("first_date"), cleaned.get("last_date")
    if not isinstance(first_date, dt.date):
        fail("first_date", _("Give the date of the first meeting."))
    elif not plausible_date(first_date):
        fail("first_date", _("Give a date between the years 1900 and 2200."))
    elif isinstance(last_date, dt.date) and not plausible_date(last_date):
        fail("last_date", _("Give a date between the years 1900 and 2200."))
    elif isinstance(last_date, dt.date) and last_date < first_date:
        fail("last_date", _("The last meeting cannot be before the first."))
    if not isinstance(cleaned.get("start_time"), dt.time):
        fail("start_time", _("Give the time the meeting starts."))
    duration = _int_or_none(cleaned.get("duration_minutes"))
    if not isinstance(duration, int) or not MIN_DURATION <= duration <= MAX_DURATION:
        fail(
            "duration_minutes",
            _("A meeting lasts from %(min)s to %(max)s minutes.")
            % {"min": MIN_DURATION, "max": MAX_DURATION},
        )
    cleaned["duration_minutes"] = duration

    interval = _int_or_none(cleaned.get("interval"))
    weekday = _int_or_none(cleaned.get("weekday"))
    week_of_month = _int_or_none(cleaned.get("week_of_month"))
    raw_months = cleaned.get("months") or []
    if rhythm == Rhythm.WEEKS:
        if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL:
            fail(
                "interval",
                _("Meet every 1 to %(max)s weeks.") % {"max": MAX_INTERVAL},
            )
        cleaned["interval"], cleaned["months"] = interval, []
        # Every N weeks counts from the first meeting, so the weekday is that date's.
        weekday = first_date.isoweekday() if isinstance(first_date, dt.date) else 1
        week_of_month = week_of_month if isinstance(week_of_month, int) else 2
    elif rhythm == Rhythm.MONTHS:
        months = [_int_or_none(m) for m in raw_months]
        if not months:
            fail("months", _("Choose at least one month."))
        elif any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            fail("months", _("Months are numbered 1 (January) to 12 (December)."))
        elif len(set(months)) != len(months):
            fail("months", _("Choose each month once."))
        cleaned["interval"] = None
        cleaned["months"] = sorted({m for m in months if isinstance(m, int)})
    else:
        cleaned["interval"], cleaned["months"] = None, []
    if rhythm != Rhythm.WEEKS:
        if not isinstance(weekday, int) or not 1 <= weekday <= 7:
            fail("weekday", _("Choose a day of the week."))
        if not isinstance(week_of_month, int) or not 1 <= week_of_month <= recurrence.LAST_WEEK:
            fail("week_of_month", _("Choose the first, second, third, fourth or last week."))
    cleaned["weekday"], cleaned["week_of_month"] = weekday, week_of_month
    if cleaned.get("holiday_rule") in (None, ""):
        cleaned["holiday_rule"] = HolidayRule.MOVE
    elif cleaned["holiday_rule"] not in HolidayRule.values:
        fail("holiday_rule", _("Choose to move the meeting or to keep it."))

    members = list(cleaned.get("members") or [])
    if members:
        allowed = set(
            member_candidates(board, school)
            .filter(pk__in=[m.pk for m in members])
            .values_list("pk", flat=True)
        )
        strangers = [str(m) for m in members if m.pk not in allowed]
        if strangers:
            fail(
                "members",
                _("%(people)s cannot sit at this table: give them a role on it first.")
                % {"people": ", ".join(strangers)},
            )
    cleaned["members"] = members

    if not errors and rhythm != Rhythm.NONE:
        rule = _Rule(cleaned)
        if recurrence.first_occurrence(rule) is None:
            fail(
                "rhythm",
                _(
                    "This rhythm never meets between the first and the last date. Choose "
                    "other months, or move the dates."
                ),
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


class _Rule:
    """Cleaned values seen as a rule, for the recurrence functions."""

    def __init__(self, values: dict):
        for name in TIMING_FIELDS:
            setattr(self, name, values.get(name))


def _save_series(series: MeetingSeries, cleaned: dict, user) -> MeetingSeries:
    members = cleaned.pop("members")
    for name, value in cleaned.items():
        setattr(series, name, value)
    if user is not None:
        series._history_user = user
    series.save()
    series.members.set(members)
    return series


@transaction.atomic
def series_create(
    *,
    board: Board,
    school: School | None,
    name: str,
    rhythm: str,
    start_time: dt.time,
    first_date: dt.date,
    participants_text: str = "",
    interval: int | None = None,
    months=(),
    weekday: int = 1,
    week_of_month: int = 2,
    duration_minutes: int = 90,
    last_date: dt.date | None = None,
    place: str = "",
    assignment: str = "",
    mandate: str = "",
    standard_agenda: str = "",
    members=(),
    holiday_rule: str = HolidayRule.MOVE,
    user=None,
) -> MeetingSeries:
    """Set up a table of a unit (a school, or the board for `school=None`) and plan its
    meetings for the coming year."""
    given = locals()
    values = {name: given[name] for name in SERIES_FIELDS}
    cleaned = _clean_series(board=board, school=school, values=values)
    series = _save_series(MeetingSeries(board=board, school=school), cleaned, user)
    _plan(series, timezone.localdate() + dt.timedelta(days=PLAN_AHEAD_DAYS), user)
    return series


@transaction.atomic
def series_update(*, series: MeetingSeries, revision: int, user=None, **changes) -> MeetingSeries:
    """Change a table, refusing to overwrite a newer save.

    A field left out keeps what is stored. When the rhythm or time changes, planned meetings
    still ahead that hold nothing yet (no agenda, minutes or decisions) are replaced by the
    new rhythm's; meetings with content stay, so nothing written is lost.
    """
    unknown = set(changes) - set(SERIES_FIELDS)
    if unknown:
        raise TypeError(f"series_update() got unexpected fields: {sorted(unknown)}")
    locked = lock_at_revision(
        MeetingSeries.objects.select_related("board", "school"), series.pk, revision
    )
    values = {
        name: changes[name] if name in changes else getattr(locked, name)
        for name in SERIES_FIELDS
        if name != "members"
    }
    values["members"] = changes["members"] if "members" in changes else list(locked.members.all())
    cleaned = _clean_series(board=locked.board, school=locked.school, values=values)
    timing_changed = any(cleaned[name] != getattr(locked, name) for name in TIMING_FIELDS)
    next_revision(locked)
    _save_series(locked, cleaned, user)
    if timing_changed:
        replan_future(locked, user)
    return locked


def replan_future(series: MeetingSeries, user=None) -> int:
    """Plan the meetings ahead again, after the rhythm, the holiday rule or the holiday region
    changed. Only the future changes: meetings held, cancelled or written in stay as they are.
    Removed one by one, so the history records each removal and who made it (a queryset delete
    would not). Runs inside the caller's transaction."""
    for meeting in _untouched_future(series):
        if user is not None:
            meeting._history_user = user
        meeting.delete()
    return _plan(
        series,
        timezone.localdate() + dt.timedelta(days=PLAN_AHEAD_DAYS),
        user,
        start=timezone.localdate(),
        after=timezone.now(),
    )


def _untouched_future(series: MeetingSeries):
    """Planned meetings still ahead that nobody has written anything in."""
    return Meeting.objects.filter(
        series=series, state=MeetingState.PLANNED, starts_at__gte=timezone.now(), minutes=""
    ).filter(
        ~Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))),
        ~Exists(Decision.objects.filter(meeting=OuterRef("pk"))),
    )


def _plan(
    series: MeetingSeries,
    until: dt.date,
    user,
    *,
    start: dt.date | None = None,
    after: dt.datetime | None = None,
) -> int:
    start = max(
        series.first_date,
        start or timezone.localdate() - dt.timedelta(days=PLAN_BEHIND_DAYS),
    )
    dates = recurrence.school_dates(
        series,
        start,
        until,
        region=region_map(series.board_id).of(series.school_id),
        holidays=holiday_calendar(),
    )
    planned = recurrence.occurrences_on(series, dates)
    if after is not None:
        planned = [(starts, ends) for starts, ends in planned if starts >= after]
    if not planned:
        return 0
    existing = {
        moment.timestamp()
        for moment in Meeting.objects.filter(
            series=series, starts_at__gte=planned[0][0], starts_at__lte=planned[-1][0]
        ).values_list("starts_at", flat=True)
    }
    new = [
        Meeting(board_id=series.board_id, series=series, starts_at=starts, ends_at=ends)
        for starts, ends in planned
        if starts.timestamp() not in existing
    ]
    if new:
        bulk_create_with_history(new, Meeting, default_user=user)
    return len(new)


@transaction.atomic
def meetings_plan(*, series: MeetingSeries, until: dt.date, user=None) -> int:
    """Create the planned meetings up to `until` that have no row yet; returns how many.

    Idempotent: the series row is locked, so two runs at once cannot plan a meeting twice,
    and a meeting that exists (in whatever state) is left alone.
    """
    locked = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    return _plan(locked, until, user)


# --- A meeting: its record, agenda and decisions ----------------------------------------


def _started(meeting: Meeting) -> bool:
    return timezone.localdate(meeting.starts_at) <= timezone.localdate()


@transaction.atomic
def meeting_record(*, meeting: Meeting, revision: int, state: str, minutes: str, user=None):
    """Record whether the meeting was held (or cancelled) and its minutes, refusing to
    overwrite a newer save."""
    locked = lock_at_revision(Meeting.objects, meeting.pk, revision)
    errors = {}
    minutes = (minutes or "").replace("\x00", "").strip()
    if state not in MeetingState.values:
        errors["state"] = _("Choose one of the states in the list.")
    elif state == MeetingState.HELD and not _started(locked):
        errors["state"] = _("A meeting can be recorded as held from the day it takes place.")
    if len(minutes) > MAX_MINUTES:
        errors["minutes"] = _("Keep this under %(n)s characters.") % {"n": MAX_MINUTES}
    if errors:
        raise ValidationError(errors)
    locked.state = state
    locked.minutes = minutes
    next_revision(locked)
    if user is not None:
        locked._history_user = user
    locked.save()
    return locked


def _lock_open_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state == MeetingState.CANCELLED:
        raise ValidationError(_("This meeting was cancelled; it has no agenda or decisions."))
    return locked


def _next_position(meeting: Meeting) -> int:
    last = meeting.items.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str = "", notes: str = "", agenda_point=None
) -> AgendaItem:
    """Put an item on the agenda; with `agenda_point` (a point of a self-evaluation round's
    conversation agenda of the same board) its question becomes the item, unless a title is
    given."""
    locked = _lock_open_meeting(meeting)
    errors = {}
    title = (title or "").replace("\x00", "").strip()
    notes = (notes or "").replace("\x00", "").strip()
    if agenda_point is not None:
        if agenda_point.board_id != locked.board_id:
            raise ValidationError(_("That conversation point belongs to another board."))
        series_school = MeetingSeries.objects.values_list("school_id", flat=True).get(
            pk=locked.series_id
        )
        if agenda_point.round.school_id not in (None, series_school):
            raise ValidationError(_("That conversation point belongs to another school."))
        if locked.items.filter(agenda_point=agenda_point).exists():
            raise ValidationError(_("That conversation point is already on this agenda."))
        if not title:
            title = agenda_point.question.strip()
            if len(title) > ITEM_TITLE_MAX:
                title = title[: ITEM_TITLE_MAX - 1] + "…"
        notes = notes or agenda_point.note.strip()
    if not title:
        errors["title"] = _("Say what the item is about.")
    elif len(title) > ITEM_TITLE_MAX:
        errors["title"] = _("Keep the title under %(n)s characters.") % {"n": ITEM_TITLE_MAX}
    if len(notes) > MAX_TEXT:
        errors["notes"] = _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    return AgendaItem.objects.create(
        board_id=locked.board_id,
        meeting=locked,
        title=title,
        notes=notes,
        agenda_point=agenda_point,
        position=_next_position(locked),
    )


@transaction.atomic
def agenda_items_from_points(*, meeting: Meeting, points) -> list[AgendaItem]:
    """Put several points of a round's conversation agenda on the agenda at once; points
    already on it are skipped. All or nothing."""
    points = list(points)
    if not points:
        raise ValidationError(_("Choose at least one point."))
    _lock_open_meeting(meeting)
    present = set(
        meeting.items.filter(agenda_point__isnull=False).values_list("agenda_point_id", flat=True)
    )
    return [
        agenda_item_add(meeting=meeting, agenda_point=point)
        for point in points
        if point.pk not in present
    ]


@transaction.atomic
def agenda_items_from_standard(*, meeting: Meeting) -> list[AgendaItem]:
    """The table's standard agenda, one item per line, added after what is there."""
    locked = _lock_open_meeting(meeting)
    lines = [
        line.strip(" -•*\t")
        for line in locked.series.standard_agenda.splitlines()
        if line.strip(" -•*\t")
    ]
    if not lines:
        raise ValidationError(_("This table has no standard agenda yet."))
    position = _next_position(locked)
    items = [
        AgendaItem(
            board_id=locked.board_id,
            meeting=locked,
            title=line[:ITEM_TITLE_MAX],
            position=position + index,
        )
        for index, line in enumerate(lines)
    ]
    return AgendaItem.objects.bulk_create(items)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    item.delete()


ACTION_ERROR_FIELDS = {"title": "action_title", "owner": "action_owner", "due_on": "action_due_on"}


@transaction.atomic
def decision_add(
    *,
    meeting: Meeting,
    text: str,
    create_action: bool = False,
    action_title: str = "",
    action_owner=None,
    action_due_on: dt.date | None = None,
    user=None,
) -> Decision:
    """Record a decision of a meeting; with `create_action`, the action that carries it out
    is recorded for the table's unit at the same time and linked to the decision."""
    locked = _lock_open_meeting(meeting)
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": _("Write down what was decided.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}})
    if not _started(locked):
        raise ValidationError(_("Decisions are recorded from the day of the meeting."))
    action = None
    if create_action:
        series = MeetingSeries.objects.select_related("school").get(pk=locked.series_id)
        title = (action_title or "").strip() or text.splitlines()[0][:200]
        description = _("Decided in “%(table)s” on %(date)s:\n%(text)s") % {
            "table": series.name,
            "date": short_date(locked.starts_at),
            "text": text,
        }
        try:
            action = action_create(
                board=locked.board,
                school=series.school,
                title=title,
                description=description[:MAX_TEXT],
                owner=action_owner,
                due_on=action_due_on,
                user=user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError(
                {ACTION_ERROR_FIELDS.get(k, k): v for k, v in exc.error_dict.items()}
            ) from None
    return Decision.objects.create(
        board_id=locked.board_id, meeting=locked, text=text, action=action, created_by=user
    )


# --- A person's calendar feed and reminder preference -------------------------------------


@transaction.atomic
def feed_create(*, user) -> tuple[CalendarFeed, str]:
    """A new secret feed address; returns the feed and its token, which is shown once (only
    its hash is kept)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_FEEDS:
        raise ValidationError(
            _("You have %(n)s calendar addresses already; revoke one you no longer use.")
            % {"n": active}
        )
    raw = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(user=user, token_hash=hash_feed_token(raw))
    return feed, raw


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


@transaction.atomic
def reminders_opt_out(*, user) -> ReminderOptOut:
    opt_out, _created = ReminderOptOut.objects.get_or_create(user=user)
    return opt_out


@transaction.atomic
def reminders_opt_in(*, user) -> None:
    ReminderOptOut.objects.filter(user=user).delete()
