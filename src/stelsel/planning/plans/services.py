"""Writes to plans and their themes.

A plan belongs to a unit (a school, or the board for `school=None`) and runs for a period. Its
themes group its goals (the goals themselves are written in `planning.goals.services`). A plan is
carried on by deriving the next one from it: same unit, its themes and goals copied, starting
from what was measured.

Each function is one transaction. Everything is checked before anything is written, and all
problems of a form are raised at once, so bad input leaves the plan exactly as it was. A form
that edits a plan carries the revision it was opened on; a save on top of someone else's newer
save is refused with the current version (`stelsel.lib.revisions.EditConflict`).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.lib.dates import plausible_date
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.organisations.models import Board, School
from stelsel.planning.models import (
    FOUR_YEAR_KINDS,
    CheckIn,
    Goal,
    Plan,
    PlanKind,
    PlanStatus,
    Theme,
)
from stelsel.planning.periods import add_months, period_text, periods_overlap
from stelsel.planning.units import is_owner_candidate, owner_candidates
from stelsel.planning.validation import (
    KEEP,
    TITLE_MAX,
    Errors,
    clean_text,
    owner_message,
    require_open,
)

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
    errors = Errors()
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    title = clean_text(title, errors, "title", TITLE_MAX)
    if not title:
        errors.add("title", _("Give the plan a title."))
    description = clean_text(description, errors, "description")
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
    if (
        owner is not None
        and owner.pk != current_owner
        and not is_owner_candidate(owner, board, school)
    ):
        errors.add("owner", owner_message(school))
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
    plan: Plan, kind: str, starts_on: date, ends_on: date, errors: Errors
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
        if not periods_overlap(other.plan.starts_on, other.plan.ends_on, starts_on, ends_on):
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
                    "period": period_text(other.plan),
                },
            )
    own = plan.goals.filter(serves__isnull=False).select_related("serves__plan")
    for goal in own:
        served = goal.serves.plan
        if not periods_overlap(served.starts_on, served.ends_on, starts_on, ends_on):
            errors.add(
                "ends_on",
                _(
                    "Goal “%(goal)s” serves a goal of “%(plan)s”, which runs %(period)s; the "
                    "new period must overlap it, or unlink the goal first."
                )
                % {
                    "goal": goal.title[:80],
                    "plan": served.title[:80],
                    "period": period_text(served),
                },
            )


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
    locked = lock_at_revision(
        Plan.objects.select_related("board", "school", "owner"), plan.pk, revision
    )
    values = {
        name: (getattr(locked, name) if changes.get(name, KEEP) is KEEP else changes[name])
        for name in PLAN_FIELDS
    }
    cleaned = _clean_plan(board=locked.board, school=locked.school, plan=locked, **values)
    reopened = cleaned["status"] != PlanStatus.CLOSED
    if not reopened and any(cleaned[name] != getattr(locked, name) for name in PLAN_FIELDS):
        require_open(locked)
    next_revision(locked)
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
        if owner is not None and not is_owner_candidate(owner, board, school):
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
        if serves is not None and not periods_overlap(
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
    errors = Errors()
    title = clean_text(title, errors, "title", TITLE_MAX)
    if not title:
        errors.add("title", _("Name the theme in a few words."))
    description = clean_text(description, errors, "description")
    errors.raise_any()
    return {"title": title, "description": description}


@transaction.atomic
def theme_add(*, plan: Plan, title: str, description: str = "", user=None) -> Theme:
    """Add a theme at the end of the plan's themes."""
    cleaned = _clean_theme(title, description)
    require_open(Plan.objects.select_for_update().get(pk=plan.pk))  # positions stay unique
    last = plan.themes.aggregate(last=Max("position"))["last"]
    theme = Theme(board=plan.board, plan=plan, position=(last or 0) + 1, **cleaned)
    if user is not None:
        theme._history_user = user
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, title: str, description: str = "", user=None) -> Theme:
    require_open(Plan.objects.select_for_update().get(pk=theme.plan_id))
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
    require_open(Plan.objects.select_for_update().get(pk=theme.plan_id))
    Goal.objects.filter(theme=theme).update(theme=None)
    if user is not None:
        theme._history_user = user
    theme.delete()
