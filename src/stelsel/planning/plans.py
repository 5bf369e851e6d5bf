"""Writes to plans, their themes and goals, and check-ins on goals.

A plan belongs to a unit (a school, or the board for `school=None`) and runs for a period. Its
goals say what it yields for pupils and when we are satisfied: a number by a date. School goals
name the board goal they serve, which is what makes the board's and the schools' plans one
story (DOMAIN §6).

Each function is one transaction. Everything is checked before anything is written, and all
problems of a form are raised at once, so bad input leaves the plan exactly as it was. Forms
that edit an existing plan or goal carry the revision they were opened on; a save on top of
someone else's newer save is refused with the current version (`PlanConflict`, `GoalConflict`).
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import Standard
from stelsel.organisations.models import Board, School
from stelsel.picture.models import Evidence, Indicator
from stelsel.picture.services import EditConflict
from stelsel.planning.models import (
    FOUR_YEAR_KINDS,
    CheckIn,
    Goal,
    Plan,
    PlanKind,
    PlanStatus,
    Progress,
    Theme,
)
from stelsel.planning.services import KEEP, allowed_versions, owner_candidates
from stelsel.web.forms import plausible_date

MAX_TEXT = 20_000
TITLE_MAX = 200
GOAL_TITLE_MAX = 300
SHORT_MAX = 200
UNIT_MAX = 30

# A four-year plan may run a little over four years (a plan written for 2024-2028 that starts
# in August and is closed in the autumn); a year plan a school year and a bit. Improvement
# plans follow their herstelopdrachten, which the inspection gives at most four years for.
FOUR_YEARS_AND_A_BIT = (4, 2)  # years, months
A_YEAR_AND_A_BIT = (1, 1)
LONGEST = dict.fromkeys(FOUR_YEAR_KINDS, FOUR_YEARS_AND_A_BIT) | {
    PlanKind.IMPROVEMENT: FOUR_YEARS_AND_A_BIT,
    PlanKind.YEAR: A_YEAR_AND_A_BIT,
}
# Board goals that school goals (and the board's year plans) can serve.
SERVED_KINDS = (PlanKind.STRATEGIC, PlanKind.YEAR)

# A value stored in DecimalField(max_digits=12, decimal_places=2).
LARGEST_NUMBER = Decimal("9999999999.99")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class PlanConflict(EditConflict):
    """Someone else saved the plan after the editor opened it; `current` is their version."""


class GoalConflict(EditConflict):
    """Someone else saved the goal after the editor opened it; `current` is their version."""


# --- Small helpers ------------------------------------------------------------------------


class _Errors:
    """Collects messages per field, so a form shows every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a period of 1 August to 1 August is twelve)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def parse_number(value, *, label: str) -> tuple[Decimal | None, str | None]:
    """A number as people type it: `85`, `1,5` and `1.5` are numbers; blank is no number.

    Returns (number, None) or (None, message). The message says what was wrong with the
    value, so "85%" and "veel" each get an answer that helps to fix them.
    """
    if value is None:
        return None, None
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None, None
        if text.endswith("%") and _NUMBER.match(text[:-1]):
            return None, _(
                "Write the %(label)s as a number without the percent sign, for example "
                "%(number)s, and put “%%” in the unit field."
            ) % {"label": label, "number": text[:-1]}
        if not _NUMBER.match(text):
            if "," in text and "." in text or text.count(",") > 1 or text.count(".") > 1:
                return None, _(
                    "Write the %(label)s without thousands separators, for example 1500 or 1500,5."
                ) % {"label": label}
            return None, _(
                "The %(label)s must be a number, for example 85 or 1,5: “%(value)s” is not "
                "one. Say in words what you measure in the indicator field."
            ) % {"label": label, "value": text[:40]}
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None, _("The %(label)s must be a number, for example 85 or 1,5.") % {
                "label": label
            }
    if not number.is_finite():
        return None, _("The %(label)s must be a number, for example 85 or 1,5.") % {"label": label}
    if number != number.quantize(Decimal("0.01")):
        return None, _("Give the %(label)s with at most two decimals.") % {"label": label}
    if abs(number) > LARGEST_NUMBER:
        return None, _("The %(label)s is too large.") % {"label": label}
    return number.quantize(Decimal("0.01")), None


