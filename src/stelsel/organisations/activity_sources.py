"""The board's own records on its activity page: the board, its schools, roles, invitations and
who does what (registered in `OrganisationsConfig.ready()`, see `organisations.activity`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.organisations.activity import Source, register
from stelsel.organisations.models import (
    Board,
    Invitation,
    Membership,
    QualityOfficerProfile,
    QualityProcess,
    School,
)
from stelsel.organisations.roles import Permission, Role


def _membership(record) -> str:
    """A role's record; the person or school may have been removed since."""
    who = record.user or _("removed account #%(id)s") % {"id": record.user_id}
    label = f"{who} – {Role(record.role).label}"
    if record.school_id:
        label += f" – {record.school or _('removed school')}"
    return label


def _people(record) -> str:
    return reverse("organisations:people", args=[record.board_id])


def register_sources() -> None:
    register(
        Source(
            key="board",
            group="board",
            label=gettext_lazy("board"),
            records=lambda board: Board.history.filter(id=board.pk),
            describe=lambda r: r.name,
            school=None,
            link=lambda r: reverse("organisations:board_settings", args=[r.id]),
            view=Permission.MANAGE_BOARD,
        ),
        Source(
            key="school",
            group="board",
            label=gettext_lazy("school"),
            records=lambda board: School.history.filter(board_id=board.pk),
            describe=lambda r: r.name,
            school="id",
            link=lambda r: reverse("web:school_home", args=[r.board_id, r.id]),
            view=Permission.VIEW_SCHOOL,
        ),
        Source(
            key="membership",
            group="people",
            label=gettext_lazy("role"),
            records=lambda board: Membership.history.filter(board_id=board.pk).select_related(
                "user"
            ),
            describe=_membership,
            link=_people,
            view=Permission.VIEW_PEOPLE,
        ),
        Source(
            key="invitation",
            group="people",
            label=gettext_lazy("invitation"),
            records=lambda board: Invitation.history.filter(board_id=board.pk),
            describe=lambda r: f"{r.email} – {Role(r.role).label}",
            link=_people,
            view=Permission.VIEW_PEOPLE,
        ),
        Source(
            key="process",
            group="people",
            label=gettext_lazy("who does what"),
            records=lambda board: QualityProcess.history.filter(board_id=board.pk),
            describe=lambda r: r.name,
            school=None,
            link=lambda r: reverse("organisations:responsibilities", args=[r.board_id]),
            view=Permission.VIEW_BOARD,
            hidden=frozenset({"default_key"}),
        ),
        Source(
            key="officer_profile",
            group="people",
            label=gettext_lazy("quality officer's role"),
            records=lambda board: QualityOfficerProfile.history.filter(board_id=board.pk),
            describe=lambda r: str(r.user) if r.user_id and r.user else _("the role in general"),
            school=None,
            link=lambda r: reverse("organisations:officer_profile", args=[r.board_id]),
            view=Permission.VIEW_BOARD,
        ),
    )
