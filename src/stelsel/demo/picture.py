"""The demo's quality picture: every school of the demo board pictured on the primary framework,
the board on BKA, own indicators, and KBS Sint Jozef after its insufficient judgement: eleven
herstelopdrachten in various states, the actions that cover them, evidence, the past visit with
its log and a link for the inspector.

Everything goes through the services, as a user's clicks would. Dates are relative to a fixed
story: the visit was in March 2026, the follow-up investigation in October 2026.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from stelsel.demo import story
from stelsel.frameworks.models import FrameworkVersion, Requirement, Standard
from stelsel.organisations.models import Board, School
from stelsel.picture.assignments.services import assignment_create, assignment_follow_up
from stelsel.picture.entries import services
from stelsel.picture.entries.services import EntryChange
from stelsel.picture.evidence.services import evidence_create
from stelsel.picture.inspector.services import inspector_link_create
from stelsel.picture.models import (
    Assignment,
    Entry,
    EvidenceFile,
    Indicator,
    Picture,
    VisitChecklistItem,
)
from stelsel.picture.visits.services import (
    visit_create,
    visit_documents_add,
    visit_note_add,
    visit_step_update,
)
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.models import Action

PERIOD = "2026-2027"
VISIT_DAY = datetime.date(2026, 3, 10)
VISIT_PLANNED = datetime.date(2026, 1, 20)  # the day the inspectorate announced the visit
PICTURES_STARTED = datetime.date(2026, 8, 25)

INDICATORS = [
    # perspective, level, code, title, description
    (
        "requirements",
        "school",
        "BE1",
        "Jaarlijkse schoolzelfevaluatie",
        "Het bestuur vraagt elke school jaarlijks een zelfevaluatie op SKA1-3 en bespreekt die.",
    ),
    (
        "ambitions",
        "both",
        "AM1",
        "Rijke leesomgeving",
        "Leerlingen lezen elke dag, kiezen boeken die bij hen passen en praten erover.",
    ),
    (
        "ambitions",
        "both",
        "AM2",
        "Eigenaarschap van leerlingen",
        "Leerlingen stellen eigen leerdoelen en volgen hun voortgang.",
    ),
    (
        "expectations",
        "school",
        "VW1",
        "Ouders voelen zich welkom",
        "Ouders weten wat er op school gebeurt en worden gehoord.",
    ),
    (
        "expectations",
        "school",
        "VW2",
        "Leerlingen voelen zich gehoord",
        "De leerlingenraad praat mee over wat beter kan.",
    ),
]

SUBSTANTIATION = {
    "ambitions": [
        "Het schoolplan 2023-2027 noemt dit als speerpunt; het koersplan van het bestuur vraagt "
        "dat elke school hier een meetbaar doel op zet.",
        "Ons jaarplan richt zich op een doorgaande lijn van groep 1 tot en met 8.",
    ],
    "visible": [
        "Bij klassenbezoeken zien we dit in de meeste groepen terug; in de bovenbouw nog "
        "wisselend.",
        "Leerlingen kunnen zelf vertellen wat het doel van de les is.",
        "De resultaten op de tussentijdse toetsen laten een stijgende lijn zien.",
    ],
    "secured": [
        "Afspraken staan in het kwaliteitshandboek en worden twee keer per jaar in het team "
        "besproken.",
        "De intern begeleider volgt dit in de groepsbesprekingen.",
    ],
    "accounted": [
        "In de schoolgids en het jaarverslag; met de MR in de vergadering van juni.",
        "In de managementrapportage aan het bestuur (maart en oktober).",
    ],
}

# Eleven herstelopdrachten for KBS Sint Jozef, with what happened since. state: the story of
# the opdracht; the action recorded for it: its title and who carries it (each opdracht has its
# own action, even where two share a standard).
HERSTEL = [
    # standard code, requirement index, text, deadline, state, action title, owner
    (
        "OP1",
        0,
        "Zorg dat het aanbod de kerndoelen dekt en voor taal en rekenen een doorgaande lijn heeft.",
        datetime.date(2026, 10, 1),
        "resolved",
        "Aanbod taal en rekenen in kaart brengen en aanvullen",
        "leader",
    ),
    (
        "OP2",
        0,
        "Volg de ontwikkeling van leerlingen systematisch met een samenhangend "
        "leerlingvolgsysteem.",
        datetime.date(2026, 10, 1),
        "resolved",
        "Leerlingvolgsysteem herinrichten en de toetskalender vastleggen",
        "ib",
    ),
    (
        "OP2",
        1,
        "Stem de ondersteuning af op wat leerlingen nodig hebben en evalueer of die werkt.",
        datetime.date(2027, 3, 1),
        "covered",
        "Groepsbesprekingen: ondersteuning afstemmen en na zes weken evalueren",
        "ib",
    ),
    (
        "OP3",
        0,
        "Zorg dat de lessen duidelijke uitleg, een taakgerichte sfeer en actieve "
        "betrokkenheid hebben.",
        datetime.date(2027, 3, 1),
        "covered",
        "Teambrede scholing directe instructie en lesbezoeken met de kijkwijzer",
        "leader",
    ),
    (
        "OP3",
        1,
        "Stem de instructie en verwerking af op verschillen tussen leerlingen.",
        datetime.date(2027, 3, 1),
        "stalled",
        "Collegiale consultatie over differentiëren in instructie en verwerking",
        "ib",
    ),
    (
        "OP0",
        0,
        "Zorg voor een dekkend aanbod voor de basisvaardigheden taal en rekenen.",
        datetime.date(2026, 9, 1),
        "overdue",
        "Methode begrijpend lezen vervangen en rekenaanbod uitbreiden",
        "leader",
    ),
    (
        "OR1",
        0,
        "Analyseer de eindresultaten en stel vast welke verbeteringen nodig zijn.",
        datetime.date(2026, 10, 1),
        "resolved",
        "Trendanalyse eindresultaten met het team bespreken",
        "ib",
    ),
    (
        "SKA1",
        0,
        "Stel concrete doelen voor de basiskwaliteit en de eigen ambities op.",
        datetime.date(2027, 1, 15),
        "covered",
        "Schooldoelen concreet maken in het jaarplan",
        "leader",
    ),
    (
        "SKA2",
        0,
        "Zorg dat het team de verbeteringen samen uitvoert en dat de leiding daarop stuurt.",
        datetime.date(2027, 3, 1),
        "stalled",
        "Werkgroepen met duidelijke opdrachten en terugkoppeling",
        "leader",
    ),
    (
        "SKA3",
        0,
        "Evalueer systematisch of de doelen worden bereikt en leg daarover verantwoording af.",
        datetime.date(2026, 11, 1),
        "overdue",
        "Evaluatiekalender met halfjaarlijkse borgingsgesprekken",
        "ib",
    ),
    (
        "VS1",
        0,
        "Monitor de veiligheid van leerlingen jaarlijks met een gestandaardiseerd instrument.",
        datetime.date(2027, 6, 1),
        "uncovered",
        None,
        None,
    ),
]

ACTIONS_START = datetime.date(2026, 4, 15)
ACTIONS_HALFWAY = datetime.date(2026, 6, 24)  # the check before the summer holidays
RESOLVED_DUE = datetime.date(2026, 9, 15)  # a fortnight before the opdrachten's deadline
FOLLOW_UP_DAY = datetime.date(2026, 10, 15)
# The actions still running are dated from the day the demo is loaded, so the actions page
# always shows a mix: on track (due ahead, progress as far as the time gone by), stalled (no
# change for two months) and a few late (due three weeks ago, not finished).
RUNNING = {
    # state: (status, due in days from today, days since the last change, lag behind the time)
    "covered": ("in_progress", 50, 9, 0),
    "stalled": ("stalled", 30, 60, 35),
    "overdue": ("in_progress", -20, 34, 25),
}

LOG = [
    (
        "directeur.sintjozef@demo.stelsel.nl",
        9,
        5,
        "Startgesprek met twee inspecteurs. Zij kijken naar OP1-OP3, OR1 en SKA1-3.",
    ),
    (
        "ib.sintjozef@demo.stelsel.nl",
        10,
        40,
        "Lesbezoek groep 5: inspecteur vraagt hoe de instructie wordt afgestemd; geen "
        "groepsplan in de map.",
    ),
    (
        "directeur.sintjozef@demo.stelsel.nl",
        12,
        15,
        "Gesprek met leerlingen: zij voelen zich veilig, maar weten hun leerdoelen niet.",
    ),
    (
        "kwaliteit@demo.stelsel.nl",
        14,
        30,
        "Bestuur toegelicht hoe het de school volgt; inspecteur mist een analyse van de "
        "eindresultaten.",
    ),
    (
        "directeur.sintjozef@demo.stelsel.nl",
        15,
        45,
        "Terugkoppeling: voorlopig oordeel onvoldoende. Eerste reactie op feitelijke onjuistheden "
        "op te stellen vóór 24 maart.",
    ),
]


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF with a title: enough to show documents in the demo."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _user(email):
    return get_user_model().objects.filter(email=email).first()


def _version(slug: str) -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(framework__slug=slug).order_by("-version").first()


def _judge(entry: Entry, status: str, rng: random.Random, user, when) -> None:
    change = EntryChange(
        status=status,
        requirements_met=list(
            entry.standard.requirements.values_list("pk", flat=True)[: rng.randint(1, 4)]
        )
        if entry.standard_id and status != "nog_niet_beoordeeld"
        else None,
        ambitions=rng.choice(SUBSTANTIATION["ambitions"]),
        visible=rng.choice(SUBSTANTIATION["visible"]),
        secured=rng.choice(SUBSTANTIATION["secured"]),
        accounted=rng.choice(SUBSTANTIATION["accounted"]),
    )
    saved = services.entry_update(entry=entry, revision=entry.revision, change=change, user=user)
    # The story happened over the autumn, not at the moment the demo was loaded: the judgement
    # (the row and its history record alike) is dated then; earlier records keep their dates.
    story.changed(saved, when, judged_at=when)


def _picture(board, school, version, *, user, rng, weights, leader) -> Picture:
    picture = services.picture_start(
        board=board, school=school, framework_version=version, period=PERIOD, user=user
    )
    started = story.at(PICTURES_STARTED)
    Picture.objects.filter(pk=picture.pk).update(created_at=started, started_on=started.date())
    story.all_created(Entry, picture.entries.values_list("pk", flat=True), started)
    entries = list(picture.entries.select_related("standard", "indicator"))
    for n, entry in enumerate(entries):
        status = rng.choices(
            ["in_orde", "nog_niet_in_orde", "nog_niet_beoordeeld"], weights=weights
        )[0]
        if status == "nog_niet_beoordeeld":
            continue
        when = started + datetime.timedelta(days=20 + n * 3 + rng.randint(0, 10))
        _judge(entry, status, rng, leader, when)
    return picture


@transaction.atomic
def demo_picture_create(board: Board, insufficient: School) -> str | None:
    """Pictures for the demo board; skipped when the board has them already. Returns the raw
    token of the inspector's link when it was made now (it is not stored, so only then)."""
    if Picture.objects.filter(board=board).exists():
        return None
    po, bka = _version("onderzoekskader-2021-po"), _version("bestuur-bka-2021")
    if po is None or bka is None:
        return None
    rng = random.Random(2026)
    quality = _user("kwaliteit@demo.stelsel.nl")
    executive = _user("bestuurder@demo.stelsel.nl")
    for perspective, level, code, title, description in INDICATORS:
        indicator = Indicator.objects.create(
            board=board,
            perspective=perspective,
            level=level,
            code=code,
            title=title,
            description=description,
            position=int(code[-1]),
        )
        story.created(indicator, story.at(PICTURES_STARTED, 8))
    leaders = {
        m.school_id: m.user
        for m in board.memberships.filter(role="school_leader").select_related("user")
    }
    for school in board.schools.all():
        weights = [2, 6, 2] if school == insufficient else [7, 2, 2]
        _picture(
            board, school, po, user=quality, rng=rng, weights=weights, leader=leaders.get(school.pk)
        )
    _picture(board, None, bka, user=quality, rng=rng, weights=[6, 3, 1], leader=executive)
    token = _insufficient_school(board, insufficient, po, rng)
    # The judgements were dated back into the autumn; so is each picture's last judgement.
    for picture in Picture.objects.filter(board=board).annotate(last=Max("entries__judged_at")):
        Picture.objects.filter(pk=picture.pk).update(last_judged_at=picture.last)
    return token


