"""The cockpit on the board's and the school's homes: schools in order of what needs attention,
each reason linking to the page that shows it and counting as that page counts, the results as
`po_outcomes` computes them, the coming dates, and only what the user may see."""

import re

import pytest
from django.urls import reverse

from stelsel.frameworks.models import FrameworkVersion
from stelsel.frameworks.services import frameworks_load
from stelsel.insight.cockpit import WEIGHTS, board_cockpit, school_cockpit
from stelsel.insight.models import Signal, SignalKind
from stelsel.insight.outcomes import po_outcomes
from stelsel.insight.small_multiples import percent
from stelsel.meetings.models import MeetingState
from stelsel.organisations.models import School
from stelsel.organisations.roles import Role
from stelsel.planning.models import ActionStatus
from tests.factories import grant, make_action, make_assignment, make_board, make_user
from tests.insight.cockpit_world import add_work, cockpit_world, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return cockpit_world()


def _home(client, user, board):
    client.force_login(user)
    response = client.get(reverse("web:board_home", args=[board.pk]))
    assert response.status_code == 200
    return response


def test_it_puts_schools_below_a_norm_first_then_by_weight(w):
    # De Wingerd has no signal but a herstelopdracht past its deadline: after every school
    # with a signal, however heavy its other reasons.
    wingerd = w.schools["02ZY"]
    make_assignment(w.board, wingerd, deadline=days(-10))
    cockpit = board_cockpit(w.executive, w.board, list(School.objects.filter(board=w.board)))
    order = [u.school.instellingscode for u in cockpit.attention]
    # Below the 1S/2F norm (severity 3): Morgenster and Lichtlijn also fell three years (50),
    # Het Kompas only below (30); then WereldWijs (two falling trends, 40) and De Rank (one, 20).
    assert order == ["00AV", "07LP", "05SW", "00AP", "03AZ", "02ZY"]
    scores = {u.school.instellingscode: u.score for u in cockpit.attention}
    assert scores["00AV"] == WEIGHTS["signal"][3] + WEIGHTS["signal"][2]
    # Past its deadline and not covered: counted once, by its most urgent state.
    assert scores["02ZY"] == WEIGHTS["assignment_overdue"]
    assert cockpit.quiet == []


def test_each_signal_reads_as_its_sentence_and_leads_to_the_results_standard(client, w):
    frameworks_load()
    po = FrameworkVersion.objects.get(framework__slug="onderzoekskader-2021-po")
    morgenster = w.schools["00AV"]
    work = add_work(w.board, morgenster, framework_version=po)
    or1 = work.picture.entries.get(standard__code="OR1")
    page = _home(client, w.executive, w.board).content.decode()
    below = Signal.objects.get(school=morgenster, kind=SignalKind.BELOW_NORM)
    entry_url = reverse("picture:entry", args=[w.board.pk, or1.pk])
    signal_url = reverse("insight:signal", args=[w.board.pk, below.pk])
    # Dutch by default: the sentence with decimal commas, linked to OR1, and its own page.
    assert "1S/2F over 2023-2025 is 37,68%" in page
    assert f'href="{entry_url}"' in page
    assert f'href="{signal_url}"' in page
    # A school without a picture has no standard to go to: the signal's own page instead.
    kompas = Signal.objects.get(school=w.schools["05SW"], kind=SignalKind.BELOW_NORM)
    cockpit = board_cockpit(w.executive, w.board, list(School.objects.filter(board=w.board)))
    urls = {r.signal.pk: r.url for u in cockpit.attention for r in u.signals}
    assert urls[below.pk] == entry_url
    assert urls[kompas.pk] == reverse("insight:signal", args=[w.board.pk, kompas.pk])


