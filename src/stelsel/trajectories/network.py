"""The network: peer groups of boards of about the same size within a cohort, their meetings
and who attended.

Boards learn most from boards like them, so a group is one size band; the office is offered the
band that fits a board's number of schools and decides."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stelsel.trajectories.models import (
    Attendance,
    Cohort,
    PeerGroup,
    PeerMeeting,
    SizeBand,
    Trajectory,
)


def size_band_for(schools: int | None, *, single_school_board: bool = False) -> str | None:
    """The size band for a board of `schools` schools (None when unknown, as for an imported
    case of a board with more schools)."""
    if single_school_board or schools == 1:
        return SizeBand.SINGLE
    if not schools:
        return None
    if schools <= 5:
        return SizeBand.SMALL
    if schools <= 15:
        return SizeBand.MEDIUM
    return SizeBand.LARGE


@transaction.atomic
def peer_group_create(*, cohort: Cohort, name: str, size_band: str) -> PeerGroup:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if size_band not in SizeBand.values:
        raise ValidationError({"size_band": _("Choose the size of the boards in the group.")})
    name = name[:200]
    # A second group of the same name in a cohort is a form sent twice, not a new group.
    if PeerGroup.objects.filter(cohort=cohort, name__iexact=name).exists():
        raise ValidationError({"name": _("This cohort already has a group of that name.")})
    return PeerGroup.objects.create(
        programme_id=cohort.programme_id, cohort=cohort, name=name, size_band=size_band
    )


@transaction.atomic
def peer_group_add(*, group: PeerGroup, trajectory_ids: list[int]) -> int:
    """Add trajectories of the group's own cohort; returns how many were added."""
    wanted = {int(pk) for pk in trajectory_ids}
    if not wanted:
        raise ValidationError({"trajectories": _("Choose at least one trajectory.")})
    found = set(
        Trajectory.objects.filter(cohort_id=group.cohort_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        raise ValidationError(
            {"trajectories": _("Only trajectories of the group's own cohort can join it.")}
        )
    present = set(group.trajectories.values_list("pk", flat=True))
    group.trajectories.add(*(wanted - present))
    return len(wanted - present)


@transaction.atomic
def peer_group_remove(*, group: PeerGroup, trajectory: Trajectory) -> None:
    group.trajectories.remove(trajectory)


@transaction.atomic
def peer_meeting_create(*, group: PeerGroup, held_on, topic: str, notes: str = "") -> PeerMeeting:
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Give the meeting a topic.")})
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the meeting.")})
    # A form sent twice would record the meeting twice: the group is locked while we look.
    PeerGroup.objects.select_for_update().filter(pk=group.pk).first()
    if PeerMeeting.objects.filter(group=group, held_on=held_on, topic__iexact=topic).exists():
        raise ValidationError(
            _("This group already has a meeting on that day about that topic."), code="duplicate"
        )
    return PeerMeeting.objects.create(
        group=group, held_on=held_on, topic=topic[:200], notes=(notes or "").strip()
    )


@transaction.atomic
def attendance_record(*, meeting: PeerMeeting, present_ids: list[int]) -> dict[int, bool]:
    """Record who was present: every trajectory of the group gets a yes or a no, in one go."""
    members = set(meeting.group.trajectories.values_list("pk", flat=True))
    try:
        # str.isdigit() also passes "²" and other digits int() cannot read: refuse, not crash.
        present = {int(pk) for pk in present_ids}
    except (TypeError, ValueError):
        present = None
    if present is None or present - members:
        raise ValidationError(_("Only trajectories of the group can attend its meetings."))
    existing = {row.trajectory_id: row for row in meeting.attendance.select_for_update()}
    new, changed = [], []
    for trajectory_id in sorted(members):
        value = trajectory_id in present
        row = existing.get(trajectory_id)
        if row is None:
            new.append(Attendance(meeting=meeting, trajectory_id=trajectory_id, present=value))
        elif row.present != value:
            row.present = value
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present"])
    return {trajectory_id: trajectory_id in present for trajectory_id in members}
