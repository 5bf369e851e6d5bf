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

from stelsel.frameworks.models import FrameworkVersion, Requirement, Standard
from stelsel.organisations.models import Board, School
from stelsel.picture.assignments.services import assignment_create, assignment_follow_up
from stelsel.picture.entries import services
from stelsel.picture.entries.services import EntryChange
from stelsel.picture.evidence.services import evidence_create
from stelsel.picture.inspector.services import inspector_link_create
from stelsel.picture.models import Entry, Indicator, Picture, Visit
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

# Eleven herstelopdrachten for KBS Sint Jozef, with what happened since. state: the story.
HERSTEL = [
    # standard code, requirement index, text, deadline, state
    (
        "OP1",
        0,
        "Zorg dat het aanbod de kerndoelen dekt en voor taal en rekenen een doorgaande lijn heeft.",
        datetime.date(2026, 10, 1),
        "resolved",
    ),
    (
        "OP2",
        0,
        "Volg de ontwikkeling van leerlingen systematisch met een samenhangend "
        "leerlingvolgsysteem.",
        datetime.date(2026, 10, 1),
        "resolved",
    ),
    (
        "OP2",
        1,
        "Stem de ondersteuning af op wat leerlingen nodig hebben en evalueer of die werkt.",
        datetime.date(2027, 3, 1),
        "covered",
    ),
    (
        "OP3",
        0,
        "Zorg dat de lessen duidelijke uitleg, een taakgerichte sfeer en actieve "
        "betrokkenheid hebben.",
        datetime.date(2027, 3, 1),
        "covered",
    ),
    (
        "OP3",
        1,
        "Stem de instructie en verwerking af op verschillen tussen leerlingen.",
        datetime.date(2027, 3, 1),
        "stalled",
    ),
    (
        "OP0",
        0,
        "Zorg voor een dekkend aanbod voor de basisvaardigheden taal en rekenen.",
        datetime.date(2026, 9, 1),
        "overdue",
    ),
    (
        "OR1",
        0,
        "Analyseer de eindresultaten en stel vast welke verbeteringen nodig zijn.",
        datetime.date(2026, 10, 1),
        "resolved",
    ),
    (
        "SKA1",
        0,
        "Stel concrete doelen voor de basiskwaliteit en de eigen ambities op.",
        datetime.date(2027, 1, 15),
        "covered",
    ),
    (
        "SKA2",
        0,
        "Zorg dat het team de verbeteringen samen uitvoert en dat de leiding daarop stuurt.",
        datetime.date(2027, 3, 1),
        "stalled",
    ),
    (
        "SKA3",
        0,
        "Evalueer systematisch of de doelen worden bereikt en leg daarover verantwoording af.",
        datetime.date(2026, 11, 1),
        "overdue",
    ),
    (
        "VS1",
        0,
        "Monitor de veiligheid van leerlingen jaarlijks met een gestandaardiseerd instrument.",
        datetime.date(2027, 6, 1),
        "uncovered",
    ),
]

