"""The board's consent: the trajectory's advisor reads the board's Stelsel data while it stands.

Granting gives the advisor an advisor membership of the board, the one role through which all
of Stelsel's access rules already let a person read a board's data and nothing more; an advisor
who already holds that role on the board keeps it and the consent creates none. Withdrawing
deletes only the membership the consent created, so a standing advisor role the board gave
itself stays; the trajectory's own records (log, attention, reports) stay with the programme.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.organisations.access import forget_grants
from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.services import membership_create, membership_delete
from stelsel.trajectories.models import Consent, Phase, Trajectory


def standing_consent(trajectory: Trajectory) -> Consent | None:
    return (
        Consent.objects.filter(trajectory=trajectory, withdrawn_at__isnull=True)
        .select_related("advisor", "granted_by")
        .first()
    )


def _locked(trajectory: Trajectory) -> Trajectory:
    return (
        Trajectory.objects.select_for_update(of=("self",))
        .select_related("board", "advisor")
        .get(pk=trajectory.pk)
    )


@transaction.atomic
def consent_grant(*, trajectory: Trajectory, user) -> Consent:
    trajectory = _locked(trajectory)
    if trajectory.board_id is None:
        raise ValidationError(_("This case has no board."), code="no_board")
    if trajectory.phase == Phase.CLOSED:
        raise ValidationError(_("This trajectory is closed."), code="closed")
    if trajectory.advisor_id is None:
        raise ValidationError(
            _("No advisor has been matched yet; consent can be given once there is one."),
            code="no_advisor",
        )
    if standing_consent(trajectory) is not None:
        raise ValidationError(_("Consent has already been given."), code="standing")
    has_role = Membership.objects.filter(
        user_id=trajectory.advisor_id,
        board_id=trajectory.board_id,
        school__isnull=True,
        role=Role.ADVISOR,
    ).exists()
    membership = None
    if not has_role:
        membership = membership_create(
            user=trajectory.advisor, board=trajectory.board, role=Role.ADVISOR
        )
    consent = Consent.objects.create(
        trajectory=trajectory,
        advisor_id=trajectory.advisor_id,
        membership=membership,
        granted_by=user,
    )
    forget_grants(trajectory.advisor)
    return consent


@transaction.atomic
def consent_withdraw(*, trajectory: Trajectory, user) -> Consent:
    """Ends the advisor's reach into the board's data at once: the membership the consent
    created is deleted in the same transaction, so the advisor's next request finds no role."""
    trajectory = _locked(trajectory)
    consent = standing_consent(trajectory)
    if consent is None:
        raise ValidationError(_("There is no consent to withdraw."), code="none")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user
    membership = consent.membership
    consent.membership = None
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "membership"])
    if membership is not None:
        membership_delete(membership=membership)
    forget_grants(consent.advisor)
    if user is not None:
        forget_grants(user)
    return consent