def _evidence(board, school, title, standards, user, *, recorded, expires=None, kind="document"):

    fields = {"kind": kind, "title": title, "standards": standards, "user": user}
    if kind == "document":
        name = title.lower().replace(" ", "-")[:60] + ".pdf"
        fields["upload"] = SimpleUploadedFile(name, _pdf(title), "application/pdf")
    else:
        fields["url"] = "https://www.example.org/" + title.lower().replace(" ", "-")
    evidence = evidence_create(
        board=board,
        school=school,
        effective_on=datetime.date(2025, 8, 1) if expires else datetime.date(2026, 9, 1),
        expires_on=expires,
        **fields,
    )
    when = story.at(recorded)
    story.created(evidence, when)
    EvidenceFile.objects.filter(evidence=evidence).update(uploaded_at=when)
    return evidence


def _insufficient_school(board, school, version, rng) -> str:

    leader = _user("directeur.sintjozef@demo.stelsel.nl")
    ib = _user("ib.sintjozef@demo.stelsel.nl")
    quality = _user("kwaliteit@demo.stelsel.nl")
    standards = {s.code: s for s in Standard.objects.filter(framework_version=version)}
    visit = visit_create(
        board=board,
        school=school,
        kind="four_yearly",
        title="Vierjaarlijks onderzoek KBS Sint Jozef",
        starts_on=VISIT_DAY,
        ends_on=VISIT_DAY + datetime.timedelta(days=1),
        notes="Wij willen laten zien dat het team de zorgen over de resultaten herkent en al een "
        "analyse heeft gemaakt; de verbeterplannen zijn in voorbereiding.",
        user=quality,
    )
    story.created(visit, story.at(VISIT_PLANNED, 10))
    # The steps were done over the weeks between the announcement and the visit.
    for n, item in enumerate(visit.checklist.all()):
        if n >= 8:
            break
        who = (quality, leader, ib)[n % 3]
        visit_step_update(visit=visit, item=item, done=True, note="", user=who)
        done = min(VISIT_PLANNED + datetime.timedelta(days=6 + 6 * n), VISIT_DAY)
        VisitChecklistItem.objects.filter(pk=item.pk).update(done_at=story.at(done, 11, n))
    for email, hour, minute, text in LOG:
        note = visit_note_add(visit=visit, author=_user(email), text=text)
        day = VISIT_DAY if hour < 13 else VISIT_DAY + datetime.timedelta(days=1)
        note.created_at = story.at(day, hour, minute)
        note.save(update_fields=["created_at"])
    before, after = VISIT_DAY - datetime.timedelta(days=14), datetime.date(2026, 4, 20)
    documents = [
        _evidence(
            board, school, "Schoolplan 2023-2027", [standards["SKA1"]], leader, recorded=before
        ),
        _evidence(
            board, school, "Analyse eindresultaten 2025", [standards["OR1"]], ib, recorded=before
        ),
        _evidence(
            board,
            school,
            "Verbeterplan na inspectiebezoek",
            [standards["SKA1"], standards["SKA2"]],
            leader,
            recorded=after,
        ),
        _evidence(
            board, school, "Leerlingvolgsysteem afspraken", [standards["OP2"]], ib, recorded=before
        ),
        _evidence(
            board,
            school,
            "Kijkwijzer lesbezoeken",
            [standards["OP3"]],
            ib,
            expires=datetime.date(2026, 7, 31),
            recorded=before,
        ),
        _evidence(
            board,
            school,
            "Monitor sociale veiligheid",
            [standards["VS1"]],
            ib,
            kind="link",
            recorded=datetime.date(2026, 9, 15),
        ),
    ]
    visit_documents_add(visit=visit, evidence=documents[:4])
    owners = {"leader": leader, "ib": ib}
    for n, (code, req_index, text, deadline, _state, title, owner) in enumerate(HERSTEL):
        standard = standards[code]
        requirements = list(Requirement.objects.filter(standard=standard))
        requirement = requirements[min(req_index, len(requirements) - 1)] if requirements else None
        assignment = assignment_create(
            board=board,
            school=school,
            standard=standard,
            requirement=requirement,
            text=text,
            deadline=deadline,
            visit=visit,
            user=quality,
        )
        story.created(assignment, story.at(datetime.date(2026, 4, 2), 9, n))
        if title is None:
            continue
        # Every action starts in April; what happened to it since is told by the follow-up.
        action = action_create(
            board=board,
            school=school,
            title=title,
            owner=owners[owner],
            starts_on=ACTIONS_START,
            due_on=_due(_state, deadline, n),
            status="in_progress",
            progress=0,
            standards=[standard],
            requirements=[requirement] if requirement else [],
            assignments=[assignment],
            visit=visit,
            user=quality,
        )
        story.created(action, story.at(ACTIONS_START, 9, n))
    return _share(board, school, visit, documents[:4], quality)


