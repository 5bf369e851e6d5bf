"""Pages of the cockpit: one signal with its figures, and the buttons that make it an action, a
goal or an agenda point. The board's and a school's homes (the attention lists) are the web
app's pages; they read `insight.cockpit`.

Views are thin: the signal comes through `insight.access`, the writes through
`insight.signal_actions` (which call the planning and meetings services), and the right to
write is checked on the signal's unit with the permission of the app that is written to.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.insight.access import get_signal_for_user
from stelsel.insight.cockpit import RESULT_SIGNALS, RESULTS_STANDARD, SIGNAL_TONES, signal_source
from stelsel.insight.models import SignalKind
from stelsel.insight.signal_actions import (
    NO_GOAL,
    agenda_meetings,
    goal_figures,
    running_plan,
    signal_action_create,
    signal_agenda_item_add,
    signal_goal_create,
)
from stelsel.insight.signals import signal_sentence
from stelsel.insight.small_multiples import percent
from stelsel.lib.date_formats import full_date
from stelsel.lib.ids import parse_id
from stelsel.meetings.access import get_meeting_for_user
from stelsel.organisations.access import has_unit_permission, require_unit
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission
from stelsel.picture.access import pictures_for_user
from stelsel.picture.models import Entry, PictureState


def _results_entry(user, board, signal):
    """The school's results standard in its current picture, when the signal is about results
    and the user sees the picture."""
    if signal.school_id is None or signal.kind not in RESULT_SIGNALS:
        return None
    pictures = pictures_for_user(user, board).filter(
        school_id=signal.school_id, state=PictureState.CURRENT
    )
    return (
        Entry.objects.filter(picture__in=pictures, standard__code=RESULTS_STANDARD)
        .order_by("picture_id")
        .first()
    )


def _decimal_text(value) -> str:
    try:
        return percent(Decimal(str(value))) if value not in (None, "") else "–"
    except InvalidOperation:
        return str(value)


def _school_year(year) -> str:
    """2027 → "2026-2027": years are named by the year their school year ends in."""
    return f"{year - 1}-{year}" if isinstance(year, int) else ""


def _date(value) -> str:
    try:
        return full_date(dt.date.fromisoformat(value)) if value else ""
    except (TypeError, ValueError):
        return str(value or "")


def _number_text(value) -> str:
    try:
        return number_format(Decimal(str(value))) if value not in (None, "") else ""
    except InvalidOperation:
        return str(value)


@board_view(Permission.VIEW_DATA)
def signal(request, board, signal_id):
    user = request.user
    item = get_signal_for_user(user, board, signal_id)
    school = item.school
    figures = item.figures or {}
    can_action = has_unit_permission(user, board, Permission.MANAGE_ACTIONS, school)
    can_goal = item.kind not in NO_GOAL and has_unit_permission(
        user, board, Permission.MANAGE_PLANS, school
    )
    can_agenda = has_unit_permission(user, board, Permission.RECORD_MEETINGS, school)
    years = [
        {
            "year": y.get("year"),
            "pupils": y.get("pupils"),
            "percentage": _decimal_text(y.get("percentage")),
            "own": y.get("year") in (figures.get("own_years") or []),
        }
        for y in figures.get("years") or []
    ]
    goal = goal_figures(item) if can_goal else None
    return render(
        request,
        "insight/cockpit/signal.html",
        {
            "board": board,
            "signal": item,
            "school": school,
            "sentence": signal_sentence(item),
            "source": signal_source(item),
            "label": SignalKind(item.kind).label,
            "tone": SIGNAL_TONES.get(item.severity, ""),
            "figures": figures,
            "percentage": _decimal_text(figures.get("percentage")),
            "norm": _decimal_text(figures.get("norm")),
            "schoolweging": _number_text(figures.get("schoolweging")),
            "years": years,
            "needed": figures.get("needed"),
            "needed_year": _school_year((figures.get("needed") or {}).get("year")),
            "needed_norm": _decimal_text((figures.get("needed") or {}).get("norm")),
            "own_value": _number_text(figures.get("value")),
            "own_date": _date(figures.get("measured_on")),
            "results_signal": item.kind in RESULT_SIGNALS,
            "needed_percentage": _decimal_text((figures.get("needed") or {}).get("percentage")),
            "entry": _results_entry(user, board, item),
            "can_action": can_action and item.resolved_at is None,
            "can_goal": can_goal and item.resolved_at is None,
            "goal": goal,
            "goal_baseline": _decimal_text(goal["baseline"]) if goal else "",
            "goal_target": _decimal_text(goal["target"]) if goal else "",
            "plan": running_plan(user, board, school, timezone.localdate()) if can_goal else None,
            "can_agenda": can_agenda and item.resolved_at is None,
            "meetings": agenda_meetings(user, board, item) if can_agenda else [],
        },
    )


def _refuse_resolved(request, board, item):
    if item.resolved_at is None:
        return None
    messages.error(request, _("This signal no longer holds; nothing was made from it."))
    return redirect("insight:signal", board_id=board.pk, signal_id=item.pk)


@require_POST
@board_view(Permission.VIEW_DATA)
def signal_action(request, board, signal_id):
    item = get_signal_for_user(request.user, board, signal_id)
    require_unit(request.user, board, Permission.MANAGE_ACTIONS, item.school)
    refused = _refuse_resolved(request, board, item)
    if refused:
        return refused
    try:
        action = signal_action_create(signal=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("insight:signal", board_id=board.pk, signal_id=item.pk)
    messages.success(
        request, _("Action recorded from the signal. Give it a due date and say what will be done.")
    )
    return redirect("planning:action_detail", board_id=board.pk, action_id=action.pk)


@require_POST
@board_view(Permission.VIEW_DATA)
def signal_goal(request, board, signal_id):
    item = get_signal_for_user(request.user, board, signal_id)
    require_unit(request.user, board, Permission.MANAGE_PLANS, item.school)
    refused = _refuse_resolved(request, board, item)
    if refused:
        return refused
    try:
        goal = signal_goal_create(signal=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("insight:signal", board_id=board.pk, signal_id=item.pk)
    messages.success(
        request,
        _("Goal added to “%(plan)s” with the signal's figures as baseline and target.")
        % {"plan": goal.plan.title},
    )
    return redirect("planning:goal", board_id=board.pk, goal_id=goal.pk)


@require_POST
@board_view(Permission.VIEW_DATA)
def signal_agenda_item(request, board, signal_id):
    user = request.user
    item = get_signal_for_user(user, board, signal_id)
    require_unit(user, board, Permission.RECORD_MEETINGS, item.school)
    refused = _refuse_resolved(request, board, item)
    if refused:
        return refused
    back = redirect("insight:signal", board_id=board.pk, signal_id=item.pk)
    if not parse_id(request.POST.get("meeting")):
        messages.error(
            request,
            _(
                "Choose the meeting to put the signal on. Without a planned meeting of this "
                "school's or the board's tables, plan one in the quality calendar first."
            ),
        )
        return back
    meeting = get_meeting_for_user(user, board, request.POST["meeting"], write=True)
    try:
        signal_agenda_item_add(signal=item, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        _("The signal is on the agenda of %(table)s on %(date)s.")
        % {"table": meeting.series, "date": full_date(meeting.starts_at)},
    )
    return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)