def _text(value, errors: _Errors, field: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors.add(field, _("Keep this under %(n)s characters.") % {"n": limit})
    return value


def _unit_of(obj) -> tuple[int, int | None]:
    return obj.board_id, obj.school_id


def _is_candidate(owner, board: Board, school: School | None) -> bool:
    return owner_candidates(board, school).filter(user=owner).exists()


def _owner_message(school: School | None) -> str:
    if school is None:
        return _("The owner of a board plan or goal needs a role on the board itself.")
    return _("The owner needs a role on the board or on this school.")


def _require_open(plan: Plan) -> None:
    """A closed plan is the record of what was planned and reached: it changes only when it is
    reopened first."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(
            _("This plan is closed. Reopen it (set its status to active) to change it.")
        )


def _periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


# --- Plans --------------------------------------------------------------------------------


PLAN_FIELDS = ("kind", "title", "description", "starts_on", "ends_on", "owner", "status")


def _clean_plan(
    *,
    board: Board,
    school: School | None,
    kind: str,
    title: str,
    description: str,
    starts_on: date | None,
    ends_on: date | None,
    owner,
    status: str,
    plan: Plan | None = None,
) -> dict:
    """Check a plan's fields; `plan` is the stored plan when it is being changed."""
    errors = _Errors()
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    title = _text(title, errors, "title", TITLE_MAX)
    if not title:
        errors.add("title", _("Give the plan a title."))
    description = _text(description, errors, "description")
    if kind not in PlanKind.values:
        errors.add("kind", _("Choose one of the kinds of plan in the list."))
    elif kind == PlanKind.STRATEGIC and school is not None:
        errors.add("kind", _("A strategic plan belongs to the board, not to a school."))
    elif kind == PlanKind.SCHOOL and school is None:
        errors.add(
            "kind", _("A school plan belongs to a school; the board writes a strategic plan.")
        )
    if status not in PlanStatus.values:
        errors.add("status", _("Choose one of the statuses in the list."))
    if starts_on is None:
        errors.add("starts_on", _("Give the first day of the plan's period."))
    if ends_on is None:
        errors.add("ends_on", _("Give the last day of the plan's period."))
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None and not plausible_date(day):
            errors.add(name, _("Give a date between the years 1900 and 2200."))
    if starts_on and ends_on and plausible_date(starts_on) and plausible_date(ends_on):
        if ends_on <= starts_on:
            errors.add("ends_on", _("The period must end after it starts."))
        elif kind in LONGEST:
            years, months = LONGEST[kind]
            if ends_on > add_months(starts_on, years * 12 + months):
                errors.add(
                    "ends_on",
                    _("A year plan runs for at most thirteen months.")
                    if kind == PlanKind.YEAR
                    else _("This kind of plan runs for at most four years and two months."),
                )
    current_owner = plan.owner_id if plan is not None else None
    if owner is not None and owner.pk != current_owner and not _is_candidate(owner, board, school):
        errors.add("owner", _owner_message(school))
    if plan is not None and plan.pk and starts_on and ends_on and "ends_on" not in errors:
        outside = (
            plan.goals.filter(target_date__isnull=False)
            .exclude(target_date__range=(starts_on, ends_on))
            .values_list("title", flat=True)[:3]
        )
        for goal_title in outside:
            errors.add(
                "ends_on",
                _(
                    "Goal “%(goal)s” has a target date outside this period; move its date "
                    "first, or choose a period that includes it."
                )
                % {"goal": goal_title[:80]},
            )
    if plan is not None and plan.pk and not {"kind", "starts_on", "ends_on"} & set(errors.errors):
        _check_links_still_hold(plan, kind, starts_on, ends_on, errors)
    errors.raise_any()
    return {
        "kind": kind,
        "title": title,
        "description": description,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "owner": owner,
        "status": status,
    }


def _check_links_still_hold(
    plan: Plan, kind: str, starts_on: date, ends_on: date, errors: _Errors
) -> None:
    """A changed kind or period may not break the links between board and school goals: goals
    of other plans that serve this plan's goals need it to stay a plan that can be served and
    to run at the same time as theirs; this plan's goals need the plans they serve to overlap
    the new period. The links are named, so the user knows what to change first."""
    serving = list(
        Goal.objects.filter(serves__plan=plan)
        .exclude(plan=plan)
        .select_related("plan", "serves")
        .order_by("plan__starts_on", "pk")
    )
    if serving and kind not in SERVED_KINDS:
        first = serving[0]
        errors.add(
            "kind",
            _(
                "Goals of other plans serve this plan's goals (such as “%(goal)s” of "
                "“%(plan)s”); only a strategic plan or a year plan can be served. Unlink them "
                "first, or keep the kind."
            )
            % {"goal": first.title[:80], "plan": first.plan.title[:80]},
        )
    for other in serving:
        if not _periods_overlap(other.plan.starts_on, other.plan.ends_on, starts_on, ends_on):
            errors.add(
                "ends_on",
                _(
                    "Goal “%(goal)s” of “%(plan)s” serves a goal of this plan and would no "
                    "longer run at the same time; unlink it first, or choose a period that "
                    "overlaps %(period)s."
                )
                % {
                    "goal": other.title[:80],
                    "plan": other.plan.title[:80],
                    "period": _period(other.plan),
                },
            )
    own = plan.goals.filter(serves__isnull=False).select_related("serves__plan")
    for goal in own:
        served = goal.serves.plan
        if not _periods_overlap(served.starts_on, served.ends_on, starts_on, ends_on):
            errors.add(
                "ends_on",
                _(
                    "Goal “%(goal)s” serves a goal of “%(plan)s”, which runs %(period)s; the "
                    "new period must overlap it, or unlink the goal first."
                )
                % {"goal": goal.title[:80], "plan": served.title[:80], "period": _period(served)},
            )


def _period(plan: Plan) -> str:
    return f"{plan.starts_on:%d-%m-%Y} – {plan.ends_on:%d-%m-%Y}"


def _save_plan(plan: Plan, cleaned: dict, user) -> Plan:
    for name, value in cleaned.items():
        setattr(plan, name, value)
    if user is not None:
        plan._history_user = user  # also outside a request (API, commands)
    plan.save()  # through save(), so the history records this version
    return plan


@transaction.atomic
def plan_create(
    *,
    board: Board,
    school: School | None,
    kind: str,
    title: str,
    starts_on: date | None,
    ends_on: date | None,
    owner=None,
    description: str = "",
    status: str = PlanStatus.DRAFT,
    user=None,
) -> Plan:
    """Start a plan of a unit (a school, or the board for `school=None`)."""
    cleaned = _clean_plan(
        board=board,
        school=school,
        kind=kind,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        owner=owner,
        status=status,
    )
    plan = Plan(board=board, school=school, created_by=user, created_at=timezone.now())
    return _save_plan(plan, cleaned, user)


@transaction.atomic
def plan_update(*, plan: Plan, revision: int, user=None, **changes) -> Plan:
    """Change a plan, refusing to overwrite a newer save.

    `changes` names any of kind, title, description, starts_on, ends_on, owner and status; a
    field left out keeps what is stored. The unit stays: a plan moved to another school would
    take its goals out of reach of the people who own them. The period may not leave a goal's
    target date outside it.
    """
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_update() got unexpected fields: {sorted(unknown)}")
    locked = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("board", "school", "owner")
        .get(pk=plan.pk)
    )
    if locked.revision != revision:
        raise PlanConflict(locked)
    values = {
        name: (getattr(locked, name) if changes.get(name, KEEP) is KEEP else changes[name])
        for name in PLAN_FIELDS
    }
    cleaned = _clean_plan(board=locked.board, school=locked.school, plan=locked, **values)
    reopened = cleaned["status"] != PlanStatus.CLOSED
    if not reopened and any(cleaned[name] != getattr(locked, name) for name in PLAN_FIELDS):
        _require_open(locked)
    locked.revision += 1
    return _save_plan(locked, cleaned, user)


