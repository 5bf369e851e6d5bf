"""One figure everywhere: a school's "in order / total" per perspective, and whether each
herstelopdracht is covered, read back from every page and API answer that shows them.

The figures are read from the rendered pages (their data attributes) and the JSON, not from
the functions, so a page that counts on its own, or leaves the board's own requirements out,
fails here. Checked on the demo and on random boards: schools with random statuses on the
framework's standards, own indicators in random perspectives (added before or after the
pictures were started, some retired), and random herstelopdrachten with random actions under
random plans.
"""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stelsel.organisations.models import Board
from stelsel.organisations.roles import Role
from stelsel.picture.entries import selectors
from stelsel.picture.entries.services import (
    EntryChange,
    entry_update,
    indicator_create,
    indicator_set_active,
)
from stelsel.picture.models import Assignment, Picture, PictureState
from stelsel.picture.rollups import PERSPECTIVES, summarise_picture
from stelsel.planning.models import Plan, PlanKind
from tests.factories import (
    grant,
    make_action,
    make_assignment,
    make_board,
    make_inspector_link,
    make_picture,
    make_school,
    make_user,
)
from tests.factories.planning import make_goal, make_plan

pytestmark = pytest.mark.django_db

PARTS = ("in-order", "not-in-order", "total", "framework", "own")


class _DataTags(HTMLParser):
    """The attributes of every element that carries `data-<key>`."""

    def __init__(self, key: str):
        super().__init__()
        self.key, self.found = f"data-{key}", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.key in attrs:
            self.found.append(attrs)


def tagged(html: str, key: str) -> list[dict]:
    parser = _DataTags(key)
    parser.feed(html)
    return parser.found


def _figure(attrs: dict) -> tuple:
    return tuple(int(attrs[f"data-{part}"]) for part in PARTS)


def _expected(summary) -> tuple:
    return (
        summary.in_order,
        summary.not_in_order,
        summary.total,
        summary.framework.total,
        summary.own.total,
    )


def _shown(figures: dict) -> dict:
    """Perspectives with something in them: pages leave empty perspectives out."""
    return {p: f for p, f in figures.items() if f[2]}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def summaries_on(html: str) -> dict:
    """Per perspective, the figure a page shows (picture/_summary.html); each once."""
    found = [(a["data-perspective"], _figure(a)) for a in tagged(html, "perspective")]
    perspectives = [p for p, _f in found]
    assert len(perspectives) == len(set(perspectives)), "a perspective is shown twice"
    return dict(found)


def _api_figure(item: dict) -> tuple:
    return (
        item["in_order"],
        item["not_in_order"],
        item["total"],
        item["framework"]["total"],
        item["own"]["total"],
    )


def _api_summaries(answer: dict) -> dict:
    for item in answer["summary"]:
        parts = [item[k]["total"] for k in ("framework", "own")]
        assert sum(parts) == item["total"]
    return {item["perspective"]: _api_figure(item) for item in answer["summary"]}


def overview_rows(html: str) -> dict:
    """Per picture in the heat map: its figure, and the cells of its row by tone."""
    figures = {
        int(a["data-picture"]): _figure(a) for a in tagged(html, "in-order") if "data-own" in a
    }
    cells = {}
    for row in html.split("<tr>")[1:]:
        pictures = [a for a in tagged(row, "picture") if "data-in-order" in a]
        if not pictures:
            continue
        cells[int(pictures[0]["data-picture"])] = {
            tone: row.count(f'heat__cell--{tone}"><a ') for tone in ("positive", "negative", "none")
        }
    return figures, cells


def check_one_figure(client, board: Board, tokens: dict) -> None:
    """Every page and API answer shows each current picture with the figure of
    `picture_summaries`, and the heat map's cells add up to it."""
    pictures = list(Picture.objects.filter(board=board, state=PictureState.CURRENT))
    expected = selectors.picture_summaries({p.pk: p.framework_version_id for p in pictures})
    overview = _page(client, reverse("picture:overview", args=[board.pk]))
    heat, cells = overview_rows(overview)
    listed = {
        item["id"]: _api_summaries(item)
        for item in client.get(reverse("api:pictures", args=[board.pk])).json()
    }
    for picture in pictures:
        summary = expected[picture.pk]
        want = {s.perspective: _expected(s) for s in summary.perspectives}
        requirements = want["requirements"]
        assert heat[picture.pk] == requirements, "overview"
        if picture.school_id is not None:
            row = cells[picture.pk]
            assert row["positive"] == requirements[0], "overview cells"
            assert row["negative"] == requirements[1], "overview cells"
            assert sum(row.values()) == requirements[2], "overview cells"
        assert listed[picture.pk] == want, "API list"
        detail = client.get(reverse("api:picture", args=[board.pk, picture.pk])).json()
        assert _api_summaries(detail) == want, "API picture"
        pages = {
            "picture": reverse("picture:picture", args=[board.pk, picture.pk]),
            "presentation": reverse("picture:picture_present", args=[board.pk, picture.pk]),
            "inspector": reverse("picture:inspector_view", args=[tokens[picture.school_id]]),
        }
        if picture.school_id is not None:
            pages["school"] = reverse("web:school_home", args=[board.pk, picture.school_id])
        for name, url in pages.items():
            assert summaries_on(_page(client, url)) == _shown(want), name


