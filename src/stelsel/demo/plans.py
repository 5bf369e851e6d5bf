"""The demo's plans and quality calendar: the board's strategic plan with three themes, school
plans that serve it (one school leaves a board goal untouched), the improvement plan of KBS Sint
Jozef after its herstelopdrachten, goals the plan coach has something to say about, check-ins,
and a year of the calendar with minutes and decisions.

Everything goes through the services, as a user's clicks would.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stelsel.meetings import services
from stelsel.meetings.models import Meeting, MeetingSeries
from stelsel.organisations.models import Board, School
from stelsel.planning.actions.services import action_update
from stelsel.planning.goals.services import check_in_add, goal_create
from stelsel.planning.models import Action, Plan
from stelsel.planning.plans.services import plan_create, theme_add

STRATEGIC = {
    "title": "Koersplan 2024-2028: Samen sterk in de basis",
    "themes": [
        (
            "Sterke basisvaardigheden",
            [
                (
                    "Eind 2027 haalt 85% van de leerlingen in groep 8 minimaal 1F voor lezen.",
                    "percentage 1F lezen groep 8",
                    "72",
                    "85",
                    "%",
                    datetime.date(2027, 7, 1),
                ),
                (
                    "Eind 2027 haalt 65% van de leerlingen in groep 8 2F/1S voor rekenen.",
                    "percentage 2F/1S rekenen",
                    "48",
                    "65",
                    "%",
                    datetime.date(2027, 7, 1),
                ),
            ],
        ),
        (
            "Veilig en betrokken",
            [
                (
                    "In 2027 voelt 95% van de leerlingen zich veilig op school (monitor sociale "
                    "veiligheid).",
                    "percentage veilig",
                    "91",
                    "95",
                    "%",
                    datetime.date(2027, 6, 1),
                ),
            ],
        ),
        (
            "Kwaliteitscultuur",
            [
                (
                    "Vanaf 2026 bespreekt elk schoolteam twee keer per jaar zijn resultaten en "
                    "stelt het de aanpak bij.",
                    "teams met twee resultaatgesprekken",
                    "3",
                    "8",
                    "scholen",
                    datetime.date(2026, 12, 31),
                ),
            ],
        ),
    ],
}

# School plans: school code → goals as (title, target, date, index of the board goal served).
SCHOOL_PLANS = {
    "99XA00": [
        (
            "Eind 2027 leest 88% van onze groep 8-leerlingen op 1F-niveau.",
            "88",
            datetime.date(2027, 7, 1),
            0,
        ),
        ("In 2027 voelt 96% van de leerlingen zich veilig.", "96", datetime.date(2027, 6, 1), 2),
    ],
    "99XB00": [
        (
            "Eind 2027 haalt 60% van onze groep 8-leerlingen 2F/1S voor rekenen.",
            "60",
            datetime.date(2027, 7, 1),
            1,
        ),
        ("In 2027 voelt 95% van de leerlingen zich veilig.", "95", datetime.date(2027, 6, 1), 2),
    ],
    # No school works on the board's culture goal, and CBS De Wegwijzer's goal on
    # ouderbetrokkenheid serves no board goal: the alignment page shows both gaps.
    "99XF00": [
        (
            "Eind 2027 leest 80% van de leerlingen in groep 8 op 1F-niveau.",
            "80",
            datetime.date(2027, 7, 1),
            0,
        ),
        (
            "In 2027 komt 90% van de ouders naar het startgesprek.",
            "90",
            datetime.date(2027, 6, 1),
            None,
        ),
    ],
}

# Goals for KBS Sint Jozef's improvement plan; some are written the way the coach warns about.
IMPROVEMENT_GOALS = [
    (
        "Eind schooljaar 2026-2027 werkt 90% van de leraren volgens het model voor directe "
        "instructie bij lesbezoeken.",
        "90",
        datetime.date(2027, 7, 1),
    ),
    ("Klassenbezoeken afnemen in alle groepen.", None, None),  # an action, not a goal
    ("We streven naar betere resultaten bij begrijpend lezen.", None, None),  # try language
    (
        "In juni 2027 scoort 75% van de leerlingen in groep 6 voldoende op de tussentoets rekenen.",
        "75",
        datetime.date(2027, 6, 30),
    ),
]


def _user(email):
    return get_user_model().objects.filter(email=email).first()


@transaction.atomic
def demo_plans_create(board: Board, insufficient: School) -> None:
    """Plans for the demo board; skipped when the board has them already."""

    if Plan.objects.filter(board=board).exists():
        return
    executive = _user("bestuurder@demo.stelsel.nl")
    quality = _user("kwaliteit@demo.stelsel.nl")
    strategic = plan_create(
        board=board,
        school=None,
        kind="strategic",
        title=STRATEGIC["title"],
        starts_on=datetime.date(2024, 8, 1),
        ends_on=datetime.date(2028, 7, 31),
        owner=executive,
        status="active",
        user=executive,
        description="De koers van het bestuur: drie thema's, vier doelen, twee keer per jaar "
        "besproken met de schoolleiders.",
    )
    board_goals = []
    for theme_title, goals in STRATEGIC["themes"]:
        theme = theme_add(plan=strategic, title=theme_title, user=executive)
        for title, indicator, baseline, target, unit, when in goals:
            board_goals.append(
                goal_create(
                    plan=strategic,
                    theme=theme,
                    title=title,
                    indicator=indicator,
                    baseline=baseline,
                    target=target,
                    unit=unit,
                    target_date=when,
                    owner=quality,
                    user=executive,
                )
            )
    leaders = {
        m.school_id: m.user
        for m in board.memberships.filter(role="school_leader").select_related("user")
    }
    for code, goals in SCHOOL_PLANS.items():
        school = board.schools.get(vestigingscode=code)
        plan = plan_create(
            board=board,
            school=school,
            kind="school",
            title=f"Schoolplan 2023-2027 {school.name}",
            starts_on=datetime.date(2023, 8, 1),
            ends_on=datetime.date(2027, 7, 31),
            owner=leaders.get(school.pk),
            status="active",
            user=quality,
        )
        for title, target, when, serves in goals:
            goal = goal_create(
                plan=plan,
                title=title,
                target=target,
                unit="%",
                target_date=when,
                owner=leaders.get(school.pk),
                serves=board_goals[serves] if serves is not None else None,
                user=quality,
            )
            check_in_add(
                goal=goal,
                progress="on_track",
                held_on=datetime.date(2026, 10, 8),
                measured=Decimal(target) - 6 if target else None,
                do_text="De aanpak loopt in alle groepen.",
                check_text="De tussentoetsen laten een stijgende lijn zien.",
                act_text="Volgend halfjaar de bovenbouw extra begeleiden.",
                securing_text="Afspraken staan in het kwaliteitshandboek.",
                user=leaders.get(school.pk) or quality,
            )
    _improvement_plan(board, insufficient, quality)


def _improvement_plan(board, school, quality) -> None:

    leader = _user("directeur.sintjozef@demo.stelsel.nl")
    plan = plan_create(
        board=board,
        school=school,
        kind="improvement",
        title="Plan van aanpak na het inspectieonderzoek (maart 2026)",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 7, 31),
        owner=leader,
        status="active",
        user=quality,
        description="Herstel van de tekortkomingen uit het vierjaarlijks onderzoek: onderwijs"
        "proces, resultaten en kwaliteitszorg.",
    )
    theme = theme_add(plan=plan, title="Herstel basiskwaliteit", user=quality)
    goals = [
        goal_create(
            plan=plan,
            theme=theme,
            title=title,
            target=target,
            unit="%" if target else "",
            target_date=when,
            owner=leader if target else None,
            user=quality,
        )
        for title, target, when in IMPROVEMENT_GOALS
    ]
    # The actions recorded against the herstelopdrachten hang under the plan's first goals.
    for n, action in enumerate(Action.objects.filter(school=school).order_by("pk")):
        if n % 3 == 2:
            continue  # a few stay without a goal: the coach points them out
        action_update(
            action=action, revision=action.revision, goal=goals[0 if n % 2 else 3], user=quality
        )
    check_in_add(
        goal=goals[0],
        progress="at_risk",
        held_on=datetime.date(2026, 11, 5),
        measured="55",
        plan_text="Alle leraren geven instructie volgens het model; de IB'er is eigenaar.",
        do_text="Scholing is gevolgd; in de onderbouw zien we het terug.",
        check_text="Bij 11 van de 20 lesbezoeken volgens het model.",
        act_text="Collegiale consultatie in de bovenbouw; in januari opnieuw kijken.",
        securing_text="Kijkwijzer opgenomen in de jaarplanning.",
        user=leader,
    )


MINUTES = [
    "Resultaten van de tussentoetsen besproken; lezen in de bovenbouw blijft achter.",
    "Voortgang van de verbeterplannen per school doorgelopen; twee scholen liggen op koers.",
    "Terugblik op de schoolbezoeken; afspraken over de kwaliteitsrapportage van het najaar.",
    "Signalen uit de monitor sociale veiligheid besproken; geen nieuwe risico's.",
]
DECISIONS = [
    ("De kwaliteitsrapportage krijgt een vaste paragraaf over basisvaardigheden.", True),
    ("Scholen met een dalende trend bij lezen krijgen een gesprek met de kwaliteitszorger.", True),
    ("De evaluatie van het koersplan wordt in maart met de raad van toezicht besproken.", False),
]


@transaction.atomic
def demo_calendar_create(board: Board) -> None:
    """A year of the quality calendar: the six tables, started a year ago, with the meetings
    held so far recorded (minutes, agenda, decisions) and one that was not held, so the
    calendar shows a missed meeting."""

    if MeetingSeries.objects.filter(board=board).exists():
        return
    quality = _user("kwaliteit@demo.stelsel.nl")
    executive = _user("bestuurder@demo.stelsel.nl")
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=364)
    series = services.tables_start(
        board=board, user=quality, since=year_ago, members=[m for m in (quality, executive) if m]
    )
    # The board and its school leaders meet at one table: the leaders sit at it too.
    leaders_table = next(t for t in series if t.name == str(services.SIX_TABLES[1]["name"]))
    services.series_update(
        series=leaders_table,
        revision=leaders_table.revision,
        members=[
            *leaders_table.members.all(),
            *(
                m.user
                for m in board.memberships.filter(role="school_leader").select_related("user")
            ),
        ],
        user=quality,
    )
    # The tables were set up a year ago in the story, not when the demo was loaded.
    MeetingSeries.objects.filter(pk__in=[t.pk for t in series]).update(
        created_at=timezone.make_aware(datetime.datetime.combine(year_ago, datetime.time(9)))
    )
    past = Meeting.objects.filter(
        series__in=series, starts_at__date__lt=today - datetime.timedelta(days=10)
    ).order_by("starts_at")
    skipped = False
    for n, meeting in enumerate(past):
        if not skipped and n == 3:
            skipped = True  # left unrecorded: the calendar flags it as not held
            continue
        services.agenda_items_from_standard(meeting=meeting)
        services.meeting_record(
            meeting=meeting,
            revision=meeting.revision,
            state="held",
            minutes=MINUTES[n % len(MINUTES)],
            user=quality,
        )
        if n % 4 == 0:
            text, with_action = DECISIONS[(n // 4) % len(DECISIONS)]
            services.decision_add(
                meeting=meeting,
                text=text,
                create_action=with_action,
                action_owner=quality,
                action_due_on=timezone.localdate(meeting.starts_at) + datetime.timedelta(days=60),
                user=quality,
            )