def _shift(day: date | None, old_start: date, new_start: date) -> date | None:
    """Move a date as far as the plan's start moved: by whole months when the start keeps its
    day of the month (so 1 August stays 1 August), else by days."""
    if day is None:
        return None
    if old_start.day == new_start.day:
        months = (new_start.year - old_start.year) * 12 + new_start.month - old_start.month
        return add_months(day, months)
    return day + timedelta(days=(new_start - old_start).days)


@transaction.atomic
def plan_derive(
    *,
    previous: Plan,
    starts_on: date | None,
    ends_on: date | None,
    title: str | None = None,
    kind: str | None = None,
    owner=KEEP,
    user=None,
) -> Plan:
    """A new plan that carries on from `previous`: same unit, its themes and goals copied.

    What the old plan reached is where the new one starts: each goal's baseline becomes the
    value measured at its latest check-in that measured one (the old baseline stays where
    nothing was measured). Target dates move as far as the period moved, and stay inside the
    new period. Actions are not copied: what to do next is decided anew. A goal keeps the board
    goal it serves only when that goal's plan still overlaps the new period.
    """
    previous = Plan.objects.select_related("board", "school", "owner").get(pk=previous.pk)
    board, school = previous.board, previous.school
    if owner is KEEP:
        owner = previous.owner
        if owner is not None and not _is_candidate(owner, board, school):
            owner = None  # who has left the unit cannot answer for the new plan
    cleaned = _clean_plan(
        board=board,
        school=school,
        kind=kind or previous.kind,
        title=previous.title if title is None else title,
        description=previous.description,
        starts_on=starts_on,
        ends_on=ends_on,
        owner=owner,
        status=PlanStatus.DRAFT,
    )
    if starts_on <= previous.starts_on:
        raise ValidationError(
            {"starts_on": _("The new plan must start after the plan it carries on from.")}
        )
    plan = Plan(board=board, school=school, previous=previous, created_by=user)
    _save_plan(plan, cleaned, user)

    themes = {}
    for theme in previous.themes.all():
        themes[theme.pk] = Theme.objects.create(
            board=board,
            plan=plan,
            title=theme.title,
            description=theme.description,
            position=theme.position,
        )
    goals = list(
        previous.goals.select_related("owner", "serves__plan").prefetch_related(
            "standards", "indicators"
        )
    )
    measured = _last_measured([g.pk for g in goals])
    owners = set(
        owner_candidates(board, school)
        .filter(user__in=[g.owner_id for g in goals if g.owner_id])
        .values_list("user_id", flat=True)
    )
    for old in goals:
        target_date = _shift(old.target_date, previous.starts_on, plan.starts_on)
        if target_date is not None:
            target_date = min(max(target_date, plan.starts_on), plan.ends_on)
        serves = old.serves
        if serves is not None and not _periods_overlap(
            serves.plan.starts_on, serves.plan.ends_on, plan.starts_on, plan.ends_on
        ):
            serves = None
        goal = Goal(
            board=board,
            plan=plan,
            theme=themes.get(old.theme_id),
            title=old.title,
            indicator=old.indicator,
            baseline=measured.get(old.pk, old.baseline),
            target=old.target,
            unit=old.unit,
            target_date=target_date,
            owner=old.owner if old.owner_id in owners else None,
            serves=serves,
            position=old.position,
        )
        if user is not None:
            goal._history_user = user
        goal.save()
        goal.standards.set(old.standards.all())
        goal.indicators.set(old.indicators.all())
    return plan


