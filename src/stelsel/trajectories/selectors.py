"""Reads for the programme office's pages: each a fixed number of queries, whatever the size of
the programme."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Length

from stelsel.trajectories.access import (
    applications_for_office,
    programme_roles,
    programmes_for_user,
    trajectories_for_user,
)
from stelsel.trajectories.matching import advisor_memberships
from stelsel.trajectories.models import (
    ApplicationState,
    AttentionQuadrant,
    Cohort,
    Intervention,
    InterventionLog,
    PeerGroup,
    PeerMeeting,
    Programme,
    ProgrammeMembership,
    ProgrammeRole,
    QuadrantKey,
    SizeBand,
    SupportNeed,
    Trajectory,
)
from stelsel.trajectories.network import size_band_for

# Case labels in their natural order ("Casus 2" before "Casus 10"): shorter labels first, then
# alphabetically, which orders the numbered labels a programme uses by their number.
BY_LABEL = (Length("label"), "label")


def programme_rows(user) -> list[dict]:
    """The user's programmes, each with the roles they hold on it."""
    rows = []
    for programme in programmes_for_user(user).order_by("name"):
        roles = programme_roles(user, programme)
        rows.append(
            {
                "programme": programme,
                "roles": [choice.label for choice in ProgrammeRole if choice.value in roles],
            }
        )
    return rows


def cohort_rows(programme: Programme):
    """The cohorts with their places taken (admitted boards) and applications waiting."""
    return (
        Cohort.objects.filter(programme=programme)
        .annotate(
            taken=Count("applications", filter=Q(applications__state=ApplicationState.ADMITTED)),
            waiting=Count("applications", filter=Q(applications__state=ApplicationState.SUBMITTED)),
        )
        .order_by("-starts_on", "-name")
    )


def applications_to_decide(user, programme: Programme):
    return (
        applications_for_office(user, programme)
        .filter(state=ApplicationState.SUBMITTED)
        .select_related("board", "cohort")
        .order_by("created_at")
    )


def trajectory_rows(user, programme: Programme):
    """The trajectories the user reads (all for the office, their own for an advisor)."""
    return (
        trajectories_for_user(user, programme)
        .select_related("board", "advisor", "cohort")
        .order_by("cohort__name", *BY_LABEL)
    )


def advisor_rows(programme: Programme):
    rows = list(advisor_memberships(programme))
    for row in rows:
        row.over = row.load > row.capacity
        row.full = row.load >= row.capacity
    return rows


def member_rows(programme: Programme):
    return (
        ProgrammeMembership.objects.filter(programme=programme)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def catalogue(programme: Programme) -> dict:
    """The programme's catalogues, with what each item is used by (for 'in use')."""
    quadrant_order = {key: index for index, key in enumerate(QuadrantKey.values)}
    quadrants = sorted(
        AttentionQuadrant.objects.filter(programme=programme),
        key=lambda quadrant: quadrant_order.get(quadrant.key, 99),
    )
    return {
        "needs": SupportNeed.objects.filter(programme=programme).annotate(
            uses=Count("trajectories", distinct=True)
        ),
        "interventions": Intervention.objects.filter(programme=programme).annotate(
            in_use=Exists(InterventionLog.objects.filter(intervention=OuterRef("pk")))
        ),
        "quadrants": quadrants,
        "questions": list(programme.triangle_questions or []),
    }


def network_overview(programme: Programme) -> list[dict]:
    """Per cohort: its peer groups in size order with their members, and the trajectories in no
    group yet with the size band their board's number of schools suggests."""
    trajectories = (
        Trajectory.objects.filter(programme=programme)
        .select_related("board")
        .annotate(schools=Count("board__schools", distinct=True))
        .order_by(*BY_LABEL)
    )
    groups = (
        PeerGroup.objects.filter(programme=programme)
        .annotate(meeting_count=Count("meetings", distinct=True))
        .prefetch_related(Prefetch("trajectories", queryset=Trajectory.objects.order_by(*BY_LABEL)))
    )
    grouped_ids: set[int] = set()
    by_cohort: dict[int, list] = {}
    for group in groups:
        by_cohort.setdefault(group.cohort_id, []).append(group)
        grouped_ids.update(t.pk for t in group.trajectories.all())
    loose: dict[int, list] = {}
    for trajectory in trajectories:
        trajectory.suggested_band = size_band_for(
            trajectory.schools if trajectory.board_id else None,
            single_school_board=trajectory.single_school_board,
        )
        if trajectory.pk not in grouped_ids:
            loose.setdefault(trajectory.cohort_id, []).append(trajectory)
    order = list(SizeBand.values)
    rows = []
    for cohort in Cohort.objects.filter(programme=programme).order_by("-starts_on", "-name"):
        cohort_groups = sorted(
            by_cohort.get(cohort.pk, []),
            key=lambda group: (order.index(group.size_band), group.name),
        )
        rows.append(
            {
                "cohort": cohort,
                "groups": cohort_groups,
                "loose": loose.get(cohort.pk, []),
                "trajectories": [t for t in trajectories if t.cohort_id == cohort.pk],
            }
        )
    return rows


def group_meetings(group: PeerGroup):
    return PeerMeeting.objects.filter(group=group).annotate(
        present=Count("attendance", filter=Q(attendance__present=True)),
        recorded=Count("attendance"),
    )


def group_candidates(group: PeerGroup):
    """Trajectories of the group's cohort not in it yet."""
    return (
        Trajectory.objects.filter(cohort_id=group.cohort_id)
        .exclude(peer_groups=group)
        .select_related("board")
        .order_by(*BY_LABEL)
    )


def meeting_attendance(meeting: PeerMeeting) -> list[dict]:
    """Each trajectory of the group with whether it was present (None: not recorded yet)."""
    recorded = dict(meeting.attendance.values_list("trajectory_id", "present"))
    return [
        {"trajectory": trajectory, "present": recorded.get(trajectory.pk)}
        for trajectory in meeting.group.trajectories.select_related("board").order_by(*BY_LABEL)
    ]
