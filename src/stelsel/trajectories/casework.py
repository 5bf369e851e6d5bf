"""The advisor's casework in a trajectory, and the board's part in it.

The advisor logs interventions, divides the attention points, records a changed question
(re-contracting), moves the trajectory through its phases and records the case's support needs
and the insights the board gained. The board records its end evaluation and links the two
Stelsel objects the trajectory works with: the self-evaluation round with the reflection
questionnaire, and its plan of approach. Every write raises the trajectory's revision.

Phases: the advisor may move to any phase, forward or back, because the work is not linear (a
changed question sends a case back to conversations); only closing waits for the board's end
evaluation, which is what a closed case is reported with, and closing ends the board's consent
(the advisor's access to the board's data).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.lib.date_formats import short_date
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.planning.models import Plan, PlanKind
from stelsel.planning.plans.services import plan_create
from stelsel.selfevaluation.models import QuestionnaireVersion
from stelsel.selfevaluation.services import round_create
from stelsel.trajectories.consent import consent_withdraw, standing_consent
from stelsel.trajectories.models import (
    Intervention,
    InterventionLog,
    Phase,
    QuadrantKey,
    Recontract,
    Trajectory,
)

ATTENTION_POINTS = 4
REFLECTION_QUESTIONNAIRE = "reflectie-bestuur-bka"
REFLECTION_DAYS = 21
# The earliest day a log entry (or an imported one) may carry. A trajectory without an agreed
# period nor a cohort's has no start to check against; without a floor, a typing slip such as
# year 0001 would be stored and stretch every chart over two thousand years.
EARLIEST = datetime.date(1990, 1, 1)


def _lock(trajectory: Trajectory, revision: int | None = None) -> Trajectory:
    queryset = Trajectory.objects.select_related("programme", "cohort", "board")
    if revision is not None:
        return lock_at_revision(queryset, trajectory.pk, revision)
    return queryset.select_for_update(of=("self",)).get(pk=trajectory.pk)


def _save(trajectory: Trajectory, fields: list[str]) -> Trajectory:
    next_revision(trajectory)
    trajectory.save(update_fields=[*fields, "revision"])
    return trajectory


def trajectory_period(trajectory: Trajectory) -> tuple[datetime.date | None, datetime.date | None]:
    """The agreed period, or the cohort's while no agreement records one."""
    return (
        trajectory.starts_on or trajectory.cohort.starts_on,
        trajectory.ends_on or trajectory.cohort.ends_on,
    )


