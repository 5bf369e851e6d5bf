"""Turning a signal into work: an action on the school, a goal in its running plan, or a point
on the agenda of the next board–school conversation.

Each is written by the service of the app that owns it (`action_create`, `goal_create`,
`agenda_item_add`), so the same checks hold as when someone fills in that app's form; these
functions only fill in what the signal already says: its sentence, its figures, and the
school's results standard (OR1) where the signal is about results. The callers check that the
user may write in the unit (`MANAGE_ACTIONS`, `MANAGE_PLANS`, `RECORD_MEETINGS`).

Decisions where the issue is silent:
- the goal goes into the school's running plan (not closed, its period covering today),
  preferring the plan closest to the work: an improvement plan, then a year plan, then the
  school plan; a draft only when no active plan runs;
- its target is the norm, by the end of the current school year (when the plan runs then);
  for "near the norm" the norm plus the board's margin, so the goal is not met on the day it
  is made; for a schoolweging band change the coming norm;
- the agenda point goes to the first planned meeting of one of the school's own tables, else
  of the board's tables; the page offers the next meeting of each such table to choose from.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import Standard
from stelsel.insight.cockpit import RESULT_SIGNALS, RESULTS_STANDARD, signal_source
from stelsel.insight.models import Signal, SignalKind
from stelsel.insight.outcomes import po_outcomes
from stelsel.insight.signals import signal_sentence
from stelsel.insight.small_multiples import percent
from stelsel.insight.vo_results import vo_goal_figures
from stelsel.lib.date_formats import short_date
from stelsel.meetings.access import meeting_series_for_user
from stelsel.meetings.models import AgendaItem, Meeting, MeetingState
from stelsel.meetings.services import ITEM_TITLE_MAX, agenda_item_add
from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.picture.models import Indicator, Picture, PictureState, indicator_levels
from stelsel.planning.access import plans_for_user
from stelsel.planning.actions.services import action_create
from stelsel.planning.goals.services import goal_create
from stelsel.planning.models import Action, Goal, Plan, PlanKind, PlanStatus
from stelsel.planning.validation import TITLE_MAX

PLAN_PREFERENCE = [PlanKind.IMPROVEMENT, PlanKind.YEAR, PlanKind.SCHOOL, PlanKind.STRATEGIC]
# A goal needs a figure to start from and one to reach: these signals have none.
NO_GOAL = {SignalKind.MISSING_DATA}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _decimal(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _results_standards(board: Board, school: School | None, signal: Signal) -> list[Standard]:
    """The results standard of the frameworks of the unit's current pictures, for a signal
    about results; none for others, or when the unit has no picture on such a framework."""
    if signal.kind not in RESULT_SIGNALS:
        return []
    versions = Picture.objects.filter(
        board=board, school=school, state=PictureState.CURRENT
    ).values("framework_version_id")
    return list(Standard.objects.filter(framework_version_id__in=versions, code=RESULTS_STANDARD))


def _own_indicators(board: Board, school: School | None, signal: Signal) -> list[Indicator]:
    if signal.kind != SignalKind.OWN_BELOW:
        return []
    return list(
        Indicator.objects.filter(
            board=board,
            pk=(signal.figures or {}).get("indicator_id"),
            level__in=indicator_levels(school),
        )
    )


def _description(signal: Signal) -> str:
    return "\n\n".join(
        [
            signal_sentence(signal),
            _("Source: %(source)s. Signal since %(date)s.")
            % {
                "source": signal_source(signal),
                "date": short_date(timezone.localdate(signal.first_seen)),
            },
        ]
    )


def signal_action_create(*, signal: Signal, user) -> Action:
    """An action on the signal's unit, named after the signal, on the results standard."""
    board, school = signal.board, signal.school
    return action_create(
        board=board,
        school=school,
        title=_shorten(signal_sentence(signal), TITLE_MAX),
        description=_description(signal),
        owner=user,
        standards=_results_standards(board, school, signal),
        indicators=_own_indicators(board, school, signal),
        user=user,
    )


# --- Goals ----------------------------------------------------------------------------------