def check_one_coverage(client, board: Board, plans: dict) -> None:
    """For every herstelopdracht, the coverage view, the API and the plan coach (on the plan
    page and in the API) say the same about whether it is covered; the counts of open and
    uncovered opdrachten on the coverage view, the school page and the overview agree."""
    coverage_url = reverse("picture:assignments", args=[board.pk])
    in_api = {a["id"]: a for a in client.get(reverse("api:assignments", args=[board.pk])).json()}
    overview = _page(client, reverse("picture:overview", args=[board.pk]))
    open_in_overview = {
        int(a["data-picture"]): (int(a["data-open"]), int(a["data-uncovered"]))
        for a in tagged(overview, "open")
    }
    for school_id, plan in plans.items():
        page = _page(client, f"{coverage_url}?school={school_id}")
        rows = {int(a["data-assignment"]): a for a in tagged(page, "assignment")}
        covered = {pk for pk, a in rows.items() if a["data-covered"] == "yes"}
        open_ = {pk for pk, a in rows.items() if a["data-resolved"] == "no"}
        assert {pk for pk in rows if in_api[pk]["coverage"]["covered"]} == covered
        (counts,) = tagged(page, "uncovered")
        assert int(counts["data-open"]) == len(open_)
        assert int(counts["data-uncovered"]) == len(open_ - covered)
        assert int(counts["data-covered"]) == len(open_ & covered)

        school_page = _page(client, reverse("web:school_home", args=[board.pk, school_id]))
        shown = tagged(school_page, "uncovered")
        if rows:
            assert [(a["data-open"], a["data-uncovered"]) for a in shown] == [
                (counts["data-open"], counts["data-uncovered"])
            ]
        else:
            assert shown == []
        picture = Picture.objects.get(school_id=school_id, state=PictureState.CURRENT)
        assert open_in_overview[picture.pk] == (len(open_), len(open_ - covered))

        herstel = set(
            Assignment.objects.filter(pk__in=open_, kind="herstel").values_list("pk", flat=True)
        )
        plan_page = _page(client, reverse("planning:plan", args=[board.pk, plan.pk]))
        said = {}
        for a in tagged(plan_page, "rule"):
            if a["data-rule"].startswith("herstel_"):
                said[int(a["data-subject"])] = a["data-rule"]
        api_plan = client.get(reverse("api:plan", args=[board.pk, plan.pk])).json()
        assert {
            f["subject_id"]: f["rule"]
            for f in api_plan["findings"]
            if f["rule"].startswith("herstel_")
        } == said
        uncovered = {pk for pk, rule in said.items() if rule == "herstel_uncovered"}
        assert uncovered == herstel - covered, "the coach and the coverage view disagree"
        outside = {pk for pk, rule in said.items() if rule == "herstel_without_plan"}
        assert outside <= herstel & covered


# --- The arithmetic ---------------------------------------------------------------------------

