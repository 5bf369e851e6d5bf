"""The people of a programme: office staff, advisors (with expertise and capacity) and
researchers.

A person is added by the email address of their Stelsel account. Invitations in Stelsel belong
to a board and its roles; a programme role is not a board role, so someone without an account
is refused with a clear message: they first need an account (for instance by an invitation of
their own board, or from the site's administrator) and are then added here."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stelsel.accounts.models import User
from stelsel.trajectories.models import (
    Phase,
    Programme,
    ProgrammeMembership,
    ProgrammeRole,
    Trajectory,
)


@transaction.atomic
def programme_member_add(
    *,
    programme: Programme,
    email: str,
    role: str,
    expertise: str = "",
    capacity: int | None = None,
) -> ProgrammeMembership:
    """Give the person with this email address a role on the programme."""
    if role not in ProgrammeRole.values:
        raise ValidationError({"role": _("Choose a role on the programme.")})
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "No one with this email address has a Stelsel account. They need an account "
                    "first; add them here once they have one."
                )
            },
            code="no_account",
        )
    if ProgrammeMembership.objects.filter(programme=programme, user=user, role=role).exists():
        raise ValidationError(_("This person already has that role on the programme."))
    fields = {}
    if role == ProgrammeRole.ADVISOR:
        if capacity is not None and capacity < 1:
            raise ValidationError({"capacity": _("An advisor takes at least one trajectory.")})
        fields["expertise"] = (expertise or "").strip()
        if capacity is not None:
            fields["capacity"] = capacity
    try:
        with transaction.atomic():
            return ProgrammeMembership.objects.create(
                programme=programme, user=user, role=role, **fields
            )
    except IntegrityError as exc:
        raise ValidationError(_("This person already has that role on the programme.")) from exc


@transaction.atomic
def programme_member_update(
    *, membership: ProgrammeMembership, expertise: str, capacity: int
) -> ProgrammeMembership:
    """An advisor's expertise and the number of trajectories they take at once."""
    if membership.role != ProgrammeRole.ADVISOR:
        raise ValidationError(_("Only advisors have expertise and capacity here."))
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": _("An advisor takes at least one trajectory.")})
    membership.expertise = (expertise or "").strip()
    membership.capacity = capacity
    membership.save(update_fields=["expertise", "capacity"])
    return membership


@transaction.atomic
def programme_member_remove(*, membership: ProgrammeMembership) -> None:
    """Remove a role. The last office member stays (someone must run the programme), and an
    advisor who still runs trajectories here stays until they are matched to someone else."""
    membership = ProgrammeMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        return
    if membership.role == ProgrammeRole.OFFICE:
        offices = list(
            ProgrammeMembership.objects.select_for_update()
            .filter(programme_id=membership.programme_id, role=ProgrammeRole.OFFICE)
            .values_list("pk", flat=True)
        )
        if offices == [membership.pk]:
            raise ValidationError(
                _("This is the programme's last office member; add another one first."),
                code="last_office",
            )
    if (
        membership.role == ProgrammeRole.ADVISOR
        and Trajectory.objects.filter(
            programme_id=membership.programme_id, advisor_id=membership.user_id
        )
        .exclude(phase=Phase.CLOSED)
        .exists()
    ):
        raise ValidationError(
            _("This advisor still runs trajectories here; match them to another advisor first."),
            code="advisor_busy",
        )
    membership.delete()