def test_its_counts_are_the_counts_of_the_pages_it_links_to(client, w):
    morgenster = w.schools["00AV"]
    add_work(w.board, morgenster)
    make_action(w.board, morgenster, due_on=days(-20), status=ActionStatus.STALLED)
    make_action(w.board, morgenster, due_on=days(-20), status=ActionStatus.DONE)  # not open
    make_assignment(w.board, morgenster, deadline=days(-40))
    cockpit = school_cockpit(w.executive, w.board, morgenster)
    (unit,) = cockpit.attention
    reasons = {r.kind: r for r in unit.reasons if r.signal is None}
    client.force_login(w.executive)

    def count_in(reason) -> int:
        return int(re.match(r"\D*(\d+)", reason.text).group(1))

    # Overdue actions: the action list filtered on the school and "only overdue".
    page = client.get(reasons["action_overdue"].url)
    assert count_in(reasons["action_overdue"]) == len(page.context["actions"]) == 2
    # Herstelopdrachten: the coverage view filtered on the school and the state.
    for kind, state in (("assignment_overdue", "overdue"), ("assignment_uncovered", "uncovered")):
        page = client.get(reasons[kind].url)
        assert count_in(reasons[kind]) == len(page.context["rows"])
        assert all(row.state == state for row in page.context["rows"])
    assert count_in(reasons["assignment_overdue"]) == 2
    # Standards not in order: the picture page's own figure.
    page = client.get(reasons["not_in_order"].url)
    assert (
        count_in(reasons["not_in_order"]) == page.context["view"].summary.requirements.not_in_order
    )
    # Missed meetings: the table's page lists the same ones.
    page = client.get(reasons["meeting_missed"].url)
    assert count_in(reasons["meeting_missed"]) == len(page.context["missed"]) == 3
    # Open round: the round's page.
    assert client.get(reasons["round_open"].url).context["round"].state == "open"
    # Signals: the school's open signals, each once.
    assert (
        len(unit.signals)
        == Signal.objects.filter(school=morgenster, resolved_at__isnull=True).count()
    )


def test_the_results_are_the_figures_of_po_outcomes(client, w):
    page = _home(client, w.executive, w.board).content.decode()
    outcomes = po_outcomes(board=w.board)
    for outcome in outcomes:
        row = re.search(
            re.escape(f'<code class="small">{outcome.ovt}</code>') + r".*?</tr>", page, re.S
        ).group(0)
        values = re.findall(r'<td class="num"><strong>([^<]*)</strong>', row)
        index = ("1F", "1S/2F").index(outcome.indicator)
        assert values[index] == percent(outcome.percentage).replace(".", ",")  # Dutch page
        assert f"{outcome.pupils} leerlingen" in row or f"{outcome.pupils} pupils" in row
        years = [f"{y.year}: " for y in outcome.years]
        assert all(year in row for year in years)
    # The charts: one per OVT and indicator, drawn in SVG without style attributes or scripts.
    assert page.count('class="sparkbars"') == 2 * len({o.ovt for o in outcomes})
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page), "an inline script"


def test_it_lists_what_is_coming_in_the_next_weeks(w):
    morgenster = w.schools["00AV"]
    work = add_work(w.board, morgenster)
    make_action(w.board, morgenster, due_on=days(30), title="Later")
    make_assignment(w.board, morgenster, deadline=days(60), text="Ver weg")
    cockpit = board_cockpit(w.executive, w.board, list(School.objects.filter(board=w.board)))
    coming = {(u.kind, u.text) for u in cockpit.upcoming}
    assert ("meeting", work.table.name) in coming
    assert ("action", "Binnenkort") in coming
    assert ("action", "Later") not in coming
    assert ("round", work.round.title) in coming
    deadlines = {u.url for u in cockpit.upcoming if u.kind == "assignment"}
    assert reverse(
        "picture:assignment_detail", args=[w.board.pk, work.uncovered_assignment.pk]
    ) in (deadlines)
    assert all(u.kind != "assignment" or "Ver weg" not in u.text for u in cockpit.upcoming)
    assert [u.day for u in cockpit.upcoming] == sorted(u.day for u in cockpit.upcoming)
    # A cancelled meeting is not coming.
    work.coming_meeting.state = MeetingState.CANCELLED
    work.coming_meeting.save()
    cockpit = board_cockpit(w.executive, w.board, list(School.objects.filter(board=w.board)))
    assert ("meeting", work.table.name) not in {(u.kind, u.text) for u in cockpit.upcoming}