def _last_measured(goal_ids: list[int]) -> dict[int, Decimal]:
    """Per goal, the value measured at its latest check-in that measured one."""
    latest: dict[int, Decimal] = {}
    rows = (
        CheckIn.objects.filter(goal_id__in=goal_ids, measured__isnull=False)
        .order_by("goal_id", "-held_on", "-pk")
        .values_list("goal_id", "measured")
    )
    for goal_id, value in rows:
        latest.setdefault(goal_id, value)
    return latest


# --- Themes -------------------------------------------------------------------------------


def _clean_theme(title: str, description: str) -> dict:
    errors = _Errors()
    title = _text(title, errors, "title", TITLE_MAX)
    if not title:
        errors.add("title", _("Name the theme in a few words."))
    description = _text(description, errors, "description")
    errors.raise_any()
    return {"title": title, "description": description}


@transaction.atomic
def theme_add(*, plan: Plan, title: str, description: str = "", user=None) -> Theme:
    """Add a theme at the end of the plan's themes."""
    cleaned = _clean_theme(title, description)
    _require_open(Plan.objects.select_for_update().get(pk=plan.pk))  # positions stay unique
    last = plan.themes.aggregate(last=Max("position"))["last"]
    theme = Theme(board=plan.board, plan=plan, position=(last or 0) + 1, **cleaned)
    if user is not None:
        theme._history_user = user
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, title: str, description: str = "", user=None) -> Theme:
    _require_open(Plan.objects.select_for_update().get(pk=theme.plan_id))
    cleaned = _clean_theme(title, description)
    for name, value in cleaned.items():
        setattr(theme, name, value)
    if user is not None:
        theme._history_user = user
    theme.save()
    return theme


