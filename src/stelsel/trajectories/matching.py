"""Matching an advisor to a trajectory and recording the agreement.

The office sees each advisor's load (the running trajectories they advise) against the capacity
they agreed to, and their expertise. Matching beyond capacity is refused unless the office says
it does so knowingly: an overloaded advisor is the programme's commonest risk, but sometimes
the only fitting advisor is full."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stelsel.trajectories.admission import add_months
from stelsel.trajectories.models import (
    Consent,
    Phase,
    Programme,
    ProgrammeMembership,
    ProgrammeRole,
    Trajectory,
)

RUNNING = ~Q(phase=Phase.CLOSED)


def advisor_memberships(programme: Programme):
    """The programme's advisors with `load`: the running trajectories each advises here."""
    return (
        ProgrammeMembership.objects.filter(programme=programme, role=ProgrammeRole.ADVISOR)
        .select_related("user")
        .annotate(
            load=Count(
                "user__advised_trajectories",
                filter=Q(user__advised_trajectories__programme=programme)
                & ~Q(user__advised_trajectories__phase=Phase.CLOSED),
                distinct=True,
            )
        )
        .order_by("user__name", "user__email")
    )


def advisor_load(programme: Programme, user, *, excluding: Trajectory | None = None) -> int:
    running = Trajectory.objects.filter(programme=programme, advisor=user).filter(RUNNING)
    if excluding is not None:
        running = running.exclude(pk=excluding.pk)
    return running.count()


@transaction.atomic
def trajectory_match(
    *,
    trajectory: Trajectory,
    advisor,
    starts_on,
    ends_on=None,
    commitment: str,
    over_capacity: bool = False,
) -> Trajectory:
    """Match `advisor` and record the agreement: the period (by default the programme's
    duration, one year) and what the board commits to. The trajectory moves from intake to
    analysis; matching again later (another advisor) keeps its phase."""
    trajectory = (
        Trajectory.objects.select_for_update().select_related("programme").get(pk=trajectory.pk)
    )
    programme = trajectory.programme
    if trajectory.phase == Phase.CLOSED:
        raise ValidationError(_("This trajectory is closed."), code="closed")
    membership = (
        ProgrammeMembership.objects.select_for_update()
        .filter(programme=programme, role=ProgrammeRole.ADVISOR, user=advisor)
        .first()
        if advisor is not None
        else None
    )
    if membership is None or not advisor.is_active:
        raise ValidationError({"advisor": _("Choose an advisor of this programme.")})
    if (
        trajectory.advisor_id
        and trajectory.advisor_id != advisor.pk
        and Consent.objects.filter(trajectory=trajectory, withdrawn_at__isnull=True).exists()
    ):
        raise ValidationError(
            {
                "advisor": _(
                    "The board's consent for the current advisor still stands. Another advisor "
                    "can be matched once the board has withdrawn it."
                )
            }
        )
    load = advisor_load(programme, advisor, excluding=trajectory)
    if load >= membership.capacity and not over_capacity:
        raise ValidationError(
            {
                "advisor": _(
                    "This advisor already runs %(load)s of %(capacity)s trajectories. Match "
                    "anyway only if you mean to: tick that you match beyond capacity."
                )
                % {"load": load, "capacity": membership.capacity}
            },
            code="over_capacity",
        )
    if starts_on is None:
        raise ValidationError({"starts_on": _("Give the start date of the agreement.")})
    if ends_on is None:
        ends_on = add_months(starts_on, programme.default_months)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must lie after the start date.")})
    commitment = (commitment or "").strip()
    if not commitment:
        raise ValidationError({"commitment": _("Write down what the board commits to.")})
    trajectory.advisor = advisor
    trajectory.starts_on = starts_on
    trajectory.ends_on = ends_on
    trajectory.commitment = commitment
    if trajectory.phase == Phase.INTAKE:
        trajectory.phase = Phase.ANALYSIS
    trajectory.revision += 1
    trajectory.save(
        update_fields=["advisor", "starts_on", "ends_on", "commitment", "phase", "revision"]
    )
    return trajectory
