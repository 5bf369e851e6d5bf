"""Every route of a programme's side, as every programme role, in its own programme and in
another, with the status each must answer.

The roles: the programme office, an advisor (in their own trajectory), another advisor of the
same programme, a researcher, the executive of the trajectory's board (no programme role: the
programme's side is closed to them whatever their board's trajectory) and someone not signed
in. Another programme answers 404 to everyone with a role only on this one. The names here are
counted as covered by `tests/test_permission_matrix.py::test_it_covers_every_route`, so a
programme route added without an entry here fails there.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.trajectories.models import (
    Application,
    PeerGroup,
    PeerMeeting,
    PlayingField,
    ProgrammeRole,
)
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

USERS = ["office", "advisor", "other_advisor", "researcher", "executive", "anonymous"]
SCOPES = ["own", "other_programme"]


@dataclass
class Side:
    """One programme with a cohort, a board's trajectory, an application, a peer group with a
    meeting."""

    programme: object
    cohort: object
    trajectory: object
    application: object
    group: object
    meeting: object


@dataclass
class ProgrammeWorld:
    own: Side
    other: Side
    users: dict = field(default_factory=dict)


def _side(board, advisor, period) -> Side:
    programme = make_programme()
    cohort = make_cohort(programme, **period)
    trajectory = make_trajectory(cohort, board=board, advisor=advisor, **period)
    application = Application.objects.create(
        cohort=cohort, board=board, question="Hoe houden we zicht op de kwaliteit?"
    )
    group = PeerGroup.objects.create(
        programme=programme, cohort=cohort, name="Middelgrote besturen", size_band="small"
    )
    group.trajectories.add(trajectory)
    meeting = PeerMeeting.objects.create(
        group=group, held_on=period["starts_on"], topic="Het kwaliteitsgesprek"
    )
    return Side(programme, cohort, trajectory, application, group, meeting)


@pytest.fixture
def pworld(db):
    today = timezone.localdate()
    period = {
        "starts_on": today - datetime.timedelta(days=60),
        "ends_on": today + datetime.timedelta(days=300),
    }
    board = make_board(name="Stichting Traject")
    make_school(board)
    make_school(board)
    users = {name: make_user(name=name) for name in USERS if name != "anonymous"}
    grant(users["executive"], board, Role.BOARD_EXECUTIVE)
    own = _side(board, users["advisor"], period)
    # The other programme has its own people; ours have no role on it.
    elsewhere = make_user(name="Elders")
    other = _side(board, elsewhere, period)
    programme_member(elsewhere, other.programme, ProgrammeRole.ADVISOR)
    programme_member(make_user(), other.programme, ProgrammeRole.OFFICE)
    programme_member(users["office"], own.programme, ProgrammeRole.OFFICE)
    programme_member(users["advisor"], own.programme, ProgrammeRole.ADVISOR)
    programme_member(users["other_advisor"], own.programme, ProgrammeRole.ADVISOR)
    programme_member(users["researcher"], own.programme, ProgrammeRole.RESEARCHER)
    # The other advisor has a trajectory of their own in the programme.
    make_trajectory(own.cohort, advisor=users["other_advisor"], **period)
    return ProgrammeWorld(own=own, other=other, users=users)


@dataclass
class PRoute:
    """How to call a programme route and what each user gets in their own programme.

    `expect` maps office, advisor, other_advisor, researcher to a status; the board executive
    without a programme role gets 404, everyone gets 404 in another programme (unless
    `agnostic`: no programme in the URL), and someone not signed in `anonymous`."""

    kwargs: Callable
    expect: dict
    method: str = "get"
    data: Callable | None = None
    anonymous: int = 302
    agnostic: bool = False
    executive: int = 404
    json: bool = False


def _expect(office, advisor, other_advisor, researcher) -> dict:
    return {
        "office": office,
        "advisor": advisor,
        "other_advisor": other_advisor,
        "researcher": researcher,
    }


ALL_OK = _expect(200, 200, 200, 200)
OFFICE_PAGE = _expect(200, 403, 403, 403)
OFFICE_POST = _expect(302, 403, 403, 403)
TRAJECTORY_PAGE = _expect(200, 200, 404, 404)
# The trajectory's own advisor writes; the office reads it but may not (403).
ADVISOR_POST = _expect(403, 302, 404, 404)
ANALYTICS = _expect(200, 403, 403, 200)


def _side_of(world, scope) -> Side:
    return world.own if scope == "own" else world.other


def programme_kwargs(world, scope):
    return {"slug": _side_of(world, scope).programme.slug}


def application_kwargs(world, scope):
    side = _side_of(world, scope)
    return {"slug": side.programme.slug, "application_id": side.application.pk}


def trajectory_kwargs(world, scope):
    side = _side_of(world, scope)
    return {"slug": side.programme.slug, "trajectory_id": side.trajectory.pk}


def triangle_kwargs(world, scope):
    return {**trajectory_kwargs(world, scope), "number": 1}


def group_kwargs(world, scope):
    side = _side_of(world, scope)
    return {"slug": side.programme.slug, "group_id": side.group.pk}


def meeting_kwargs(world, scope):
    side = _side_of(world, scope)
    return {**group_kwargs(world, scope), "meeting_id": side.meeting.pk}


def export_kwargs(world, scope):
    return {**programme_kwargs(world, scope), "fmt": "csv"}


def no_kwargs(world, scope):
    return {}


def _day(days_ago: int = 7) -> str:
    return str(timezone.localdate() - datetime.timedelta(days=days_ago))


def _intervention(world):
    return world.own.programme.interventions.get(name="Coaching").pk


def _log_data(world):
    return {"intervention": _intervention(world), "on": _day(), "with_whom": "Bestuurder"}


def _match_data(world):
    return {
        "advisor": world.users["advisor"].pk,
        "starts_on": _day(60),
        "ends_on": str(timezone.localdate() + datetime.timedelta(days=300)),
        "commitment": "Een dagdeel per maand.",
    }


def _needs_data(world):
    need = world.own.programme.needs.filter(field=PlayingField.BOARD_ACTION).first()
    return {f"needs_{PlayingField.BOARD_ACTION}": [need.pk]}


def _api_log_data(world):
    return json.dumps({"intervention_id": _intervention(world), "on": _day()})


PAGES = {
    "trajectories:programmes": PRoute(no_kwargs, ALL_OK, agnostic=True, executive=200),
    "trajectories:programme": PRoute(programme_kwargs, ALL_OK),
    "trajectories:cohorts": PRoute(programme_kwargs, OFFICE_PAGE),
    "trajectories:application": PRoute(application_kwargs, OFFICE_PAGE),
    "trajectories:application_decide": PRoute(
        application_kwargs,
        OFFICE_POST,
        method="post",
        data=lambda world: {"decision": "refuse", "note": "Het jaargang is vol."},
    ),
    "trajectories:advisors": PRoute(programme_kwargs, OFFICE_PAGE),
    "trajectories:people": PRoute(programme_kwargs, OFFICE_PAGE),
    "trajectories:catalogues": PRoute(programme_kwargs, OFFICE_PAGE),
    "trajectories:trajectory_intake": PRoute(
        trajectory_kwargs,
        OFFICE_POST,
        method="post",
        data=lambda world: {
            "on": _day(50),
            "notes": "Eerste gesprek.",
            "question": "Hoe voer ik het gesprek met de schoolleiders?",
        },
    ),
    "trajectories:trajectory_match": PRoute(
        trajectory_kwargs, OFFICE_POST, method="post", data=_match_data
    ),
    "trajectories:trajectory_triangle": PRoute(triangle_kwargs, OFFICE_PAGE),
    "trajectories:network": PRoute(programme_kwargs, OFFICE_PAGE),
    "trajectories:peer_group": PRoute(group_kwargs, OFFICE_PAGE),
    "trajectories:peer_meeting": PRoute(meeting_kwargs, OFFICE_PAGE),
    "trajectories:trajectory": PRoute(trajectory_kwargs, TRAJECTORY_PAGE),
    "trajectories:trajectory_log": PRoute(
        trajectory_kwargs, ADVISOR_POST, method="post", data=_log_data
    ),
    "trajectories:trajectory_attention": PRoute(
        trajectory_kwargs,
        ADVISOR_POST,
        method="post",
        data=lambda world: {
            "person_directing": 1,
            "person_executing": 1,
            "organisation_directing": 1,
            "organisation_executing": 1,
        },
    ),
    "trajectories:trajectory_recontract": PRoute(
        trajectory_kwargs,
        ADVISOR_POST,
        method="post",
        data=lambda world: {
            "question": "Hoe krijgt de raad van toezicht zicht op de kwaliteit?",
            "reason": "De vraag verschoof na het eerste driehoeksgesprek.",
            "revision": world.own.trajectory.revision,
        },
    ),
    "trajectories:trajectory_phase": PRoute(
        trajectory_kwargs, ADVISOR_POST, method="post", data=lambda world: {"phase": "analysis"}
    ),
    "trajectories:trajectory_needs": PRoute(
        trajectory_kwargs, ADVISOR_POST, method="post", data=_needs_data
    ),
    "trajectories:trajectory_insights": PRoute(
        trajectory_kwargs,
        ADVISOR_POST,
        method="post",
        data=lambda world: {"insights": "Helderheid over de eigen rol."},
    ),
    "trajectories:analytics": PRoute(programme_kwargs, ANALYTICS),
    "trajectories:analytics_export": PRoute(export_kwargs, ANALYTICS),
}

API = {
    "api:programmes": PRoute(no_kwargs, ALL_OK, agnostic=True, executive=200, anonymous=401),
    "api:programme_analytics": PRoute(programme_kwargs, ANALYTICS, anonymous=401),
    "api:programme_trajectories": PRoute(
        programme_kwargs, _expect(200, 200, 200, 403), anonymous=401
    ),
    "api:programme_trajectory": PRoute(trajectory_kwargs, TRAJECTORY_PAGE, anonymous=401),
    "api:programme_trajectory_log": PRoute(
        trajectory_kwargs,
        _expect(403, 201, 404, 404),
        method="post",
        data=_api_log_data,
        anonymous=401,
        json=True,
    ),
}

PROGRAMME_ROUTES = {**PAGES, **API}


def expected_status(route: PRoute, user: str, scope: str) -> int:
    if user == "anonymous":
        return route.anonymous
    if user == "executive":
        return route.executive
    if scope != "own" and not route.agnostic:
        return 404
    return route.expect[user]


CASES = [
    (name, user, scope)
    for name in sorted(PROGRAMME_ROUTES)
    for user in USERS
    for scope in SCOPES
    if scope == "own" or not PROGRAMME_ROUTES[name].agnostic
]


@pytest.mark.parametrize(("name", "user", "scope"), CASES)
def test_programme_route_answers_as_expected(client, pworld, name, user, scope):
    route = PROGRAMME_ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(pworld, scope))
    if user != "anonymous":
        client.force_login(pworld.users[user])
    data = route.data(pworld) if route.data else {}
    if route.json:
        response = getattr(client, route.method)(url, data, content_type="application/json")
    else:
        response = getattr(client, route.method)(url, data)
    expected = expected_status(route, user, scope)
    assert response.status_code == expected, (
        f"{route.method.upper()} {url} as {user} ({scope}): {response.status_code}, "
        f"expected {expected}"
    )


def test_every_route_of_the_programmes_side_is_in_this_matrix():
    """The programme's side: routes under programmas/ and the API's programme routes."""
    from django.urls import get_resolver

    from tests.test_permission_matrix import _names

    names = set(_names(get_resolver().url_patterns))
    programme_side = {
        n
        for n in names
        if (n.startswith("trajectories:") and not n.startswith("trajectories:board_"))
        or n.startswith("api:programme")
    }
    assert programme_side == set(PROGRAMME_ROUTES)


def _nav(client, path) -> str:
    page = client.get(path)
    assert page.status_code == 200
    return page.content.decode().split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("user", ["office", "advisor", "researcher", "executive"])
def test_the_menu_offers_programmes_to_people_with_a_programme_role(client, pworld, user):
    client.force_login(pworld.users[user])
    nav = _nav(client, reverse("frameworks:list"))
    assert (f'href="{reverse("trajectories:programmes")}"' in nav) == (user != "executive")


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(Role))
def test_the_menu_offers_support_to_the_board_office(client, world, role):
    client.force_login(world.users[role])
    nav = _nav(client, reverse("web:board_home", args=[world.board.pk]))
    support = f'href="{reverse("trajectories:board_support", args=[world.board.pk])}"'
    assert (support in nav) == (role in {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER})
    assert 'href="/programmas/"' not in nav


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADVISOR, Role.BOARD_EXECUTIVE])
def test_a_board_page_offers_the_programmes_to_someone_on_one_without_a_query(client, world, role):
    """An advisor working with a board through a trajectory reaches their programme from the
    board's pages too (inline, or under "More" for the board office); the session remembers
    it from the sign-in, so the board's page reads nothing more."""
    programme_member(world.users[role], make_programme(), ProgrammeRole.ADVISOR)
    client.force_login(world.users[role])
    nav = _nav(client, reverse("web:board_home", args=[world.board.pk]))
    assert f'href="{reverse("trajectories:programmes")}"' in nav
