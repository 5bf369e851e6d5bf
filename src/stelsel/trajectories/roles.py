"""What each role on a programme may do: the programme's side of the access rules.

Programme roles (`ProgrammeMembership`) are separate from roles on a board: a programme office
runs the programme and reads trajectory records but never a board's quality data; an advisor
works in their own trajectories (and reads the board's data only under the board's consent,
as an advisor on that board); a researcher reads the programme's analytics and nothing else.
A board's side (applying, consent) is held by board roles: `Permission.APPLY_FOR_SUPPORT` and
`Permission.VIEW_SUPPORT` in `organisations.roles`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stelsel.trajectories.models import ProgrammeRole


class ProgrammePermission(models.TextChoices):
    VIEW_PROGRAMME = "view_programme", _("Open the programme")
    MANAGE_PROGRAMME = "manage_programme", _("Change the programme, its cohorts and catalogues")
    MANAGE_PEOPLE = "manage_programme_people", _("Add advisors, researchers and office staff")
    DECIDE_APPLICATIONS = "decide_applications", _("Admit or refuse applications")
    VIEW_ALL_TRAJECTORIES = "view_all_trajectories", _("Read every trajectory's records")
    MANAGE_TRAJECTORIES = (
        "manage_trajectories",
        _("Match advisors, record agreements and triangle conversations"),
    )
    WORK_IN_TRAJECTORY = "work_in_trajectory", _("Log interventions in their own trajectories")
    MANAGE_NETWORK = "manage_network", _("Run the network of peer groups")
    VIEW_ANALYTICS = "view_analytics", _("Read the programme's analytics")


_OFFICE = {ProgrammeRole.OFFICE}

PROGRAMME_GRANTS: dict[str, set[str]] = {
    ProgrammePermission.VIEW_PROGRAMME: set(ProgrammeRole),
    ProgrammePermission.MANAGE_PROGRAMME: _OFFICE,
    ProgrammePermission.MANAGE_PEOPLE: _OFFICE,
    ProgrammePermission.DECIDE_APPLICATIONS: _OFFICE,
    ProgrammePermission.VIEW_ALL_TRAJECTORIES: _OFFICE,
    ProgrammePermission.MANAGE_TRAJECTORIES: _OFFICE,
    # Only the trajectory's own advisor logs in it (trajectories.access narrows to theirs).
    ProgrammePermission.WORK_IN_TRAJECTORY: {ProgrammeRole.ADVISOR},
    ProgrammePermission.MANAGE_NETWORK: _OFFICE,
    ProgrammePermission.VIEW_ANALYTICS: {ProgrammeRole.OFFICE, ProgrammeRole.RESEARCHER},
}
