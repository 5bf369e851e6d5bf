"""What the services of plans, themes, goals, check-ins and actions check alike.

Each service checks everything before it writes anything and raises all problems of a form at
once (`Errors`); an update leaves out what it does not change (`KEEP`); texts have the same
limits everywhere; and a closed plan is the record of what was planned and reached, so nothing
in it changes until it is reopened (`require_open`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stelsel.organisations.models import School
from stelsel.planning.models import Plan, PlanStatus

MAX_TEXT = 20_000
TITLE_MAX = 200


class _Keep:
    """The default of an update's fields: leave what is stored."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


class Errors:
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


def clean_text(value, errors: Errors, field: str, limit: int = MAX_TEXT) -> str:
    """The text without surrounding blanks; too long adds a message on `field`."""
    value = (value or "").strip()
    if len(value) > limit:
        errors.add(field, _("Keep this under %(n)s characters.") % {"n": limit})
    return value


def owner_message(school: School | None) -> str:
    """Why the owner of a plan or goal of this unit is refused."""
    if school is None:
        return _("The owner of a board plan or goal needs a role on the board itself.")
    return _("The owner needs a role on the board or on this school.")


def require_open(plan: Plan) -> None:
    """A closed plan is the record of what was planned and reached: it changes only when it is
    reopened first."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(
            _("This plan is closed. Reopen it (set its status to active) to change it.")
        )
