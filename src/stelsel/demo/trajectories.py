"""The demo's support programme: the primary sector council's preventive programme for board
executives, with a closed cohort, a running one and one open for applications.

Stichting Vechtdal Onderwijs applied after KBS Sint Jozef was judged insufficient in March 2026,
was admitted late to the running cohort 2025-2026, and works since May with its advisor Marleen
Hoekstra. She reads the board's Stelsel data because the board executive consented to it for
the trajectory (and no longer as a standing advisor of the board): withdrawing the consent ends
her access at once. The other cases are the programme office's records of boards outside the
demo (no board, only a label), so the analytics have two cohorts of ten cases to count. A
programme office member and a researcher complete the programme's people.

Everything carries the date of its story, not the day the demo was loaded.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from stelsel.accounts.services import user_create
from stelsel.demo.board import DEMO_PASSWORD, DemoLogin
from stelsel.demo.story import at, created
from stelsel.organisations.access import forget_grants
from stelsel.organisations.models import Board, Membership
from stelsel.organisations.roles import Role
from stelsel.trajectories import consent, network
from stelsel.trajectories.catalogues import programme_create
from stelsel.trajectories.models import (
    Application,
    ApplicationState,
    Cohort,
    InterventionLog,
    Phase,
    Programme,
    ProgrammeMembership,
    ProgrammeRole,
    SizeBand,
    Trajectory,
    TriangleConversation,
)

SLUG = "bestuurders-po"
NAME = "Bestuurders van onderwijskwaliteit"
ORGANISER = "PO-Raad (voorbeeld)"
PROGRAMME_STARTED = datetime.date(2024, 6, 3)

OFFICE = (
    "programma@demo.stelsel.nl",
    "Judith Verhoeven",
    "programme office of the support programme",
)
RESEARCHER = ("onderzoek@demo.stelsel.nl", "Karim Haddou", "researcher of the support programme")
ADVISOR = "adviseur@demo.stelsel.nl"
EXECUTIVE = "bestuurder@demo.stelsel.nl"

# name, start, end, open for applications
COHORTS = [
    ("2024-2025", datetime.date(2024, 9, 1), datetime.date(2025, 8, 31), False),
    ("2025-2026", datetime.date(2025, 10, 1), datetime.date(2027, 4, 30), False),
    ("2026-2027", datetime.date(2027, 2, 1), datetime.date(2028, 1, 31), True),
]

# One case of the office's records: single-school board, needs and interventions (indexes into
# the default catalogues, an intervention as often as it was logged), the attention points
# (person directing, person executing, organisation directing, organisation executing).
CLOSED_CASES = [
    (False, (0, 2, 6), (9, 9, 10, 4, 0), (2, 0, 1, 1)),
    (True, (0, 3), (8, 9, 2, 12), (2, 1, 1, 0)),
    (False, (2, 4, 6), (0, 4, 6, 7), (1, 0, 2, 1)),
    (False, (5, 6), (14, 1, 11, 12), (0, 0, 2, 2)),
    (True, (0, 1, 3), (9, 10, 8), (3, 1, 0, 0)),
    (False, (2, 4), (0, 3, 5, 13), (1, 0, 2, 1)),
    (False, (0, 5, 6), (6, 7, 1, 9, 9), (2, 0, 1, 1)),
    (True, (3, 7), (2, 5, 12), (1, 1, 1, 1)),
    (False, (0, 2), (9, 10, 13, 0), (2, 0, 2, 0)),
    (False, (1, 6, 7), (14, 7, 4), (1, 0, 2, 1)),
]
RUNNING_CASES = [
    (False, (0, 2), (9, 8, 0), (2, 0, 1, 1)),
    (True, (0, 3), (9, 10, 2), (2, 1, 1, 0)),
    (False, (2, 4, 6), (0, 4, 13), (1, 0, 2, 1)),
    (False, (5, 6), (14, 1, 12), (0, 1, 2, 1)),
    (True, (0, 1), (8, 9, 9, 10), (3, 0, 1, 0)),
    (False, (4, 6), (0, 5, 6), (1, 0, 2, 1)),
    (False, (0, 3, 5), (7, 9, 2), (2, 0, 1, 1)),
    (True, (3, 5), (2, 12, 11), (1, 1, 1, 1)),
    (False, (2, 6, 7), (4, 6, 13), None),  # the advisor has not divided the points yet
]
RUNNING_PHASES = [
    Phase.EXECUTION,
    Phase.PLAN,
    Phase.EXECUTION,
    Phase.ADVICE,
    Phase.EXECUTION,
    Phase.PLAN,
    Phase.CONVERSATIONS,
    Phase.EXECUTION,
    Phase.ADVICE,
]

# Stichting Vechtdal Onderwijs in the running cohort.
APPLIED = datetime.date(2026, 4, 9)
ADMITTED = datetime.date(2026, 4, 20)
INTAKE = datetime.date(2026, 4, 28)
STARTS = datetime.date(2026, 5, 1)
ENDS = datetime.date(2027, 4, 30)
CONSENTED = datetime.date(2026, 5, 6)
QUESTION = (
    "Hoe krijgen we als bestuur eerder en scherper zicht op de kwaliteit van onze scholen, "
    "zodat we niet opnieuw door een oordeel van de inspectie worden verrast?"
)
SHARPENED = (
    "Hoe voer ik als bestuurder het gesprek met de schoolleiders over de kwaliteit van hun "
    "onderwijs, zo dat zorgen vroeg op tafel komen en we samen bijsturen?"
)
# date, intervention index, with whom, note
VECHTDAL_LOG = [
    (datetime.date(2026, 5, 12), 8, "Bestuurder", "De vraag achter de vraag uitgewerkt."),
    (datetime.date(2026, 6, 2), 14, "", "Bestuursdocumenten en kwaliteitskalender gelezen."),
    (datetime.date(2026, 6, 23), 9, "Bestuurder", "Eerste coachingsgesprek over de eigen rol."),
    (datetime.date(2026, 9, 15), 0, "Schoolleiders", "Werksessie over de kwaliteitsgesprekken."),
    (datetime.date(2026, 10, 13), 2, "Raad van toezicht", "Gesprek over het toetsingskader."),
    (datetime.date(2026, 11, 10), 9, "Bestuurder", "Tweede coachingsgesprek."),
]
TRIANGLE_HELD = datetime.date(2026, 9, 24)
TRIANGLE_ANSWERS = [
    "Waardevol: de bestuurder ziet haar eigen rol in de gesprekken met schoolleiders scherper.",
    "De vraag is aangescherpt van zicht op kwaliteit naar het gesprek erover.",
    "De kwaliteitsgesprekken hebben nu een vaste agenda met de eigen ambities.",
    "Open en zakelijk; afspraken worden nagekomen.",
    "Ondersteuning bij het gesprek met de raad van toezicht.",
    "Tweede driehoeksgesprek in maart 2027.",
]


def _user(email: str, name: str, joined: datetime.datetime):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=DEMO_PASSWORD, name=name)
        User.objects.filter(pk=user.pk).update(date_joined=joined)
    return user


def _member(user, programme, role, joined, **fields) -> None:
    membership = ProgrammeMembership.objects.create(
        user=user, programme=programme, role=role, **fields
    )
    created(membership, joined)


def _case(cohort, label, spec, catalogue, *, starts, ends, phase, log_days, imported=True):
    single, needs, interventions, points = spec
    attention = dict(
        zip(
            (
                "person_directing",
                "person_executing",
                "organisation_directing",
                "organisation_executing",
            ),
            points or (None,) * 4,
            strict=True,
        )
    )
    trajectory = Trajectory.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        label=label,
        single_school_board=single,
        starts_on=starts,
        ends_on=ends,
        phase=phase,
        imported=imported,
        **attention,
    )
    trajectory.needs.set([catalogue["needs"][i] for i in needs])
    entries = InterventionLog.objects.bulk_create(
        InterventionLog(
            trajectory=trajectory,
            intervention=catalogue["interventions"][index],
            on=starts + datetime.timedelta(days=log_days * (n + 1)),
        )
        for n, index in enumerate(interventions)
    )
    created(trajectory, at(starts))
    for entry in entries:
        created(entry, at(entry.on, 16))
    return trajectory


def _vechtdal(board, cohort, catalogue, office, advisor, executive) -> Trajectory:
    application = Application.objects.create(
        cohort=cohort,
        board=board,
        applicant=executive,
        question=QUESTION,
        motivation="KBS Sint Jozef is in maart 2026 als onvoldoende beoordeeld.",
        criteria={
            "claimed": ["judged_insufficient"],
            "found": {
                "judged_insufficient": ["KBS Sint Jozef: onvoldoende (12 maart 2026)"],
            },
            "confirmed": ["judged_insufficient"],
        },
        state=ApplicationState.ADMITTED,
        decided_by=office,
        decided_at=at(ADMITTED, 14),
    )
    created(application, at(APPLIED, 10))
    trajectory = Trajectory.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        board=board,
        application=application,
        label="Casus 10",
        advisor=advisor,
        question=SHARPENED,
        intake_on=INTAKE,
        intake_notes=(
            "De eerste vraag ging over zicht op kwaliteit; in het gesprek bleek het gesprek met "
            "de schoolleiders de kern."
        ),
        starts_on=STARTS,
        ends_on=ENDS,
        commitment="De bestuurder trekt elke maand een dagdeel vrij; de RvT is geïnformeerd.",
        phase=Phase.PLAN,
        person_directing=2,
        person_executing=0,
        organisation_directing=1,
        organisation_executing=1,
        insights="Helderheid over de eigen rol in het gesprek met de schoolleiders.",
    )
    trajectory.needs.set([catalogue["needs"][i] for i in (0, 2, 6)])
    created(trajectory, at(ADMITTED, 14))
    for day, index, with_whom, note in VECHTDAL_LOG:
        entry = InterventionLog.objects.create(
            trajectory=trajectory,
            intervention=catalogue["interventions"][index],
            on=day,
            with_whom=with_whom,
            note=note,
            recorded_by=advisor,
        )
        created(entry, at(day, 17))
    triangle = TriangleConversation.objects.create(
        trajectory=trajectory,
        number=1,
        held_on=TRIANGLE_HELD,
        lead=office,
        report=[
            {"question": q, "answer": a}
            for q, a in zip(cohort.programme.triangle_questions, TRIANGLE_ANSWERS, strict=False)
        ],
    )
    created(triangle, at(TRIANGLE_HELD, 15))
    return trajectory


def _consent(trajectory, board, advisor, executive) -> None:
    """The advisor's access to the board now comes from the board's consent for the
    trajectory, not from a standing advisor role: withdrawing it ends the access."""
    standing = Membership.objects.filter(
        user=advisor, board=board, role=Role.ADVISOR, school__isnull=True
    ).first()
    if standing is not None:
        pk = standing.pk
        standing.delete()
        Membership.history.filter(id=pk, history_type="-").update(history_date=at(CONSENTED, 10))
    forget_grants(advisor)
    given = consent.consent_grant(trajectory=trajectory, user=executive)
    created(given, at(CONSENTED, 11), also=("granted_at",))
    if given.membership_id:
        created(given.membership, at(CONSENTED, 11))


def _network(running, trajectories, vechtdal) -> None:
    groups = [
        (
            "Middelgrote besturen",
            SizeBand.MEDIUM,
            [vechtdal, *trajectories[:3]],
            datetime.date(2026, 10, 8),
            "Het kwaliteitsgesprek met de schoolleiding",
            {1},
        ),
        (
            "Eenpitters",
            SizeBand.SINGLE,
            [t for t in trajectories if t.single_school_board],
            datetime.date(2026, 10, 15),
            "Intern toezicht op de kwaliteit",
            {1, 2},
        ),
    ]
    for name, band, members, held_on, topic, absent in groups:
        group = network.peer_group_create(cohort=running, name=name, size_band=band)
        created(group, at(datetime.date(2026, 6, 1)))
        network.peer_group_add(group=group, trajectory_ids=[t.pk for t in members])
        meeting = network.peer_meeting_create(group=group, held_on=held_on, topic=topic)
        created(meeting, at(held_on, 16))
        present = [t.pk for n, t in enumerate(members) if n not in absent]
        network.attendance_record(meeting=meeting, present_ids=present)


@transaction.atomic
def demo_trajectories_create(board: Board) -> list[DemoLogin]:
    """The programme with its cohorts, cases, people and network; skipped (the logins still
    returned) when the programme is there already."""
    started = at(PROGRAMME_STARTED)
    office = _user(*OFFICE[:2], started)
    researcher = _user(*RESEARCHER[:2], started)
    logins = [
        DemoLogin(OFFICE[0], OFFICE[1], OFFICE[2]),
        DemoLogin(RESEARCHER[0], RESEARCHER[1], RESEARCHER[2]),
    ]
    if Programme.objects.filter(slug=SLUG).exists():
        return logins
    User = get_user_model()
    advisor = User.objects.get(email=ADVISOR)
    executive = User.objects.get(email=EXECUTIVE)
    programme = programme_create(
        slug=SLUG,
        name=NAME,
        sector="po",
        organiser=ORGANISER,
        description="Een jaar ondersteuning door een ervaren adviseur.",
    )
    created(programme, started)
    _member(office, programme, ProgrammeRole.OFFICE, started)
    _member(researcher, programme, ProgrammeRole.RESEARCHER, started)
    _member(
        advisor,
        programme,
        ProgrammeRole.ADVISOR,
        started,
        expertise="Kwaliteitszorg, bestuurlijk handelen, het gesprek met de schoolleiding.",
    )
    catalogue = {
        "needs": list(programme.needs.order_by("position")),
        "interventions": list(programme.interventions.order_by("position")),
    }
    cohorts = {}
    for name, starts, ends, is_open in COHORTS:
        cohort = Cohort.objects.create(
            programme=programme,
            name=name,
            capacity=10,
            open_for_applications=is_open,
            starts_on=starts,
            ends_on=ends,
        )
        created(cohort, at(starts - datetime.timedelta(days=90)))
        cohorts[name] = cohort
    closed, running = cohorts["2024-2025"], cohorts["2025-2026"]
    for n, spec in enumerate(CLOSED_CASES, start=1):
        _case(
            closed,
            f"Casus {n}",
            spec,
            catalogue,
            starts=datetime.date(2024, 10, 1),
            ends=datetime.date(2025, 8, 31),
            phase=Phase.CLOSED,
            log_days=25,
        )
    others = [
        _case(
            running,
            f"Casus {n}",
            spec,
            catalogue,
            starts=datetime.date(2025, 11, 1),
            ends=datetime.date(2026, 12, 31),
            phase=phase,
            log_days=30,
        )
        for n, (spec, phase) in enumerate(zip(RUNNING_CASES, RUNNING_PHASES, strict=True), start=1)
    ]
    vechtdal = _vechtdal(board, running, catalogue, office, advisor, executive)
    _consent(vechtdal, board, advisor, executive)
    _network(running, others, vechtdal)
    return logins