ACTION_STATE = {
    # story: (status, progress, due offset in days from today, stale)
    "resolved": ("done", 100, -60),
    "covered": ("in_progress", 55, 90),
    "stalled": ("stalled", 20, 30),
    "overdue": ("in_progress", 40, -20),
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


def _dated(obj, when) -> None:
    """Move what was just recorded about `obj` to `when`: its creation date and the history
    records written for it so far. Called right after an object is made, before any later
    change, so its history stays in order and the picture on an earlier date tells the story."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)
    type(obj).history.filter(id=obj.pk).update(history_date=when)


def _last_record_dated(obj, when, **fields) -> None:
    """Date the newest history record of `obj` (the change just made) at `when`, with the
    same `fields` as the row itself; earlier records keep their own dates."""
    record = type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()
    type(obj).history.filter(history_id=record.history_id).update(history_date=when, **fields)
    if fields:
        type(obj).objects.filter(pk=obj.pk).update(**fields)


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
    _last_record_dated(saved, when, judged_at=when, updated_at=when)


def _picture(board, school, version, *, user, rng, weights, leader) -> Picture:
    picture = services.picture_start(
        board=board, school=school, framework_version=version, period=PERIOD, user=user
    )
    started = timezone.make_aware(datetime.datetime(2026, 8, 25, 9, 0))
    Picture.objects.filter(pk=picture.pk).update(created_at=started, started_on=started.date())
    Entry.history.filter(picture_id=picture.pk).update(history_date=started)
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
        Indicator.objects.create(
            board=board,
            perspective=perspective,
            level=level,
            code=code,
            title=title,
            description=description,
            position=int(code[-1]),
        )
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
    _dated(evidence, timezone.make_aware(datetime.datetime.combine(recorded, datetime.time(9))))
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
    Visit.objects.filter(pk=visit.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 10, 0))
    )
    for n, item in enumerate(visit.checklist.all()):
        visit_step_update(visit=visit, item=item, done=n < 8, note="", user=quality)
    for email, hour, minute, text in LOG:
        note = visit_note_add(visit=visit, author=_user(email), text=text)
        day = VISIT_DAY if hour < 13 else VISIT_DAY + datetime.timedelta(days=1)
        note.created_at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, minute))
        )
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
    today = timezone.localdate()
    for n, (code, req_index, text, deadline, state) in enumerate(HERSTEL):
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
        _dated(assignment, timezone.make_aware(datetime.datetime(2026, 4, 2, 9, n)))
        if state == "uncovered":
            continue
        status, progress, due_offset = ACTION_STATE[state]
        # A resolved opdracht's action was under way until shortly before the follow-up.
        action = action_create(
            board=board,
            school=school,
            title=_action_title(code),
            owner=ib if n % 2 else leader,
            starts_on=datetime.date(2026, 4, 15),
            due_on=today + datetime.timedelta(days=due_offset),
            status="in_progress" if state == "resolved" else status,
            progress=60 if state == "resolved" else progress,
            standards=[standard],
            requirements=[requirement] if requirement else [],
            assignments=[assignment],
            visit=visit,
            user=quality,
        )
        _dated(action, timezone.make_aware(datetime.datetime(2026, 4, 15, 9, n)))
        if state == "resolved":
            action = action_update(
                action=action,
                revision=action.revision,
                status=status,
                progress=progress,
                user=quality,
            )
            _last_record_dated(action, timezone.make_aware(datetime.datetime(2026, 10, 1, 9, n)))
        if state == "stalled":
            Action.objects.filter(pk=action.pk).update(
                updated_at=timezone.now() - datetime.timedelta(days=60)
            )
        if state == "resolved":
            assignment_follow_up(
                assignment=assignment,
                follow_up_on=datetime.date(2026, 10, 15),
                outcome="sufficient",
                note="Herstelonderzoek: voldoende.",
                user=quality,
            )
            _last_record_dated(
                assignment, timezone.make_aware(datetime.datetime(2026, 10, 15, 16, n))
            )
    _judge_after_visit(school, version, rng, leader)
    return _share(board, school, visit, documents[:4], quality)


def _judge_after_visit(school, version, rng, leader) -> None:
    """Standards with an open herstelopdracht are not in order; those whose opdrachten were all
    judged sufficient in the follow-up are."""
    open_codes = {code for code, _i, _t, _d, state in HERSTEL if state != "resolved"}
    resolved = {code for code, _i, _t, _d, state in HERSTEL if state == "resolved"} - open_codes
    picture = Picture.objects.get(school=school, framework_version=version, state="current")
    after_follow_up = timezone.make_aware(datetime.datetime(2026, 10, 20, 16, 0))
    for entry in picture.entries.select_related("standard").filter(standard__isnull=False):
        # Never before the entry's own earlier judgement: the history stays in order.
        earlier = entry.judged_at + datetime.timedelta(days=1) if entry.judged_at else None
        when = max(after_follow_up, earlier) if earlier else after_follow_up
        if entry.standard.code in open_codes:
            _judge(entry, "nog_niet_in_orde", rng, leader, when)
        elif entry.standard.code in resolved:
            _judge(entry, "in_orde", rng, leader, when)


def _action_title(code: str) -> str:
    return {
        "OP1": "Aanbod taal en rekenen in kaart brengen en aanvullen",
        "OP2": "Leerlingvolgsysteem herinrichten en groepsbesprekingen plannen",
        "OP3": "Teambrede scholing directe instructie en collegiale consultatie",
        "OP0": "Methode begrijpend lezen vervangen en rekenaanbod uitbreiden",
        "OR1": "Trendanalyse eindresultaten met het team bespreken",
        "SKA1": "Schooldoelen concreet maken in het jaarplan",
        "SKA2": "Werkgroepen met duidelijke opdrachten en terugkoppeling",
        "SKA3": "Evaluatiekalender met halfjaarlijkse borgingsgesprekken",
    }.get(code, "Verbeteractie")


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
