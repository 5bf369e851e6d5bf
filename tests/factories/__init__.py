"""Builders for test data, all in this package; every test module builds its own world from
these. Here: boards, schools, people and roles, frameworks, pictures and actions; beside it,
`planning` (plans, goals, check-ins), `meetings` (tables and meetings), `picture` (evidence,
actions and herstelopdrachten for the API tests and the permission matrix), `files` (small real
files of every accepted type, and fakes) and `clock` (writing history at a given moment)."""

import datetime
import hashlib
import itertools
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from stelsel.accounts.models import User
from stelsel.accounts.services import user_create
from stelsel.frameworks.models import FrameworkVersion
from stelsel.frameworks.schema import parse_framework
from stelsel.frameworks.services import framework_version_store
from stelsel.organisations.models import Board, Membership, School
from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import picture_start
from stelsel.picture.inspector.services import inspector_link_create
from stelsel.picture.models import Assignment, Evidence, EvidenceFile
from stelsel.picture.visits.services import visit_create
from stelsel.planning.models import Action
from stelsel.selfevaluation.library import parse_questionnaire, questionnaire_version_store
from stelsel.selfevaluation.models import Answer, QuestionnaireVersion, Response, RoundState
from stelsel.selfevaluation.services import round_close, round_create, round_open

PASSWORD = "correct-horse-battery-9"
_counter = itertools.count(1)


def make_board(*, name: str | None = None, number: str | None = None, **fields) -> Board:
    n = next(_counter)
    return Board.objects.create(
        name=name or f"Stichting Test {n}", number=number or f"{10000 + n % 80000:05d}", **fields
    )


def _brin(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600) % 26]}"


def make_school(board: Board, *, name: str | None = None, kind: str = "bo", **fields) -> School:
    n = next(_counter)
    brin = fields.pop("instellingscode", None) or _brin(n)
    return School.objects.create(
        board=board,
        name=name or f"School {n}",
        instellingscode=brin,
        vestigingscode=fields.pop("vestigingscode", None) or f"{brin}00",
        kind=kind,
        **fields,
    )


def make_user(*, email: str | None = None, name: str = "", password: str = PASSWORD) -> User:
    n = next(_counter)
    return user_create(
        email=email or f"person{n}@example.org", password=password, name=name or f"Person {n}"
    )


def grant(user: User, board: Board, role: str, school: School | None = None) -> Membership:
    return Membership.objects.create(user=user, board=board, role=role, school=school)


BOARD_ROLES = [
    Role.BOARD_EXECUTIVE,
    Role.QUALITY_OFFICER,
    Role.SUPERVISOR,
    Role.COUNCIL,
    Role.ADVISOR,
]
SCHOOL_ROLES = [Role.SCHOOL_LEADER, Role.STAFF]


@dataclass
class World:
    """Two boards. `board` has `school` and `other_school`; `other_board` has its own school.

    `users[role]` holds one user per role on `board` (school roles on `school`); `outsider` is
    the board executive of `other_board`; `nobody` has no role anywhere.
    """

    board: Board
    school: School
    other_school: School
    other_board: Board
    other_board_school: School
    users: dict[str, User] = field(default_factory=dict)
    outsider: User | None = None
    nobody: User | None = None


def make_world() -> World:
    board = make_board(name="Stichting Eigen")
    world = World(
        board=board,
        school=make_school(board, name="De Eigen School"),
        other_school=make_school(board, name="De Andere School"),
        other_board=(other := make_board(name="Stichting Ander")),
        other_board_school=make_school(other, name="School van een ander bestuur"),
    )
    for role in BOARD_ROLES:
        world.users[role] = make_user(name=f"{role} user")
        grant(world.users[role], board, role)
    for role in SCHOOL_ROLES:
        world.users[role] = make_user(name=f"{role} user")
        grant(world.users[role], board, role, world.school)
    world.outsider = make_user(name="Outsider")
    grant(world.outsider, other, Role.BOARD_EXECUTIVE)
    world.nobody = make_user(name="Nobody")
    return world