def _due(state: str, deadline: datetime.date, n: int) -> datetime.date:
    """An action's due date: the resolved ones a fortnight before the follow-up's deadline,
    the others from today, a few days apart (never after their opdracht's deadline while on
    track)."""
    if state == "resolved":
        return RESOLVED_DUE
    days = RUNNING[state][1] + 4 * (n % 3)
    due = timezone.localdate() + datetime.timedelta(days=days)
    return min(due, deadline) if state == "covered" else due


def _progress(action: Action, on: datetime.date, lag: int) -> int:
    """Progress that fits the dates: the share of the action's time gone by on `on`, less a
    `lag` for an action that fell behind, in steps of five."""
    span = max((action.due_on - action.starts_on).days, 1)
    share = 100 * min(max((on - action.starts_on).days, 0), span) / span
    return max(5, min(95, int(round((share - lag) / 5)) * 5))


@transaction.atomic
def demo_follow_up_create(board: Board, school: School) -> None:
    """What happened at KBS Sint Jozef after the actions were hung under its plan of approach:
    progress in June, three opdrachten resolved in the follow-up of October, the rest running,
    stalled or late, and the standards judged again. Skipped when the follow-up is recorded."""
    version = _version("onderzoekskader-2021-po")
    assignments = Assignment.objects.filter(school=school, visit__isnull=False)
    if version is None or not assignments.exists():
        return
    if assignments.filter(follow_up_on__isnull=False).exists():
        return
    quality = _user("kwaliteit@demo.stelsel.nl")
    leader = _user("directeur.sintjozef@demo.stelsel.nl")
    today = timezone.localdate()
    by_text = {a.text: a for a in assignments}
    for n, (_code, _i, text, _deadline, state, title, _owner) in enumerate(HERSTEL):
        assignment = by_text.get(text)
        action = assignment.actions.filter(title=title).first() if assignment else None
        if action is None:
            continue
        action = _update(action, story.at(ACTIONS_HALFWAY, 16, n), progress=30)
        if state == "resolved":
            action = _update(
                action,
                story.at(RESOLVED_DUE - datetime.timedelta(days=3 + n % 4), 15, n),
                status="done",
                progress=100,
            )
            assignment_follow_up(
                assignment=assignment,
                follow_up_on=FOLLOW_UP_DAY,
                outcome="sufficient",
                note="Herstelonderzoek: voldoende.",
                user=quality,
            )
            story.changed(assignment, story.at(FOLLOW_UP_DAY, 16, n))
            continue
        status, _due_in, quiet, lag = RUNNING[state]
        last = today - datetime.timedelta(days=quiet)
        _update(
            action,
            story.at(last, 15, n),
            status=status,
            progress=max(35, _progress(action, last, lag)),
        )
    _judge_after_visit(school, version, random.Random(FOLLOW_UP_DAY.toordinal()), leader)


