"""Plan progress: the plans of the report's units that ran in its period, their result goals
with the latest measured value against the target (when we are satisfied), the latest check-in
on each goal, and the actions under each goal that are done and late.

The goals come as the plan page reads them (`plans_goals`, the many-plan form of `plan_goals`:
the latest check-in per goal, the actions under it), in the page's order (by theme, then goal);
a measured value is set against the goal's target and baseline by the goal page's own words
(`measures.against_goal`). Draft plans are not running yet and are left out. Six queries,
whatever the number of schools, plans or goals.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.date_formats import short_date
from stelsel.organisations.units import unit_name
from stelsel.planning import measures
from stelsel.planning.charts import plain
from stelsel.planning.models import ActionStatus, CheckIn, Plan, PlanStatus
from stelsel.planning.periods import period_text
from stelsel.planning.plans.selectors import plans_goals
from stelsel.reports.blocks import BlockKind, Scope, register, table


def scope_plans(scope: Scope) -> list[Plan]:
    """The plans of the report's units that ran in its period (active or closed since), the
    board's first, then by school, the newest first."""
    unit = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        unit |= Q(school__isnull=True)
    plans = list(
        Plan.objects.filter(
            unit, board=scope.board, starts_on__lte=scope.end, ends_on__gte=scope.start
        )
        .exclude(status=PlanStatus.DRAFT)
        .order_by("-starts_on", "title", "pk")
    )
    order = {None: -1} | {pk: n for n, pk in enumerate(scope.school_ids)}
    return sorted(plans, key=lambda p: order[p.school_id])


def number(value: Decimal | None) -> int | float | None:
    """A goal's number for a table: 62.5 rather than 62.50, 80 rather than 80.00."""
    if value is None:
        return None
    value = plain(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _shown(value: Decimal) -> str:
    return formats.number_format(plain(value))


def when_satisfied(goal) -> str:
    """The goal's baseline → target, unit and target date, worded as on the plan page."""
    by = _("by %(date)s") % {"date": short_date(goal.target_date)} if goal.target_date else ""
    if goal.baseline is None and goal.target is None:
        return _("no target value") + (f" · {by}" if by else "")
    baseline = "?" if goal.baseline is None else _shown(goal.baseline)
    target = "?" if goal.target is None else _shown(goal.target)
    parts = [f"{baseline} → {target}", goal.unit, by]
    return " ".join(part for part in parts if part)


def against_target(goal, check_in, directions: set[str]) -> str | None:
    """The measured value against the goal's target and baseline, as the goal page words it
    (`measures.against_goal`). Which way is better follows from baseline and target; without
    both, from the goal's own indicators when they agree; otherwise it is not said."""
    if check_in is None:
        return None
    known = goal.baseline is not None and goal.target is not None and goal.baseline != goal.target
    if not known and len(directions) != 1:
        return None
    measured = measures.MeasuredValue(
        indicator=goal.indicator,
        unit_name="",
        measured_on=check_in.held_on,
        value=check_in.measured,
        unit=goal.unit,
        direction=next(iter(directions), measures.HIGHER),
        source="",
        url="",
    )
    return measures.against_goal(goal, measured) or None


def collect(scope: Scope) -> dict:
    board = scope.board
    today = timezone.localdate()
    plans = scope_plans(scope)
    source_path = reverse("planning:plans", args=[board.pk])
    if len(plans) == 1:
        source_path = reverse("planning:plan", args=[board.pk, plans[0].pk])
    elif len(scope.schools) == 1 and not scope.board_level:
        source_path += f"?school={scope.schools[0].pk}"
    snapshot = {"source": _("Plans"), "source_path": source_path, "as_of": today.isoformat()}
    if not plans:
        snapshot["empty"] = _("No plan of the units of this report ran in its period.")
        return snapshot
    goals = list(plans_goals(plans).prefetch_related("indicators"))
    latest = CheckIn.objects.in_bulk([g.latest_check_in_id for g in goals if g.latest_check_in_id])
    measured: dict[int, CheckIn] = {}
    for check_in in CheckIn.objects.filter(goal__in=goals, measured__isnull=False).order_by(
        "held_on", "pk"
    ):
        measured[check_in.goal_id] = check_in
    by_plan = defaultdict(list)
    for goal in goals:
        by_plan[goal.plan_id].append(goal)
    schools = {s.pk: s for s in scope.schools}

    def unit(plan) -> str:
        return unit_name(board, schools.get(plan.school_id))

    overview, tables = [], []
    for plan in plans:
        # The plan page's order: goals by theme (in the themes' order), those without one last.
        goals_of = sorted(
            by_plan[plan.pk],
            key=lambda g: (g.theme is None, g.theme.position if g.theme else 0, g.theme_id or 0),
        )
        lines = []
        totals = [0, 0, 0]
        for goal in goals_of:
            actions = [a for a in goal.actions.all() if a.status != ActionStatus.CANCELLED]
            done = sum(1 for a in actions if a.status == ActionStatus.DONE)
            late = sum(1 for a in actions if a.is_overdue(today))
            totals = [totals[0] + len(actions), totals[1] + done, totals[2] + late]
            value = measured.get(goal.pk)
            check_in = latest.get(goal.latest_check_in_id)
            directions = {i.direction for i in goal.indicators.all()}
            lines.append(
                [
                    goal.title,
                    when_satisfied(goal),
                    number(value.measured) if value else None,
                    short_date(value.held_on) if value else None,
                    against_target(goal, value, directions),
                    short_date(check_in.held_on) if check_in else None,
                    check_in.get_progress_display() if check_in else None,
                    len(actions),
                    done,
                    late,
                ]
            )
        overview.append(
            [
                unit(plan),
                plan.title,
                plan.get_kind_display(),
                period_text(plan),
                plan.get_status_display(),
                len(goals_of),
                *totals,
            ]
        )
        if lines:
            tables.append(
                table(
                    _("%(unit)s, %(plan)s: goals and their progress")
                    % {"unit": unit(plan), "plan": plan.title},
                    [
                        _("Goal"),
                        _("When we are satisfied"),
                        _("Measured"),
                        _("Measured on"),
                        _("Against the target"),
                        _("Latest check-in"),
                        _("Progress"),
                        _("Actions"),
                        _("Done"),
                        _("Late"),
                    ],
                    lines,
                    _(
                        "Measured is the latest value recorded at a check-in. Actions are "
                        "those under the goal that are not cancelled; late ones are open "
                        "past their due date."
                    ),
                )
            )
    tables.insert(
        0,
        table(
            _("Plans that ran in this period"),
            [
                _("Unit"),
                _("Plan"),
                _("Kind of plan"),
                _("Period"),
                _("Status"),
                _("Goals"),
                _("Actions"),
                _("Done"),
                _("Late"),
            ],
            overview,
        ),
    )
    snapshot["tables"] = tables
    return snapshot


register(
    BlockKind(
        key="plans",
        label=gettext_lazy("Plan progress"),
        description=gettext_lazy(
            "The plans that ran in the period: their goals with the latest measured value "
            "against the target, the latest check-in, and the actions done and late."
        ),
        collect=collect,
    )
)