SMALL_FRAMEWORK = """
id: klein-kader
version: 1
name: Klein kader
sector: po
level: school
valid_from: 2024-08-01
source: test
default_scale: status
scales:
  - code: status
    name: Status
    levels:
      - {code: ok, label: In orde, tone: positive}
      - {code: nok, label: Nog niet in orde, tone: negative}
areas:
  - {code: KL, name: Klein}
standards:
  - code: KL1
    area: KL
    name: Eerste
    gist: Kern.
    guidance: Uitleg.
    typical_evidence: [Document]
    requirements:
      - {code: KL1.1, text: Eis.}
  - code: KL2
    area: KL
    name: Tweede
    gist: Kern.
    guidance: Uitleg.
    typical_evidence: [Document]
    requirements:
      - {code: KL2.1, text: Eis.}
"""

SMALL_QUESTIONNAIRE = """
id: kleine-vragenlijst
version: 1
name: Kleine vragenlijst
level: school
framework: {id: klein-kader, version: 1}
scale:
  code: eens4
  points:
    - {value: 1, label: Oneens}
    - {value: 2, label: Beetje oneens}
    - {value: 3, label: Beetje eens}
    - {value: 4, label: Eens}
  dont_know: Weet ik niet
perspectives: [school_leaders, teachers, council]
sections:
  - standard: KL1
    comment: Toelichting
    items:
      - {code: KL1-01, text: Eerste stelling., requirement: KL1.1}
      - {code: KL1-02, text: Tweede stelling., wording: {teachers: Tweede stelling voor leraren.}}
  - standard: KL2
    items:
      - {code: KL2-01, text: Derde stelling.}
"""


def make_questionnaire(level: str = "school"):
    """A small questionnaire on a small framework (loaded once per test database)."""

    if not FrameworkVersion.objects.filter(framework__slug="klein-kader").exists():
        framework_version_store(spec=parse_framework(SMALL_FRAMEWORK))
    slug = "kleine-vragenlijst" if level == "school" else "kleine-bestuursvragenlijst"
    version = QuestionnaireVersion.objects.filter(questionnaire__slug=slug).first()
    text = SMALL_QUESTIONNAIRE.replace("level: school", f"level: {level}").replace(
        "id: kleine-vragenlijst", f"id: {slug}"
    )
    return version or questionnaire_version_store(spec=parse_questionnaire(text))


def make_round(
    board, school, *, state="draft", k=5, perspectives=None, created_by=None, run_by_school=False
):
    """A round of the small questionnaire; a board round when `school` is None; with
    `run_by_school`, one the school's leader started."""

    today = datetime.date.today()
    round_ = round_create(
        board=board,
        school=school,
        questionnaire_version=make_questionnaire("school" if school else "board"),
        title=f"Ronde {next(_counter)}",
        opens_on=today,
        closes_on=today + datetime.timedelta(14),
        perspectives=perspectives or [("school_leaders", ""), ("teachers", ""), ("council", "")],
        created_by=created_by,
        k=k,
        run_by_school=run_by_school,
    )
    if state in (RoundState.OPEN, RoundState.CLOSED, RoundState.SHARED):
        round_open(round_=round_)
    if state in (RoundState.CLOSED, RoundState.SHARED):
        round_close(round_=round_)
    round_.refresh_from_db()
    return round_


def fill_answers(round_, perspective_code: str, count: int, values) -> None:
    """`count` responses of one perspective, answering the statements with `values` in order
    (one value for all statements when `values` is a number)."""

    perspective = round_.perspectives.get(code=perspective_code)
    items = list(round_.questionnaire_version.items.all())
    values = [values] * len(items) if isinstance(values, int) else list(values)
    for _ in range(count):
        response = Response.objects.create(
            round=round_, perspective=perspective, submitted_on=round_.opens_on
        )
        Answer.objects.bulk_create(
            Answer(response=response, round=round_, perspective=perspective, item=item, value=value)
            for item, value in zip(items, values, strict=False)
        )