def test_the_board_itself_is_a_unit_for_board_roles_only(client, w):
    work = add_work(w.board, None)
    work.table.members.add(w.leader)  # a seat at the board's table: its meetings are theirs
    cockpit = board_cockpit(w.executive, w.board, list(School.objects.filter(board=w.board)))
    board_unit = [u for u in cockpit.attention if u.school is None]
    assert len(board_unit) == 1
    assert {r.kind for r in board_unit[0].reasons} >= {
        "action_overdue",
        "assignment_overdue",
        "meeting_missed",
    }
    leaders = board_cockpit(w.leader, w.board, [w.schools["00AV"]])
    assert [u.school for u in leaders.attention] == [w.schools["00AV"]]
    assert work.table.name in {u.text for u in leaders.upcoming}  # the seat still counts here
    page = _home(client, w.leader, w.board).content.decode()
    assert "(the board itself)" not in page and "(het bestuur zelf)" not in page


def test_a_school_leader_sees_only_their_school(client, w):
    page = _home(client, w.leader, w.board).content.decode()
    assert "De Morgenster" in page
    for brin in ("05SW", "07LP", "00AP"):
        assert w.schools[brin].name not in page
    kompas = Signal.objects.get(school=w.schools["05SW"], kind=SignalKind.BELOW_NORM)
    assert reverse("insight:signal", args=[w.board.pk, kompas.pk]) not in page
    assert "47,62%" not in page  # Het Kompas's 1S/2F


def test_an_outsider_gets_404_and_sees_nothing(client, w):
    outsider = make_user()
    grant(outsider, make_board(name="Stichting Ander"), Role.BOARD_EXECUTIVE)
    client.force_login(outsider)
    assert client.get(reverse("web:board_home", args=[w.board.pk])).status_code == 404
    morgenster = w.schools["00AV"]
    assert (
        client.get(reverse("web:school_home", args=[w.board.pk, morgenster.pk])).status_code == 404
    )


def test_a_school_role_lands_on_its_school_home(client, w):
    client.force_login(w.staff)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse(
        "web:school_home", args=[w.board.pk, w.schools["00AV"].pk]
    )
    client.force_login(w.executive)
    assert client.get(reverse("home"))["Location"] == reverse("web:board_home", args=[w.board.pk])


def test_the_school_home_shows_the_same_for_one_school(client, w):
    morgenster = w.schools["00AV"]
    work = add_work(w.board, morgenster)
    add_work(w.board, w.schools["05SW"])
    client.force_login(w.leader)
    page = client.get(reverse("web:school_home", args=[w.board.pk, morgenster.pk])).content.decode()
    below = Signal.objects.get(school=morgenster, kind=SignalKind.BELOW_NORM)
    assert reverse("insight:signal", args=[w.board.pk, below.pk]) in page
    assert "37,68%" in page  # its 1S/2F, in the sentence and the table
    assert reverse("planning:plan", args=[w.board.pk, work.plan.pk]) in page
    assert reverse("planning:action_detail", args=[w.board.pk, work.overdue_action.pk]) in page
    assert reverse("picture:assignment_detail", args=[w.board.pk, work.overdue_assignment.pk]) in (
        page
    )
    assert reverse("selfevaluation:round", args=[w.board.pk, work.round.pk]) in page
    assert reverse("meetings:meeting", args=[w.board.pk, work.coming_meeting.pk]) in page
    # Nothing of Het Kompas, which has the same kinds of work.
    assert "47,62%" not in page
    assert Signal.objects.get(school=w.schools["05SW"], kind=SignalKind.BELOW_NORM).pk not in [
        int(pk) for pk in re.findall(r"/data/signalen/(\d+)/", page)
    ]