@transaction.atomic
def theme_remove(*, theme: Theme, user=None) -> None:
    """Remove a theme; its goals stay in the plan, without a theme."""
    _require_open(Plan.objects.select_for_update().get(pk=theme.plan_id))
    Goal.objects.filter(theme=theme).update(theme=None)
    if user is not None:
        theme._history_user = user
    theme.delete()


# --- Goals --------------------------------------------------------------------------------


GOAL_FIELDS = (
    "title",
    "theme",
    "indicator",
    "baseline",
    "target",
    "unit",
    "target_date",
    "owner",
    "serves",
)
GOAL_LINKS = ("standards", "indicators")


def _serves_chain(board: Board) -> dict[int, int | None]:
    """Which goal each board-level goal serves, read in one query to follow chains in memory
    (only board-level goals can be served, so only they can be part of a circle)."""
    return dict(
        Goal.objects.filter(board=board, plan__school__isnull=True).values_list("pk", "serves_id")
    )


def _clean_goal(
    *,
    plan: Plan,
    title: str,
    theme: Theme | None,
    indicator: str,
    baseline,
    target,
    unit: str,
    target_date: date | None,
    owner,
    serves: Goal | None,
    standards: Iterable[Standard],
    indicators: Iterable[Indicator],
    goal: Goal | None = None,
) -> dict:
    """Check a goal's fields; `goal` is the stored goal when it is being changed."""
    errors = _Errors()
    board, school = plan.board, plan.school
    title = _text(title, errors, "title", GOAL_TITLE_MAX)
    if not title:
        errors.add("title", _("Say what it yields for pupils."))
    indicator = _text(indicator, errors, "indicator", SHORT_MAX)
    unit = _text(unit, errors, "unit", UNIT_MAX)
    if theme is not None and theme.plan_id != plan.pk:
        errors.add("theme", _("That theme belongs to another plan."))
    numbers = {}
    for field, label, value in (
        ("baseline", _("baseline"), baseline),
        ("target", _("target value"), target),
    ):
        numbers[field], message = parse_number(value, label=label)
        if message:
            errors.add(field, message)
    if target_date is not None and not plan.starts_on <= target_date <= plan.ends_on:
        errors.add(
            "target_date",
            _("The target date must fall within the plan's period, %(start)s to %(end)s.")
            % {
                "start": plan.starts_on.strftime("%d-%m-%Y"),
                "end": plan.ends_on.strftime("%d-%m-%Y"),
            },
        )
    current_owner = goal.owner_id if goal is not None else None
    if owner is not None and owner.pk != current_owner and not _is_candidate(owner, board, school):
        errors.add("owner", _owner_message(school))

    standards = list(standards)
    current_standards = (
        set(goal.standards.values_list("pk", flat=True)) if goal and goal.pk else set()
    )
    versions = allowed_versions(board, school)
    for standard in standards:
        if standard.pk not in current_standards and standard.framework_version_id not in versions:
            errors.add(
                "standards",
                _("Standard %(code)s is not part of a framework this unit has a picture on.")
                % {"code": standard.code},
            )
    indicators = list(indicators)
    for item in indicators:
        if item.board_id != board.pk:
            errors.add(
                "indicators",
                _("Indicator %(code)s is not one of this board's own indicators.")
                % {"code": item.code},
            )
    if serves is not None:
        _check_serves(plan, goal, serves, errors)
    errors.raise_any()
    return {
        "title": title,
        "theme": theme,
        "indicator": indicator,
        "baseline": numbers["baseline"],
        "target": numbers["target"],
        "unit": unit,
        "target_date": target_date,
        "owner": owner,
        "serves": serves,
        "links": {"standards": standards, "indicators": indicators},
    }


