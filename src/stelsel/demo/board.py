"""The demo board: a fictional primary-school board in the Vechtdal with eight schools.

Everything here is invented (numbers 999xx and BRIN codes 99X… are not used by DUO), so the demo
never collides with a real board imported from public data. Later capabilities add their own
demo content beside this module.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from stelsel.accounts.services import user_create
from stelsel.demo.story import (
    ADVISOR_JOINED_SINGLE_SCHOOL_BOARD,
    BOARD_STARTED,
    SINGLE_SCHOOL_BOARD_STARTED,
    at,
    changed,
    created,
)
from stelsel.organisations.models import Board, InspectionJudgement, Membership, School
from stelsel.organisations.roles import Role

DEMO_PASSWORD = "demo-stelsel-2026"
BOARD_NUMBER = "99901"
SINGLE_SCHOOL_BOARD_NUMBER = "99902"

SCHOOLS = [
    # code, name, kind, place, municipality, denomination
    ("99XA00", "OBS De Regenboog", "bo", "Hardenberg", "Hardenberg", "Openbaar"),
    ("99XB00", "CBS De Fontein", "bo", "Ommen", "Ommen", "Protestants-Christelijk"),
    ("99XC00", "SBO De Sprong", "sbo", "Hardenberg", "Hardenberg", "Interconfessioneel"),
    ("99XD00", "KBS Sint Jozef", "bo", "Dalfsen", "Dalfsen", "Rooms-Katholiek"),
    ("99XE00", "OBS Het Palet", "bo", "Ommen", "Ommen", "Openbaar"),
    ("99XF00", "CBS De Wegwijzer", "bo", "Nieuwleusen", "Dalfsen", "Protestants-Christelijk"),
    ("99XG00", "OBS De Vlinderhof", "bo", "Bergentheim", "Hardenberg", "Openbaar"),
    ("99XH00", "IKC De Horizon", "bo", "Lemelerveld", "Dalfsen", "Algemeen bijzonder"),
]
INSUFFICIENT_SCHOOL = "99XD00"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    description: str


PEOPLE = [
    # email, name, role, school code (None = board), description
    (
        "bestuurder@demo.stelsel.nl",
        "Anne-Marie Jansen",
        Role.BOARD_EXECUTIVE,
        None,
        "board executive",
    ),
    ("kwaliteit@demo.stelsel.nl", "Ruud Bakker", Role.QUALITY_OFFICER, None, "quality officer"),
    (
        "directeur.regenboog@demo.stelsel.nl",
        "Fatima el Amrani",
        Role.SCHOOL_LEADER,
        "99XA00",
        "school leader of OBS De Regenboog",
    ),
    (
        "directeur.sintjozef@demo.stelsel.nl",
        "Peter van den Berg",
        Role.SCHOOL_LEADER,
        "99XD00",
        "school leader of KBS Sint Jozef (insufficient judgement)",
    ),
    (
        "ib.sintjozef@demo.stelsel.nl",
        "Sanne de Wit",
        Role.STAFF,
        "99XD00",
        "IB'er / quality coordinator at KBS Sint Jozef",
    ),
    (
        "leerkracht.sprong@demo.stelsel.nl",
        "Joost Mulder",
        Role.STAFF,
        "99XC00",
        "teacher at SBO De Sprong",
    ),
    (
        "rvt@demo.stelsel.nl",
        "Hanneke Visser",
        Role.SUPERVISOR,
        None,
        "member of the supervisory board (RvT)",
    ),
    ("gmr@demo.stelsel.nl", "Kees Smit", Role.COUNCIL, None, "member of the GMR"),
    (
        "mr.regenboog@demo.stelsel.nl",
        "Ingrid Bos",
        Role.COUNCIL,
        "99XA00",
        "member of the MR of OBS De Regenboog",
    ),
    (
        "adviseur@demo.stelsel.nl",
        "Marleen Hoekstra",
        Role.ADVISOR,
        None,
        "advisor (also advises De Eik)",
    ),
]


SINGLE_SCHOOL_PEOPLE = [
    # email, name, role, at the school (else the board), description
    (
        "ib@de-eik.demo.stelsel.nl",
        "Lotte Meijer",
        Role.STAFF,
        True,
        "intern begeleider and quality coordinator at Basisschool De Eik",
    ),
    (
        "rvt@de-eik.demo.stelsel.nl",
        "Jan de Boer",
        Role.SUPERVISOR,
        False,
        "chair of the supervisory board of Stichting De Eik",
    ),
    (
        "mr@de-eik.demo.stelsel.nl",
        "Esther Veenstra",
        Role.COUNCIL,
        True,
        "member of the MR of Basisschool De Eik",
    ),
]


def _user(email: str, name: str, joined: datetime.datetime):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=DEMO_PASSWORD, name=name)
        User.objects.filter(pk=user.pk).update(date_joined=joined)
    return user


def _member(user, board, role, school, joined: datetime.datetime) -> None:
    membership, made = Membership.objects.get_or_create(
        user=user, board=board, role=role, school=school
    )
    if made:
        created(membership, joined)


def _created(model, joined: datetime.datetime, **kwargs):
    obj, made = model.objects.get_or_create(**kwargs)
    if made:
        created(obj, joined)
    return obj


@transaction.atomic
def demo_board_create() -> list[DemoLogin]:
    """Create (or complete) the demo boards; safe to run again."""
    started = at(BOARD_STARTED)
    board = _created(
        Board,
        started,
        number=BOARD_NUMBER,
        defaults={"name": "Stichting Vechtdal Onderwijs", "sector": "po"},
    )
    schools = {}
    for code, name, kind, city, municipality, denomination in SCHOOLS:
        school = _created(
            School,
            started,
            vestigingscode=code,
            defaults={
                "board": board,
                "name": name,
                "instellingscode": code[:4],
                "kind": kind,
                "city": city,
                "municipality": municipality,
                "denomination": denomination,
            },
        )
        schools[code] = school
    sint_jozef = schools[INSUFFICIENT_SCHOOL]
    if not sint_jozef.inspection_judgement:
        sint_jozef.inspection_judgement = InspectionJudgement.ONVOLDOENDE
        sint_jozef.inspection_judgement_date = datetime.date(2026, 3, 12)
        sint_jozef.save(update_fields=["inspection_judgement", "inspection_judgement_date"])
        # Recorded when the inspectorate's report came, a fortnight after the visit.
        changed(sint_jozef, at(datetime.date(2026, 3, 26), 11))

    logins = []
    for email, name, role, school_code, description in PEOPLE:
        user = _user(email, name, started)
        _member(user, board, role, schools[school_code] if school_code else None, started)
        logins.append(DemoLogin(email, name, description))

    # An eenpitter whose rector-bestuurder wears two hats, advised by the same advisor.
    eik_started = at(SINGLE_SCHOOL_BOARD_STARTED)
    eik = _created(
        Board,
        eik_started,
        number=SINGLE_SCHOOL_BOARD_NUMBER,
        defaults={"name": "Stichting De Eik", "sector": "po"},
    )
    eik_school = _created(
        School,
        eik_started,
        vestigingscode="99XJ00",
        defaults={
            "board": eik,
            "name": "Basisschool De Eik",
            "instellingscode": "99XJ",
            "kind": "bo",
            "city": "Vilsteren",
            "municipality": "Ommen",
            "denomination": "Algemeen bijzonder",
        },
    )
    director = _user("directeur@de-eik.demo.stelsel.nl", "Wim Koster", eik_started)
    _member(director, eik, Role.BOARD_EXECUTIVE, None, eik_started)
    _member(director, eik, Role.SCHOOL_LEADER, eik_school, eik_started)
    advisor = get_user_model().objects.get(email="adviseur@demo.stelsel.nl")
    _member(advisor, eik, Role.ADVISOR, None, at(ADVISOR_JOINED_SINGLE_SCHOOL_BOARD))
    logins.append(
        DemoLogin(
            director.email, director.name, "rector-bestuurder of the eenpitter Stichting De Eik"
        )
    )
    # The people the rector-bestuurder meets about quality: no board layer in between.
    for email, name, role, at_school, description in SINGLE_SCHOOL_PEOPLE:
        user = _user(email, name, eik_started)
        _member(user, eik, role, eik_school if at_school else None, eik_started)
        logins.append(DemoLogin(email, name, description))
    return logins