def running_plan(user, board: Board, school: School | None, today: dt.date) -> Plan | None:
    """The unit's plan a goal from a signal goes into (see the module's docstring)."""
    plans = list(
        plans_for_user(user, board)
        .filter(
            Q(school=school) if school is not None else Q(school__isnull=True),
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .exclude(status=PlanStatus.CLOSED)
        .select_related("board", "school")
    )
    if not plans:
        return None
    return min(
        plans,
        key=lambda p: (
            p.status != PlanStatus.ACTIVE,
            PLAN_PREFERENCE.index(p.kind) if p.kind in PLAN_PREFERENCE else len(PLAN_PREFERENCE),
            -p.starts_on.toordinal(),
            p.pk,
        ),
    )


def school_year_end(today: dt.date) -> dt.date:
    """The last day of the current school year (31 July), when this year's doorstroomtoets
    results are in: the date a goal from a signal aims at."""
    end = dt.date(today.year, 7, 31)
    return end if today <= end else dt.date(today.year + 1, 7, 31)


def _current_percentage(signal: Signal) -> Decimal | None:
    """The school's current 3-year percentage on the signal's indicator, as `po_outcomes`
    computes it, for signals whose own figures do not carry it (a band change)."""
    ovt = (signal.figures or {}).get("ovt")
    for outcome in po_outcomes(school_ids=[signal.school_id]):
        if outcome.ovt == ovt and outcome.indicator == signal.indicator:
            return outcome.percentage
    return None


def goal_figures(signal: Signal) -> dict:
    """What a goal made from the signal says: title, indicator, baseline, target and unit."""
    f = signal.figures or {}
    if f.get("sector") == "vo":
        return vo_goal_figures(signal)
    if signal.kind == SignalKind.OWN_BELOW:
        limit = _decimal(f.get("limit"))
        return {
            "title": _("%(title)s reaches the board's %(kind)s of %(limit)s %(unit)s")
            % {
                "title": f.get("title", signal.indicator),
                "kind": _("norm") if f.get("limit_kind") == "norm" else _("target"),
                "limit": f.get("limit", ""),
                "unit": f.get("unit", ""),
            },
            "indicator": f.get("title", signal.indicator),
            "baseline": _decimal(f.get("value")),
            "target": limit,
            "unit": f.get("unit", ""),
        }
    if signal.kind == SignalKind.BAND_CHANGE:
        baseline = _current_percentage(signal)
        target = _decimal(f.get("norm_next"))
    else:
        baseline = _decimal(f.get("percentage"))
        target = _decimal(f.get("norm"))
        if signal.kind == SignalKind.NEAR_NORM and target is not None:
            target += _decimal(f.get("margin")) or Decimal(0)
    return {
        "title": _("More pupils reach %(indicator)s: at or above %(target)s over three years")
        % {"indicator": signal.indicator, "target": percent(target)},
        "indicator": _("%(indicator)s, weighted 3-year average (inspectorate)")
        % {"indicator": signal.indicator},
        "baseline": baseline,
        "target": target,
        "unit": "%",
    }


def signal_goal_create(*, signal: Signal, user, today: dt.date | None = None) -> Goal:
    """A goal in the unit's running plan with the signal's figures as baseline and target."""
    today = today or timezone.localdate()
    if signal.kind in NO_GOAL:
        raise ValidationError(
            _("This signal has no figures to set a goal on; make it an action or an agenda point.")
        )
    board, school = signal.board, signal.school
    plan = running_plan(user, board, school, today)
    if plan is None:
        raise ValidationError(
            _(
                "%(unit)s has no running plan to add the goal to. Start a plan (or reopen one) "
                "first."
            )
            % {"unit": school.name if school else board.name}
        )
    figures = goal_figures(signal)
    target_date = school_year_end(today)
    if not plan.starts_on <= target_date <= plan.ends_on:
        target_date = None  # the goal's date must lie in its plan's period
    return goal_create(
        plan=plan,
        title=_shorten(figures["title"], 300),
        indicator=_shorten(figures["indicator"], 200),
        baseline=figures["baseline"],
        target=figures["target"],
        unit=figures["unit"][:30],
        target_date=target_date,
        owner=user,
        standards=_results_standards(board, school, signal),
        indicators=_own_indicators(board, school, signal),
        user=user,
    )


# --- Agenda points --------------------------------------------------------------------------


def agenda_meetings(user, board: Board, signal: Signal, *, now=None) -> list[Meeting]:
    """The next planned meeting of each table where the signal can be discussed and the user
    may set the agenda: the school's own tables first, then the board's, each by date."""
    now = now or timezone.now()
    school = signal.school
    tables = meeting_series_for_user(user, board)
    unit = Q(school__isnull=True)
    if school is not None:
        unit |= Q(school=school)
    meetings = (
        Meeting.objects.filter(
            board=board,
            series__in=tables.filter(unit),
            state=MeetingState.PLANNED,
            starts_at__gte=now,
        )
        .select_related("series__school")
        .order_by("starts_at", "pk")
    )
    first: dict[int, Meeting] = {}
    may: dict[int | None, bool] = {}
    for meeting in meetings:
        series = meeting.series
        if series.pk in first:
            continue
        if series.school_id not in may:
            may[series.school_id] = has_unit_permission(
                user, board, Permission.RECORD_MEETINGS, series.school
            )
        if may[series.school_id]:
            first[series.pk] = meeting
    return sorted(first.values(), key=lambda m: (m.series.school_id is None, m.starts_at, m.pk))


def signal_agenda_item_add(*, signal: Signal, meeting: Meeting, now=None) -> AgendaItem:
    """The signal as a point on the agenda of `meeting`: a coming, planned meeting of a table of
    the signal's school or of the board."""
    now = now or timezone.now()
    series_school = meeting.series.school_id
    if meeting.board_id != signal.board_id or series_school not in (None, signal.school_id):
        raise ValidationError(
            _("Choose a meeting of one of this school's tables or of the board's tables.")
        )
    if meeting.state != MeetingState.PLANNED or meeting.starts_at < now:
        raise ValidationError(_("Choose a meeting that is still to come."))
    title = signal_sentence(signal)
    if signal.school is not None:
        # A board table discusses several schools: the point names the one it is about.
        title = f"{signal.school.name}: {title}"
    return agenda_item_add(
        meeting=meeting,
        title=_shorten(title, ITEM_TITLE_MAX),
        notes=_description(signal),
    )
