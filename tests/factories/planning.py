"""Builders for plans, goals and check-ins, written directly (the services are tested on their
own): a board's strategic plan and a school plan that runs at the same time."""

import datetime
from decimal import Decimal

from stelsel.planning.models import CheckIn, Goal, Plan, PlanKind, Progress, Theme

START = datetime.date(2025, 8, 1)
END = datetime.date(2029, 7, 31)


def make_plan(board, school=None, *, kind=None, starts_on=START, ends_on=END, **fields) -> Plan:
    kind = kind or (PlanKind.STRATEGIC if school is None else PlanKind.SCHOOL)
    return Plan.objects.create(
        board=board,
        school=school,
        kind=kind,
        title=fields.pop("title", f"Plan {kind}"),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


def make_theme(plan, title="Lezen", position=1) -> Theme:
    return Theme.objects.create(board=plan.board, plan=plan, title=title, position=position)


def make_goal(plan, title=None, **fields) -> Goal:
    fields.setdefault("target", Decimal("80"))
    fields.setdefault("target_date", plan.ends_on)
    return Goal.objects.create(
        board=plan.board,
        plan=plan,
        title=title or "In juni leest 80% van groep 4 op niveau",
        **fields,
    )


def make_check_in(goal, *, held_on=None, measured=None, progress=Progress.ON_TRACK, **fields):
    return CheckIn.objects.create(
        board=goal.board,
        goal=goal,
        held_on=held_on or datetime.date(2026, 1, 15),
        measured=measured,
        progress=progress,
        **fields,
    )