def make_framework_version(level: str = "school"):
    """A small framework for pictures, with a 'not yet judged' level (one per level)."""

    slug = "klein-beeldkader" if level == "school" else "klein-bestuursbeeldkader"
    version = FrameworkVersion.objects.filter(framework__slug=slug).first()
    if version:
        return version
    text = (
        SMALL_FRAMEWORK.replace("id: klein-kader", f"id: {slug}")
        .replace("level: school", f"level: {level}")
        .replace("sector: po", "sector: po" if level == "school" else "sector: all")
        .replace(
            "      - {code: nok, label: Nog niet in orde, tone: negative}",
            "      - {code: nok, label: Nog niet in orde, tone: negative}\n"
            "      - {code: nnb, label: Nog niet beoordeeld, tone: neutral}",
        )
    )
    return framework_version_store(spec=parse_framework(text))


def make_picture(board, school=None, *, period: str = "2026-2027", user=None):
    """A current picture of a school (or of the board, for `school=None`)."""

    version = make_framework_version("school" if school is not None else "board")
    return picture_start(
        board=board, school=school, framework_version=version, period=period, user=user
    )


def make_assignment(board, school=None, standard=None, *, code="KL1", deadline=None, **fields):
    """A herstelopdracht of a unit on `standard`, by default the standard `code` of the small
    picture framework."""

    if standard is None:
        version = make_framework_version("school" if school is not None else "board")
        standard = version.standards.get(code=code)
    return Assignment.objects.create(
        board=board,
        school=school,
        standard=standard,
        text=fields.pop("text", f"Opdracht {next(_counter)}"),
        deadline=deadline or datetime.date.today() + datetime.timedelta(days=90),
        **fields,
    )


def make_action(board, school=None, *, assignments=(), standards=(), **fields):
    """An action of a unit, written directly (the services are tested on their own)."""

    action = Action.objects.create(
        board=board, school=school, title=fields.pop("title", f"Actie {next(_counter)}"), **fields
    )
    action.standards.set(standards)
    action.assignments.set(assignments)
    return action


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"


def make_evidence(
    board, school=None, *, title=None, data: bytes = MINIMAL_PDF, versions=1, standards=(), **fields
):
    """A document of a unit with `versions` stored versions (`<title>-v<n>.pdf`, or
    `bewijs.pdf` for a single version of an untitled one), written directly (the services are
    tested on their own); `data=None` or `versions=0` gives a link instead."""

    document = data is not None and versions > 0
    evidence = Evidence.objects.create(
        board=board,
        school=school,
        kind=fields.pop("kind", "document" if document else "link"),
        url=fields.pop("url", "" if document else "https://example.org/plan"),
        title=title or f"Bewijs {next(_counter)}",
        **fields,
    )
    evidence.standards.set(standards)
    for version in range(1, versions + 1) if document else ():
        content = data if version == 1 else data + f"% version {version}\n".encode()
        single = title is None and versions == 1
        record = EvidenceFile(
            board=board,
            evidence=evidence,
            version=version,
            name="bewijs.pdf" if single else f"{evidence.title.lower()}-v{version}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        record.file.save("upload", ContentFile(content), save=True)
    return evidence


def make_visit(board, school=None, **fields):
    """A visit of a unit through the service, so it carries the board's checklist."""

    today = datetime.date.today()
    return visit_create(
        board=board,
        school=school,
        kind=fields.pop("kind", "four_yearly"),
        title=fields.pop("title", f"Bezoek {next(_counter)}"),
        starts_on=fields.pop("starts_on", today),
        ends_on=fields.pop("ends_on", today),
        **fields,
    )


def make_inspector_link(board, school=None, **fields):
    """An inspector's link of a unit and its raw token, as `(link, token)`."""

    return inspector_link_create(
        board=board, school=school, label=fields.pop("label", "Inspecteur J. de Vries"), **fields
    )