def _check_serves(plan: Plan, goal: Goal | None, serves: Goal, errors: _Errors) -> None:
    """A goal serves a goal of the board's strategic plan or of a board year plan that runs at
    the same time, and never (through others) itself."""
    target_plan = serves.plan
    if serves.board_id != plan.board_id or target_plan.board_id != plan.board_id:
        errors.add("serves", _("That goal belongs to another board."))
        return
    if target_plan.school_id is not None:
        errors.add(
            "serves",
            _("A goal can serve a goal of the board's own plans, not a goal of a school."),
        )
        return
    if target_plan.status == PlanStatus.CLOSED and (goal is None or goal.serves_id != serves.pk):
        errors.add("serves", _("That goal's plan is closed; choose a goal of a running plan."))
        return
    if target_plan.kind not in SERVED_KINDS:
        errors.add(
            "serves",
            _("A goal can serve a goal of the board's strategic plan or of a board year plan."),
        )
        return
    if goal is not None and goal.pk and serves.pk == goal.pk:
        errors.add("serves", _("A goal cannot serve itself."))
        return
    if target_plan.pk == plan.pk:
        errors.add("serves", _("A goal serves a goal of another plan, not one of its own plan."))
        return
    if not _periods_overlap(
        target_plan.starts_on, target_plan.ends_on, plan.starts_on, plan.ends_on
    ):
        errors.add(
            "serves",
            _("That goal's plan (%(period)s) does not run at the same time as this plan.")
            % {"period": _period(target_plan)},
        )
        return
    if goal is not None and goal.pk:
        chain = _serves_chain(plan.board)
        seen = set()
        step = serves.pk
        while step is not None and step not in seen:
            if step == goal.pk:
                errors.add(
                    "serves",
                    _(
                        "That would make a circle: “%(other)s” already serves this goal, "
                        "directly or through other goals."
                    )
                    % {"other": serves.title[:80]},
                )
                return
            seen.add(step)
            step = chain.get(step)


def _save_goal(goal: Goal, cleaned: dict, user) -> Goal:
    links = cleaned.pop("links")
    for name, value in cleaned.items():
        setattr(goal, name, value)
    if user is not None:
        goal._history_user = user
    goal.save()
    for name, objects in links.items():
        getattr(goal, name).set(objects)
    return goal