counted_entries = st.lists(
    st.tuples(
        st.sampled_from(PERSPECTIVES),
        st.booleans(),
        st.sampled_from([None, "positive", "negative", "neutral"]),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(counted_entries)
def test_each_entry_counts_once_in_its_perspective_and_part(entries):
    summary = summarise_picture(entries)
    assert [s.perspective for s in summary.perspectives] == list(PERSPECTIVES)
    assert sum(s.total for s in summary.perspectives) == len(entries)
    for s in summary.perspectives:
        for own, part in ((False, s.framework), (True, s.own)):
            tones = [t for p, o, t in entries if p == s.perspective and o == own]
            assert part.total == len(tones)
            assert part.in_order == tones.count("positive")
            assert part.not_in_order == tones.count("negative")
        assert s.total == s.framework.total + s.own.total
        assert s.in_order == s.framework.in_order + s.own.in_order


# --- The demo -------------------------------------------------------------------------------


def _demo(client):
    from stelsel.demo.board import BOARD_NUMBER, INSUFFICIENT_SCHOOL

    call_command("demo", stdout=io.StringIO())
    board = Board.objects.get(number=BOARD_NUMBER)
    client.force_login(board.memberships.get(role=Role.BOARD_EXECUTIVE).user)
    return board, board.schools.get(vestigingscode=INSUFFICIENT_SCHOOL)


def _links(board) -> dict:
    """An inspector's link for every unit with a current picture (the board itself: None)."""
    units = Picture.objects.filter(board=board, state=PictureState.CURRENT).values_list(
        "school", flat=True
    )
    schools = {s.pk: s for s in board.schools.all()}
    return {unit: make_inspector_link(board, schools.get(unit))[1] for unit in units}


def test_the_demo_shows_each_schools_figure_everywhere_with_its_own_requirement(client):
    board, sint_jozef = _demo(client)
    check_one_figure(client, board, _links(board))
    # The story users told: Sint Jozef's Eisen are twelve standards and one own requirement.
    picture = Picture.objects.get(school=sint_jozef, state=PictureState.CURRENT)
    requirements = selectors.picture_summaries({picture.pk: picture.framework_version_id})[
        picture.pk
    ].requirements
    assert (requirements.framework.total, requirements.own.total) == (12, 1)
    page = _page(client, reverse("web:school_home", args=[board.pk, sint_jozef.pk]))
    assert "12 standaarden uit het kader en 1 eigen eis van het bestuur" in page
    overview = _page(client, reverse("picture:overview", args=[board.pk]))
    assert f"{requirements.in_order}/13<br>" in overview
    assert "12 standaarden + 1 eigen eis" in overview


def test_the_demo_coach_and_coverage_view_agree_on_every_herstelopdracht(client):
    board, sint_jozef = _demo(client)
    improvement = Plan.objects.get(board=board, school=sint_jozef, kind=PlanKind.IMPROVEMENT)
    check_one_coverage(client, board, {sint_jozef.pk: improvement})
    page = _page(client, reverse("picture:assignments", args=[board.pk]))
    (counts,) = tagged(page, "uncovered")
    assert (counts["data-open"], counts["data-covered"], counts["data-uncovered"]) == (
        "8",
        "7",
        "1",
    )
    plan = _page(client, reverse("planning:plan", args=[board.pk, improvement.pk]))
    rules = [a["data-rule"] for a in tagged(plan, "rule") if a["data-rule"].startswith("herstel")]
    assert sorted(rules) == ["herstel_uncovered"] + ["herstel_without_plan"] * 3
    assert "is niet opgepakt met een actie" in plan
    assert "is opgepakt met een actie, maar" in plan


# --- Random boards --------------------------------------------------------------------------

TODAY = timezone.localdate()
STATUSES = st.sampled_from([None, "ok", "nok", "nnb"])
indicators = st.lists(
    st.fixed_dictionaries(
        {
            "perspective": st.sampled_from(["requirements", "ambitions", "expectations"]),
            "level": st.sampled_from(["school", "board", "both"]),
            "after_start": st.booleans(),
            "retired": st.booleans(),
        }
    ),
    max_size=4,
)
actions = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(["planned", "in_progress", "stalled", "done", "cancelled"]),
            "goal": st.sampled_from([None, "improvement", "school"]),
        }
    ),
    max_size=3,
)
assignments = st.lists(
    st.fixed_dictionaries(
        {
            "code": st.sampled_from(["KL1", "KL2"]),
            "kind": st.sampled_from(["herstel", "herstel", "ontwikkel"]),
            "days": st.integers(min_value=-60, max_value=60),
            "outcome": st.sampled_from(["", "", "sufficient", "insufficient"]),
            "actions": actions,
        }
    ),
    max_size=4,
)
boards = st.fixed_dictionaries(
    {
        "schools": st.lists(assignments, min_size=1, max_size=3),
        "indicators": indicators,
        "board_picture": st.booleans(),
    }
)


def _build(data, spec) -> tuple:
    board = make_board()
    executive = make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    schools = [make_school(board) for _ in spec["schools"]]

    def add_indicators(after_start: bool):
        for n, item in enumerate(spec["indicators"]):
            if item["after_start"] == after_start:
                indicator = indicator_create(
                    board=board,
                    perspective=item["perspective"],
                    level=item["level"],
                    code=f"E{n}",
                    title=f"Eigen {n}",
                )
                if item["retired"]:
                    indicator_set_active(indicator=indicator, active=False)

    add_indicators(after_start=False)
    pictures = [make_picture(board, school) for school in schools]
    if spec["board_picture"]:
        pictures.append(make_picture(board, None))
    add_indicators(after_start=True)
    for picture in pictures:
        for entry in picture.entries.order_by("pk"):
            status = data.draw(STATUSES)
            if status:
                entry_update(
                    entry=entry,
                    revision=entry.revision,
                    change=EntryChange(status=status),
                    user=executive,
                )
    plans = {}
    for school, opdrachten in zip(schools, spec["schools"], strict=True):
        improvement = make_plan(board, school, kind=PlanKind.IMPROVEMENT)
        goals = {
            "improvement": make_goal(improvement),
            "school": make_goal(make_plan(board, school, kind=PlanKind.SCHOOL)),
            None: None,
        }
        plans[school.pk] = improvement
        for item in opdrachten:
            assignment = make_assignment(
                board,
                school,
                code=item["code"],
                kind=item["kind"],
                deadline=TODAY + datetime.timedelta(days=item["days"]),
                follow_up_outcome=item["outcome"],
            )
            for action in item["actions"]:
                make_action(
                    board,
                    school,
                    assignments=[assignment],
                    status=action["status"],
                    goal=goals[action["goal"]],
                )
    return board, executive, plans


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), spec=boards)
def test_random_boards_show_one_figure_and_one_coverage_everywhere(client, data, spec):
    with transaction.atomic():
        board, executive, plans = _build(data, spec)
        client.force_login(executive)
        check_one_figure(client, board, _links(board))
        check_one_coverage(client, board, plans)
        transaction.set_rollback(True)
