"""A board's application to a cohort of a programme, and withdrawing it.

The board executive applies with the support question, why now, and the eligibility criteria
that apply; what Stelsel itself finds for those criteria is stored beside the claims
(`eligibility.criteria_record`) for the programme office, which admits or refuses. A board
applies once to a programme at a time: while an application of it is submitted or admitted, or
a trajectory of it runs in the programme, a new one is refused, whatever the cohort.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.organisations.models import Board, Sector
from stelsel.trajectories import eligibility
from stelsel.trajectories.models import (
    LIVE_APPLICATION,
    Application,
    ApplicationState,
    Cohort,
    Phase,
    Programme,
    Trajectory,
)


def is_full(capacity: int | None, admitted: int) -> bool:
    """A cohort with a capacity is full once as many applications are admitted."""
    return capacity is not None and admitted >= capacity


def cohort_is_full(cohort: Cohort) -> bool:
    if cohort.capacity is None:
        return False
    admitted = Application.objects.filter(cohort=cohort, state=ApplicationState.ADMITTED).count()
    return is_full(cohort.capacity, admitted)


def with_admitted(cohorts):
    """Cohorts with the number of admitted applications (`admitted`), in the same query."""
    return cohorts.annotate(
        admitted=Count("applications", filter=Q(applications__state=ApplicationState.ADMITTED))
    )


def board_engaged_in(board: Board, programme) -> bool:
    """Whether the board already stands in the programme: a live application to any of its
    cohorts, or a trajectory in it that has not closed."""
    return (
        Application.objects.filter(
            LIVE_APPLICATION, board=board, cohort__programme=programme
        ).exists()
        or Trajectory.objects.filter(board=board, programme=programme)
        .exclude(phase=Phase.CLOSED)
        .exists()
    )


@transaction.atomic
def application_submit(
    *,
    cohort: Cohort,
    board: Board,
    applicant,
    question: str,
    motivation: str = "",
    claimed: list[str] | tuple = (),
    today: datetime.date | None = None,
) -> Application:
    """Apply; refuses a closed or full cohort, a board that already stands in the programme,
    an empty question and criteria the programme does not have. The programme and cohort rows
    are locked, so two applications cannot both take the last place nor both be a board's
    first in the programme."""
    today = today or timezone.localdate()
    # The programme row is locked before the check that the board does not stand in it yet:
    # locking the cohort alone let two requests of one board to two cohorts of the same
    # programme both pass the check and both be stored.
    programme = Programme.objects.select_for_update().get(pk=cohort.programme_id)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    cohort.programme = programme
    if board.sector != Sector.MIXED and programme.sector not in (board.sector, Sector.MIXED):
        # The pages offer only cohorts of the board's sector; the service holds the rule too.
        raise ValidationError(_("This programme is for boards of another sector."), code="sector")
    if not cohort.open_for_applications:
        raise ValidationError(_("This cohort is not open for applications."), code="closed")
    if cohort_is_full(cohort):
        raise ValidationError(_("This cohort is full: every place has been given."), code="full")
    if board_engaged_in(board, programme):
        raise ValidationError(
            _(
                "Your board already has an application to this programme or a trajectory in it; "
                "a board applies once."
            ),
            code="twice",
        )
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Describe your support question.")})
    single_school = board.is_single_school
    criteria = eligibility.criteria_for(programme, single_school=single_school)
    known = eligibility.criterion_keys(criteria)
    unknown = [key for key in claimed if key not in known]
    if unknown:
        raise ValidationError({"criteria": _("Unknown criterion: %(key)s.") % {"key": unknown[0]}})
    claimed = [key for key in known if key in set(claimed)]
    record = eligibility.criteria_record(
        programme, board, single_school=single_school, claimed=claimed, today=today
    )
    try:
        with transaction.atomic():
            return Application.objects.create(
                cohort=cohort,
                board=board,
                applicant=applicant,
                question=question,
                motivation=(motivation or "").strip(),
                single_school_board=single_school,
                criteria=record,
            )
    except IntegrityError:
        raise ValidationError(
            _("Your board already has an application to this cohort."), code="twice"
        ) from None


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application:
    """The board takes back an application the office has not decided on yet."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError(
            _("Only an application that is still waiting for a decision can be withdrawn."),
            code="decided",
        )
    application.state = ApplicationState.WITHDRAWN
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_by", "decided_at"])
    return application