@transaction.atomic
def intervention_log(
    *,
    trajectory: Trajectory,
    user,
    intervention: Intervention,
    on: datetime.date,
    with_whom: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> InterventionLog:
    """Log an intervention of the programme's catalogue, dated within the trajectory and not in
    the future."""
    today = today or timezone.localdate()
    trajectory = _lock(trajectory)
    if trajectory.phase == Phase.CLOSED:
        raise ValidationError(_("This trajectory is closed; its log is complete."), code="closed")
    errors = {}
    if intervention.programme_id != trajectory.programme_id:
        errors["intervention"] = _("Choose an intervention of this programme's catalogue.")
    starts_on, ends_on = trajectory_period(trajectory)
    starts_on = max(starts_on or EARLIEST, EARLIEST)
    if on > today:
        errors["on"] = _("An intervention cannot be logged ahead of its date.")
    elif (starts_on and on < starts_on) or (ends_on and on > ends_on):
        errors["on"] = _("The date lies outside the trajectory (%(start)s to %(end)s).") % {
            "start": short_date(starts_on) if starts_on else "…",
            "end": short_date(ends_on) if ends_on else "…",
        }
    if errors:
        raise ValidationError(errors)
    with_whom, note = (with_whom or "").strip(), (note or "").strip()
    # A form sent twice (a double click, the browser's back and resend) would log the same
    # entry twice; the trajectory row is locked, so this check holds under concurrency too.
    if InterventionLog.objects.filter(
        trajectory=trajectory, intervention=intervention, on=on, with_whom=with_whom, note=note
    ).exists():
        raise ValidationError(
            _("This intervention is already logged on that day with the same note."),
            code="duplicate",
        )
    entry = InterventionLog.objects.create(
        trajectory=trajectory,
        intervention=intervention,
        on=on,
        with_whom=with_whom,
        note=note,
        recorded_by=user,
    )
    _save(trajectory, [])
    return entry


@transaction.atomic
def attention_set(*, trajectory: Trajectory, points: dict[str, int]) -> Trajectory:
    """The advisor divides exactly four points over the four quadrants."""
    if set(points) != set(QuadrantKey.values):
        raise ValidationError(_("Give points for each of the four quadrants."))
    values = {}
    for key, value in points.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(
                {key: _("Points are whole numbers of 0 or more.")}, code="negative"
            )
        values[key] = value
    total = sum(values.values())
    if total != ATTENTION_POINTS:
        raise ValidationError(
            _("The points must add up to exactly 4; these add up to %(total)d.") % {"total": total},
            code="sum",
        )
    trajectory = _lock(trajectory)
    for key, value in values.items():
        setattr(trajectory, key, value)
    return _save(trajectory, list(values))


@transaction.atomic
def recontract_record(
    *,
    trajectory: Trajectory,
    user,
    question: str,
    reason: str,
    revision: int | None = None,
    on: datetime.date | None = None,
) -> Recontract:
    """The question changed: keep what it was, what it became and why, and make the new one the
    trajectory's question. With `revision`, refuses when the trajectory changed since
    (`EditConflict`)."""
    question, reason = (question or "").strip(), (reason or "").strip()
    errors = {}
    if not question:
        errors["question"] = _("Write the new support question.")
    if not reason:
        errors["reason"] = _("Say why the question changed.")
    if errors:
        raise ValidationError(errors)
    trajectory = _lock(trajectory, revision)
    if question == trajectory.question.strip():
        raise ValidationError({"question": _("This is the question the trajectory already has.")})
    recontract = Recontract.objects.create(
        trajectory=trajectory,
        on=on or timezone.localdate(),
        previous_question=trajectory.question,
        question=question,
        reason=reason,
        recorded_by=user,
    )
    trajectory.question = question
    _save(trajectory, ["question"])
    return recontract


@transaction.atomic
def phase_set(*, trajectory: Trajectory, phase: str) -> Trajectory:
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Unknown phase.")})
    trajectory = _lock(trajectory)
    if phase == Phase.CLOSED and not trajectory.end_evaluation.strip():
        raise ValidationError(
            {"phase": _("A trajectory is closed after the board's end evaluation.")},
            code="no_evaluation",
        )
    trajectory.phase = phase
    trajectory = _save(trajectory, ["phase"])
    if phase == Phase.CLOSED and standing_consent(trajectory) is not None:
        # A closed trajectory needs no access to the board's data: the consent ends with it.
        consent_withdraw(trajectory=trajectory, user=None)
    return trajectory


@transaction.atomic
def needs_set(*, trajectory: Trajectory, needs) -> Trajectory:
    needs = list(needs)
    if any(need.programme_id != trajectory.programme_id for need in needs):
        raise ValidationError({"needs": _("Choose support needs of this programme's catalogue.")})
    trajectory = _lock(trajectory)
    trajectory.needs.set(needs)
    return _save(trajectory, [])


@transaction.atomic
def insights_set(*, trajectory: Trajectory, insights: str) -> Trajectory:
    trajectory = _lock(trajectory)
    trajectory.insights = (insights or "").strip()
    return _save(trajectory, ["insights"])


@transaction.atomic
def end_evaluation_record(*, trajectory: Trajectory, text: str) -> Trajectory:
    """The board's end evaluation, in its own words; recorded again replaces it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the board's evaluation.")})
    trajectory = _lock(trajectory)
    trajectory.end_evaluation = text
    trajectory.end_evaluated_at = timezone.now()
    return _save(trajectory, ["end_evaluation", "end_evaluated_at"])


def reflection_questionnaire() -> QuestionnaireVersion | None:
    """The latest version of the library's reflection questionnaire, once loaded."""
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire__slug=REFLECTION_QUESTIONNAIRE, questionnaire__board__isnull=True
        )
        .select_related("questionnaire")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def reflection_round_start(*, trajectory: Trajectory, user, today: datetime.date | None = None):
    """A draft board round with the reflection questionnaire, linked to the trajectory; the
    board office sets its dates and groups and opens it like any other round."""
    today = today or timezone.localdate()
    trajectory = _lock(trajectory)
    if trajectory.round_id is not None:
        raise ValidationError(_("This trajectory already has its self-evaluation round."))
    version = reflection_questionnaire()
    if version is None:
        raise ValidationError(
            _("The reflection questionnaire is not loaded yet; load the questionnaire library.")
        )
    round_ = round_create(
        board=trajectory.board,
        questionnaire_version=version,
        title=_("Reflection on BKA1-3: %(programme)s") % {"programme": trajectory.programme.name},
        opens_on=today,
        closes_on=today + datetime.timedelta(days=REFLECTION_DAYS),
        perspectives=[(code, "") for code in version.perspectives],
        created_by=user,
    )
    trajectory.round = round_
    _save(trajectory, ["round"])
    return round_


@transaction.atomic
def plan_link(*, trajectory: Trajectory, user, plan: Plan | None = None) -> Plan:
    """Link a plan of the board as the plan of approach, or start one (a board improvement
    plan over the trajectory's period) when none is given."""
    trajectory = _lock(trajectory)
    if plan is None:
        starts_on, ends_on = trajectory_period(trajectory)
        starts_on = starts_on or timezone.localdate()
        plan = plan_create(
            board=trajectory.board,
            school=None,
            kind=PlanKind.IMPROVEMENT,
            title=_("Plan of approach %(programme)s") % {"programme": trajectory.programme.name},
            starts_on=starts_on,
            ends_on=ends_on or starts_on + datetime.timedelta(days=364),
            owner=user,
            user=user,
        )
    elif plan.board_id != trajectory.board_id:
        raise ValidationError({"plan": _("Choose a plan of your own board.")})
    trajectory.plan = plan
    _save(trajectory, ["plan"])
    return plan