def _update(action: Action, when, **fields) -> Action:
    quality = _user("kwaliteit@demo.stelsel.nl")
    action = action_update(action=action, revision=action.revision, user=quality, **fields)
    story.changed(action, when)
    return action


def _judge_after_visit(school, version, rng, leader) -> None:
    """Standards with an open herstelopdracht are not in order; those whose opdrachten were all
    judged sufficient in the follow-up are."""
    open_codes = {h[0] for h in HERSTEL if h[4] != "resolved"}
    resolved = {h[0] for h in HERSTEL if h[4] == "resolved"} - open_codes
    picture = Picture.objects.get(school=school, framework_version=version, state="current")
    after_follow_up = story.at(datetime.date(2026, 10, 20), 16)
    for entry in picture.entries.select_related("standard").filter(standard__isnull=False):
        # Never before the entry's own earlier judgement: the history stays in order.
        earlier = entry.judged_at + datetime.timedelta(days=1) if entry.judged_at else None
        when = max(after_follow_up, earlier) if earlier else after_follow_up
        if entry.standard.code in open_codes:
            _judge(entry, "nog_niet_in_orde", rng, leader, when)
        elif entry.standard.code in resolved:
            _judge(entry, "in_orde", rng, leader, when)
    last = picture.entries.aggregate(last=Max("judged_at"))["last"]
    Picture.objects.filter(pk=picture.pk).update(last_judged_at=last)


def _share(board, school, visit, documents, user) -> str:

    _link, raw = inspector_link_create(
        board=board,
        school=school,
        visit=visit,
        label="Inspecteur M. de Groot (herstelonderzoek)",
        documents=documents,
        user=user,
    )
    return raw