@transaction.atomic
def goal_create(
    *,
    plan: Plan,
    title: str,
    theme: Theme | None = None,
    indicator: str = "",
    baseline=None,
    target=None,
    unit: str = "",
    target_date: date | None = None,
    owner=None,
    serves: Goal | None = None,
    standards: Iterable[Standard] = (),
    indicators: Iterable[Indicator] = (),
    user=None,
) -> Goal:
    """Add a goal to a plan. Baseline and target may be typed as text ("1,5")."""
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("board", "school")
        .get(pk=plan.pk)
    )
    _require_open(plan)
    cleaned = _clean_goal(
        plan=plan,
        title=title,
        theme=theme,
        indicator=indicator,
        baseline=baseline,
        target=target,
        unit=unit,
        target_date=target_date,
        owner=owner,
        serves=serves,
        standards=standards,
        indicators=indicators,
    )
    last = plan.goals.aggregate(last=Max("position"))["last"]
    goal = Goal(board=plan.board, plan=plan, position=(last or 0) + 1)
    return _save_goal(goal, cleaned, user)


@transaction.atomic
def goal_update(*, goal: Goal, revision: int, user=None, **changes) -> Goal:
    """Change a goal, refusing to overwrite a newer save.

    `changes` names any of the fields of `goal_create`; a field left out keeps what is stored.
    The goal stays in its plan.
    """
    unknown = set(changes) - set(GOAL_FIELDS) - set(GOAL_LINKS)
    if unknown:
        raise TypeError(f"goal_update() got unexpected fields: {sorted(unknown)}")
    locked = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("plan__board", "plan__school", "theme", "owner", "serves__plan")
        .get(pk=goal.pk)
    )
    if locked.revision != revision:
        raise GoalConflict(locked)
    _require_open(locked.plan)
    values = {}
    for name in GOAL_FIELDS:
        value = changes.get(name, KEEP)
        values[name] = getattr(locked, name) if value is KEEP else value
    for name in GOAL_LINKS:
        value = changes.get(name, KEEP)
        values[name] = list(getattr(locked, name).all()) if value is KEEP else value
    cleaned = _clean_goal(plan=locked.plan, goal=locked, **values)
    locked.revision += 1
    return _save_goal(locked, cleaned, user)


# --- Check-ins ----------------------------------------------------------------------------


CONVERSATION_FIELDS = ("plan_text", "do_text", "check_text", "act_text", "securing_text")


@transaction.atomic
def check_in_add(
    *,
    goal: Goal,
    progress: str,
    held_on: date | None = None,
    measured=None,
    plan_text: str = "",
    do_text: str = "",
    check_text: str = "",
    act_text: str = "",
    securing_text: str = "",
    evidence: Iterable[Evidence] = (),
    user=None,
) -> CheckIn:
    """Record a PDCA conversation on a goal: what was said, the value measured, the judgement
    of progress and the evidence that shows it."""
    goal = Goal.objects.select_related("plan").get(pk=goal.pk)
    plan = goal.plan
    _require_open(plan)
    errors = _Errors()
    today = timezone.localdate()
    held_on = held_on or today
    if held_on > today:
        errors.add(
            "held_on", _("A check-in records a conversation that was held: not a future date.")
        )
    if progress not in Progress.values:
        errors.add("progress", _("Say how it is going: choose one of the judgements."))
    number, message = parse_number(measured, label=_("value measured"))
    if message:
        errors.add("measured", message)
    texts = {}
    for name, value in zip(
        CONVERSATION_FIELDS,
        (plan_text, do_text, check_text, act_text, securing_text),
        strict=True,
    ):
        texts[name] = _text(value, errors, name)
    evidence = list(evidence)
    for item in evidence:
        if _unit_of(item) != _unit_of(plan):
            errors.add(
                "evidence",
                _("Document “%(title)s” belongs to another school or board.")
                % {"title": item.title[:80]},
            )
    errors.raise_any()
    check_in = CheckIn.objects.create(
        board=goal.board,
        goal=goal,
        held_on=held_on,
        measured=number,
        progress=progress,
        author=user,
        **texts,
    )
    check_in.evidence.set(evidence)
    return check_in
