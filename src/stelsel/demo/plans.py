"""The demo's plans and quality calendar: the board's strategic plan with three themes, school
plans that serve it (one school leaves a board goal untouched), the improvement plan of KBS Sint
Jozef after its herstelopdrachten, goals the plan coach has something to say about, check-ins,
and a year of the calendar with minutes and decisions.

Everything goes through the services, as a user's clicks would.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stelsel.demo import story
from stelsel.demo.board import SINGLE_SCHOOL_PEOPLE
from stelsel.meetings import services, table_sets
from stelsel.meetings.models import Decision, HolidayRegion, Meeting, MeetingSeries
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


STRATEGIC_RECORDED = datetime.date(2025, 9, 1)
SCHOOL_PLANS_RECORDED = datetime.date(2025, 9, 22)
CHECK_INS_HELD = datetime.date(2026, 10, 8)
IMPROVEMENT_PLAN_WRITTEN = datetime.date(2026, 4, 22)  # a week after the actions were set


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
    # The board entered its strategic plan when it started with Stelsel, after the summer.
    recorded = story.at(STRATEGIC_RECORDED)
    story.created(strategic, recorded)
    board_goals = []
    for theme_title, goals in STRATEGIC["themes"]:
        theme = theme_add(plan=strategic, title=theme_title, user=executive)
        story.created(theme, recorded)
        for title, indicator, baseline, target, unit, when in goals:
            goal = goal_create(
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
            story.created(goal, recorded)
            board_goals.append(goal)
    leaders = {
        m.school_id: m.user
        for m in board.memberships.filter(role="school_leader").select_related("user")
    }
    for n, (code, goals) in enumerate(SCHOOL_PLANS.items()):
        school = board.schools.get(vestigingscode=code)
        recorded = story.at(SCHOOL_PLANS_RECORDED, 10 + n)
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
        story.created(plan, recorded)
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
            story.created(goal, recorded)
            check_in = check_in_add(
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
            story.created(check_in, story.at(CHECK_INS_HELD, 16, n))
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
    written = story.at(IMPROVEMENT_PLAN_WRITTEN, 14)
    story.created(plan, written)
    theme = theme_add(plan=plan, title="Herstel basiskwaliteit", user=quality)
    story.created(theme, written)
    goals = []
    for title, target, when in IMPROVEMENT_GOALS:
        goal = goal_create(
            plan=plan,
            theme=theme,
            title=title,
            target=target,
            unit="%" if target else "",
            target_date=when,
            owner=leader if target else None,
            user=quality,
        )
        story.created(goal, written)
        goals.append(goal)
    # The actions recorded against the herstelopdrachten hang under the plan's first goals.
    for n, action in enumerate(Action.objects.filter(school=school).order_by("pk")):
        if n % 3 == 2:
            continue  # a few stay without a goal: the coach points them out
        action = action_update(
            action=action, revision=action.revision, goal=goals[0 if n % 2 else 3], user=quality
        )
        story.changed(action, story.at(IMPROVEMENT_PLAN_WRITTEN, 15, n))
    check_in = check_in_add(
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
    story.created(check_in, story.at(datetime.date(2026, 11, 5), 16))


MINUTES = [
    "Resultaten van de tussentoetsen besproken; lezen in de bovenbouw blijft achter.",
    "Voortgang van de verbeterplannen per school doorgelopen; twee scholen liggen op koers.",
    "Terugblik op de schoolbezoeken; afspraken over de kwaliteitsrapportage van het najaar.",
    "Signalen uit de monitor sociale veiligheid besproken; geen nieuwe risico's.",
]


class Decided(NamedTuple):
    """A decision of the year, at a table of the six (by position), with the action that
    carries it out, if any: its title, owner and the days it was given."""

    table: int
    text: str
    action: str | None = None
    owner: str = "quality"
    days: int = 60
    late: bool = False


# Each decision once, spread over the year in this order: the older ones' actions are done,
# the recent ones' under way, and one fell behind.
DECISIONS = [
    Decided(
        4,
        "De kwaliteitsrapportage krijgt een vaste paragraaf over basisvaardigheden.",
        "Paragraaf basisvaardigheden opnemen in het format van de kwaliteitsrapportage",
        days=45,
    ),
    Decided(
        0,
        "Het ziekteverzuim wordt per school elk kwartaal besproken in het stafoverleg.",
        "Kwartaaloverzicht ziekteverzuim per school laten maken",
        owner="executive",
        days=40,
    ),
    Decided(
        5,
        "Elke school legt de afspraken over de toetskalender vast in het kwaliteitshandboek.",
        "Format toetskalender voor het kwaliteitshandboek maken",
        days=30,
    ),
    Decided(
        1,
        "Scholen met een dalende trend bij lezen krijgen een gesprek met de kwaliteitsmedewerker.",
        "Gesprekken plannen met de scholen met een dalende trend bij lezen",
        days=50,
    ),
    Decided(
        4,
        "Het bestuur laat de kwaliteitszorg van twee scholen intern auditen.",
        "Interne audit kwaliteitszorg bij twee scholen voorbereiden",
        owner="executive",
        days=90,
        late=True,
    ),
    Decided(
        3,
        "De raad van toezicht ontvangt de kwaliteitsrapportage voortaan twee weken voor de "
        "vergadering.",
    ),
    Decided(
        2,
        "KBS Sint Jozef krijgt een externe adviseur bij het plan van aanpak.",
        "Externe adviseur voor KBS Sint Jozef aanvragen",
        owner="executive",
        days=21,
    ),
    Decided(
        5,
        "De kijkwijzer lesbezoeken van Sint Jozef wordt bestuursbreed gebruikt.",
        "Kijkwijzer lesbezoeken bestuursbreed invoeren",
        days=120,
    ),
    Decided(
        4,
        "De evaluatie van het koersplan wordt in maart met de raad van toezicht besproken.",
    ),
    Decided(
        1,
        "De schoolbezoeken van het voorjaar krijgen een vast format met de leerresultaten.",
        "Format schoolbezoek met leerresultaten opstellen",
        days=75,
    ),
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
    _holiday_region(board, year_ago)
    series = table_sets.tables_start(
        board=board, user=quality, since=year_ago, members=[m for m in (quality, executive) if m]
    )
    # The board and its school leaders meet at one table: the leaders sit at it too.
    leaders_table = next(t for t in series if t.name == str(table_sets.SIX_TABLES[1]["name"]))
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
    _set_up(series, year_ago)
    held = _held(series, today, recorder=quality, skip=3)
    owners = {"quality": quality, "executive": executive}
    by_table = {str(table["name"]): n for n, table in enumerate(table_sets.SIX_TABLES)}
    _decide(held, by_table, DECISIONS, owners, year_ago, today, recorder=quality)


def _holiday_region(board: Board, since: datetime.date) -> None:
    """The demo's schools lie in Overijssel (Hardenberg, Ommen, Dalfsen): holiday region noord,
    set when the calendar was, so the tables plan around its school holidays."""
    region, made = HolidayRegion.objects.get_or_create(
        board=board, school=None, defaults={"region": "noord"}
    )
    if made:
        story.created(region, story.at(since))


def _set_up(series, since: datetime.date) -> None:
    """The tables, and the meetings planned with them, were set up on `since` in the story,
    not when the demo was loaded."""
    when = story.at(since)
    story.all_created(MeetingSeries, [t.pk for t in series], when)
    story.all_created(Meeting, Meeting.objects.filter(series__in=series).values("pk"), when)


def _held(series, today, *, recorder, skip=None) -> list[Meeting]:
    """Record the meetings more than ten days past as held, with the standard agenda and
    minutes, the day after each; the `skip`-th is left unrecorded, so the calendar flags it."""
    past = Meeting.objects.filter(
        series__in=series, starts_at__date__lt=today - datetime.timedelta(days=10)
    ).order_by("starts_at")
    held = []
    for n, meeting in enumerate(past):
        if n == skip:
            continue
        services.agenda_items_from_standard(meeting=meeting)
        meeting = services.meeting_record(
            meeting=meeting,
            revision=meeting.revision,
            state="held",
            minutes=MINUTES[n % len(MINUTES)],
            user=recorder,
        )
        day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=1)
        story.changed(meeting, story.at(day, 10, n % 60))
        held.append(meeting)
    return held


def _decide(held, by_table, decisions, owners, since, today, *, recorder) -> None:
    """Each decision at a held meeting of its table near its share of the year, and its
    action brought as far as the time since allows."""
    span = max((today - since).days, 1)
    for n, decided in enumerate(decisions):
        target = since + datetime.timedelta(days=span * (n + 0.5) / len(decisions))
        candidates = [m for m in held if by_table.get(m.series.name) == decided.table]
        if not candidates:
            continue
        meeting = min(candidates, key=lambda m: abs(timezone.localdate(m.starts_at) - target))
        day = timezone.localdate(meeting.starts_at)
        decision = services.decision_add(
            meeting=meeting,
            text=decided.text,
            create_action=decided.action is not None,
            action_title=decided.action or "",
            action_owner=owners[decided.owner] if decided.action else None,
            action_due_on=day + datetime.timedelta(days=decided.days),
            user=recorder,
        )
        ended = meeting.ends_at
        Decision.objects.filter(pk=decision.pk).update(created_at=ended)
        if decision.action is None:
            continue
        action = decision.action
        story.created(action, ended)
        _carried_out(action, day, today, late=decided.late, recorder=recorder)


def _carried_out(action: Action, decided_on, today, *, late: bool, recorder) -> None:
    """An action as far as its dates allow: done a few days before its due date when that has
    passed (unless it fell `late`), otherwise as far as the share of its time gone by."""
    due = action.due_on
    if due < today - datetime.timedelta(days=7) and not late:
        done = max(due - datetime.timedelta(days=4), decided_on + datetime.timedelta(days=1))
        action = action_update(
            action=action, revision=action.revision, status="done", progress=100, user=recorder
        )
        story.changed(action, story.at(done, 15))
        return
    last = min(today - datetime.timedelta(days=6), due - datetime.timedelta(days=1))
    share = (last - decided_on).days / max((due - decided_on).days, 1)
    progress = int(round(100 * share * (0.7 if late else 1) / 5)) * 5
    if last <= decided_on or progress < 10:
        return  # just decided: planned, nothing done yet
    action = action_update(
        action=action,
        revision=action.revision,
        status="in_progress",
        progress=min(progress, 90),
        user=recorder,
    )
    story.changed(action, story.at(last, 15))


# The one-school board's calendar: its own tables, with the people it meets, for half a year.
SINGLE_SCHOOL_MEMBERS = {
    # table (index in SINGLE_SCHOOL_TABLES) -> the people at it besides the rector-bestuurder
    0: ["ib@de-eik.demo.stelsel.nl"],
    1: ["rvt@de-eik.demo.stelsel.nl"],
    2: ["mr@de-eik.demo.stelsel.nl"],
    3: ["ib@de-eik.demo.stelsel.nl"],
}
SINGLE_SCHOOL_DECISIONS = [
    Decided(
        0,
        "De resultaten van de doorstroomtoets worden per groep geanalyseerd en in het team "
        "besproken.",
        "Analyse doorstroomtoets per groep maken",
        owner="director",
        days=35,
    ),
    Decided(
        0,
        "We kiezen een nieuwe methode voor begrijpend lezen vóór de zomer.",
        "Twee methodes voor begrijpend lezen laten proberen in groep 5 tot en met 8",
        owner="director",
        days=120,
    ),
    Decided(
        2,
        "De MR krijgt de kwaliteitsrapportage voortaan voor de vergadering toegestuurd.",
    ),
]


@transaction.atomic
def demo_single_school_calendar_create(board: Board) -> None:
    """Half a year of the one-school board's quality calendar, from the tables offered to a
    board with one school, each with the people the rector-bestuurder meets there."""
    if MeetingSeries.objects.filter(board=board).exists():
        return
    director = _user("directeur@de-eik.demo.stelsel.nl")
    people = {email: _user(email) for email, *_rest in SINGLE_SCHOOL_PEOPLE}
    today = timezone.localdate()
    since = max(
        story.SINGLE_SCHOOL_BOARD_STARTED + datetime.timedelta(days=14),
        today - datetime.timedelta(days=182),
    )
    _holiday_region(board, since)
    series = table_sets.tables_start(
        board=board, user=director, since=since, members=[director], tables="single_school"
    )
    names = {str(table["name"]): n for n, table in enumerate(table_sets.SINGLE_SCHOOL_TABLES)}
    for table in series:
        others = [people[e] for e in SINGLE_SCHOOL_MEMBERS.get(names.get(table.name), [])]
        services.series_update(
            series=table,
            revision=table.revision,
            members=[director, *(p for p in others if p)],
            user=director,
        )
    _set_up(series, since)
    held = _held(series, today, recorder=director)
    owners = {"director": director}  # a board's action is owned by someone of the board
    _decide(held, names, SINGLE_SCHOOL_DECISIONS, owners, since, today, recorder=director)
