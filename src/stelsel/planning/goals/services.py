"""Writes to goals and the check-ins on them.

A goal says what a plan yields for pupils and when we are satisfied: a number by a date. School
goals name the board goal they serve, which is what makes the board's and the schools' plans one
story (DOMAIN §6). A check-in records a PDCA conversation on a goal: what was said, the value
measured and how it is going.

Each function is one transaction. Everything is checked before anything is written, and all
problems of a form are raised at once, so bad input leaves the goal exactly as it was. A form
that edits a goal carries the revision it was opened on; a save on top of someone else's newer
save is refused with the current version (`stelsel.lib.revisions.EditConflict`).
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import Standard
from stelsel.lib.date_formats import short_date
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.organisations.models import Board
from stelsel.picture.models import Evidence, Indicator
from stelsel.planning.models import CheckIn, Goal, Plan, PlanStatus, Progress, Theme
from stelsel.planning.numbers import parse_number
from stelsel.planning.periods import period_text, periods_overlap
from stelsel.planning.plans.services import SERVED_KINDS
from stelsel.planning.units import allowed_versions, is_owner_candidate
from stelsel.planning.validation import KEEP, Errors, clean_text, owner_message, require_open

GOAL_TITLE_MAX = 300
SHORT_MAX = 200
UNIT_MAX = 30


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
    errors = Errors()
    board, school = plan.board, plan.school
    title = clean_text(title, errors, "title", GOAL_TITLE_MAX)
    if not title:
        errors.add("title", _("Say what it yields for pupils."))
    indicator = clean_text(indicator, errors, "indicator", SHORT_MAX)
    unit = clean_text(unit, errors, "unit", UNIT_MAX)
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
                "start": short_date(plan.starts_on),
                "end": short_date(plan.ends_on),
            },
        )
    current_owner = goal.owner_id if goal is not None else None
    if (
        owner is not None
        and owner.pk != current_owner
        and not is_owner_candidate(owner, board, school)
    ):
        errors.add("owner", owner_message(school))

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


def _check_serves(plan: Plan, goal: Goal | None, serves: Goal, errors: Errors) -> None:
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
    if not periods_overlap(
        target_plan.starts_on, target_plan.ends_on, plan.starts_on, plan.ends_on
    ):
        errors.add(
            "serves",
            _("That goal's plan (%(period)s) does not run at the same time as this plan.")
            % {"period": period_text(target_plan)},
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
    require_open(plan)
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
    locked = lock_at_revision(
        Goal.objects.select_related(
            "plan__board", "plan__school", "theme", "owner", "serves__plan"
        ),
        goal.pk,
        revision,
    )
    require_open(locked.plan)
    values = {}
    for name in GOAL_FIELDS:
        value = changes.get(name, KEEP)
        values[name] = getattr(locked, name) if value is KEEP else value
    for name in GOAL_LINKS:
        value = changes.get(name, KEEP)
        values[name] = list(getattr(locked, name).all()) if value is KEEP else value
    cleaned = _clean_goal(plan=locked.plan, goal=locked, **values)
    next_revision(locked)
    return _save_goal(locked, cleaned, user)


def _unit_of(obj) -> tuple[int, int | None]:
    return obj.board_id, obj.school_id


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
    require_open(plan)
    errors = Errors()
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
        texts[name] = clean_text(value, errors, name)
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
