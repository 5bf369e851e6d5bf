"""The anonymity promise over a round's whole release history, checked by an exact solver.

Rounds are played through the real services (answers submitted, closed, reopened) and read
through the real API as an organiser would: the count while open, the results and the count at
each close. `release_attack` turns every read into equations and bounds and asks z3 what they
determine. The property: nothing below k is ever determined, whatever the sequence. Then each
protection is turned off in turn, and the same search must find a leak.
"""

import datetime
import random
import uuid

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import aggregation, releases, selectors, services
from stelsel.selfevaluation.aggregation import Cell
from stelsel.selfevaluation.library import parse_questionnaire, questionnaire_version_store
from stelsel.selfevaluation.models import QuestionnaireVersion
from tests.factories import make_questionnaire
from tests.selfevaluation.release_attack import (
    Observed,
    Respondent,
    Spec,
    Truth,
    comment_leaks,
    violations,
)

pytestmark = pytest.mark.django_db

POINTS = 3
ITEMS = 2
K_TEXT = 10
QUESTIONNAIRE = """
id: vrijgave-toets
version: 1
name: Vrijgave-toets
level: school
framework: {id: klein-kader, version: 1}
scale:
  code: eens3
  points:
    - {value: 1, label: Oneens}
    - {value: 2, label: Neutraal}
    - {value: 3, label: Eens}
  dont_know: Weet ik niet
perspectives: [school_leaders, teachers, council]
sections:
  - standard: KL1
    comment: Toelichting
    items:
      - {code: T-01, text: Eerste stelling.}
      - {code: T-02, text: Tweede stelling.}
"""
GROUPS = ["school_leaders", "teachers", "council"]


def _questionnaire() -> QuestionnaireVersion:
    make_questionnaire()  # loads the small framework
    found = QuestionnaireVersion.objects.filter(questionnaire__slug="vrijgave-toets").first()
    return found or questionnaire_version_store(spec=parse_questionnaire(QUESTIONNAIRE))


# --- Playing a round ------------------------------------------------------------------------


def play(world, client, *, k: int, groups: list[str], phases: list[list]):
    """Run a round through the services and read it through the API as its organiser.

    `phases` are the steps before the first close and (optionally) after the reopening: a
    step is "read" or (group, [Respondent, …]).
    """
    version = _questionnaire()
    today = datetime.date.today()
    round_ = services.round_create(
        board=world.board,
        school=world.school,
        questionnaire_version=version,
        title=f"Vrijgave {uuid.uuid4().hex[:6]}",
        opens_on=today,
        closes_on=today + datetime.timedelta(14),
        perspectives=[(code, "") for code in groups],
        created_by=None,
        k=k,
        k_text=K_TEXT,
    )
    services.round_open(round_=round_)
    perspectives = {p.code: p for p in round_.perspectives.all()}
    items = list(version.items.order_by("position").values_list("pk", flat=True))
    section = version.sections.get().pk
    client.force_login(world.users[Role.QUALITY_OFFICER])
    base = f"/api/v1/boards/{world.board.pk}/rounds/{round_.pk}"
    truth = Truth(groups=list(groups), items=ITEMS, points=POINTS)
    observed = Observed()
    for batch, steps in enumerate(phases):
        if batch:
            services.round_reopen(round_=round_, reason="Een groep kreeg de link te laat.")
        slice_ = 0
        for step in steps:
            if step == "read":
                count = client.get(base).json()["response_rate"]["responses"]
                observed.open_reads.append((batch, slice_, count))
                slice_ += 1
                continue
            group, people = step
            for person in people:
                services.response_submit(
                    perspective=perspectives[group],
                    submission=services.Submission(
                        dict(zip(items, person.answers, strict=True)),
                        {section: person.comment} if person.comment else {},
                    ),
                    device_key=uuid.uuid4().hex,
                )
                truth.people.setdefault((group, batch, slice_), []).append(person)
        truth.slice_counts[batch] = slice_ + 1
        services.round_close(round_=round_)
        results = client.get(base + "/results")
        assert results.status_code == 200, results.content
        observed.closes.append(
            (results.json(), client.get(base).json()["response_rate"]["responses"])
        )
    return truth, observed


def leaks(world, client, scenario, spec: Spec | None = None) -> list[str]:
    k, groups, phases = scenario
    truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    ids = {code: code for code in groups}
    return violations(truth, observed, ids, spec or Spec(), k) + comment_leaks(
        truth, observed, ids, K_TEXT
    )


# --- Random histories -----------------------------------------------------------------------


CHOICES = {
    "never": [1, 2, 3, 3],
    "sometimes": [1, 2, 3, None],
    "often": [None, None, None, 2],
}


@st.composite
def respondents(draw, *, profile):
    """One respondent; `profile` says per statement how often "don't know" is chosen."""
    answers = tuple(draw(st.sampled_from(CHOICES[level])) for level in profile)
    comment = draw(st.booleans())
    return Respondent(answers, f"opmerking {uuid.uuid4().hex[:8]}" if comment else "")


@st.composite
def histories(draw, *, reopen=None):
    """k, groups and the steps of one or two phases: answers per group interleaved with reads.
    Group sizes run from none to past the comment threshold, some groups say "don't know" a
    lot."""
    k = draw(st.sampled_from([3, 4, 5]))
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=3, unique=True))
    profiles = {
        g: tuple(draw(st.sampled_from(list(CHOICES))) for _ in range(ITEMS)) for g in groups
    }
    phases = []
    reopened = draw(st.booleans()) if reopen is None else reopen
    for _phase in range(2 if reopened else 1):
        steps = []
        for _chunk in range(draw(st.integers(1, 4))):
            group = draw(st.sampled_from(groups))
            size = draw(st.sampled_from([0, 1, 1, 2, 3, 4, 5, 6, 8, 11]))
            steps.append(
                (
                    group,
                    [draw(respondents(profile=profiles[group])) for _ in range(size)],
                )
            )
            if draw(st.booleans()):
                steps.append("read")
        phases.append(steps)
    return k, groups, phases


SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SLOW
@given(histories())
def test_no_release_history_determines_anything_below_k(world, client, scenario):
    assert leaks(world, client, scenario) == []


# --- The cases of the review, one by one ----------------------------------------------------


def _same(n, answers, comment=False):
    return [
        Respondent(tuple(answers), f"opmerking {uuid.uuid4().hex[:8]}" if comment else "")
        for _ in range(n)
    ]


def test_a_group_hidden_at_the_first_close_stays_out_of_every_total(world, client):
    """Five leaders and one council member; after a reopening five teachers. The first total
    never held the lone council member, so no release gives the answers away."""
    k, groups = 5, ["school_leaders", "council", "teachers"]
    phases = [
        [("school_leaders", _same(5, [3, 2])), ("council", _same(1, [1, 1])), "read"],
        [("teachers", _same(5, [2, 2])), "read"],
    ]
    truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    for results, count in observed.closes:
        for item in results["sections"][0]["items"]:
            council = next(p["id"] for p in results["perspectives"] if p["code"] == "council")
            assert council not in item["total"]["perspective_ids"]
            assert 1 not in [c["mean"] for c in item["cells"]]
    assert observed.closes[0][1] == 5 and observed.closes[1][1] == 10
    assert observed.open_reads == [(0, 0, 5), (1, 0, 10)]
    ids = {g: g for g in groups}
    assert violations(truth, observed, ids, Spec(), k) == []


def test_a_lone_respondent_joins_a_group_that_grows_past_k_after_a_reopening(world, client):
    """Six leaders and one teacher; reopened; five more teachers: the six teachers are shown
    together, and the first release held nothing of the first one."""
    k, groups = 5, ["school_leaders", "teachers"]
    phases = [
        [("school_leaders", _same(6, [3, 3])), ("teachers", _same(1, [1, 1]))],
        [("teachers", _same(5, [2, 2]))],
    ]
    truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    first, second = (results for results, _count in observed.closes)
    teachers = {p["code"]: p["id"] for p in first["perspectives"]}["teachers"]
    cell = next(
        c for c in first["sections"][0]["items"][0]["cells"] if c["perspective_id"] == teachers
    )
    assert cell["state"] == "suppressed"
    cell = next(
        c for c in second["sections"][0]["items"][0]["cells"] if c["perspective_id"] == teachers
    )
    assert cell["state"] == "published" and cell["n"] == 6
    assert violations(truth, observed, {g: g for g in groups}, Spec(), k) == []


def test_late_comments_below_the_comment_threshold_are_not_added(world, client):
    k, groups = 5, ["teachers"]
    phases = [
        [("teachers", _same(10, [3, 3], comment=True))],
        [("teachers", _same(5, [2, 2], comment=True))],
    ]
    truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    first, second = (r["sections"][0]["comments"] for r, _count in observed.closes)
    assert len(first[0]["texts"]) == 10
    assert second == first, "five late comments would stand alone"
    (teachers,) = observed.closes[1][0]["perspectives"]
    assert teachers["late_answers_counted"] is True, "the figures count them: five is k"
    assert comment_leaks(truth, observed, {"teachers": "teachers"}, K_TEXT) == []


def test_no_count_while_open_sizes_a_small_group(world, client):
    """Open counts are of groups that can be shown: the last one before closing minus the
    groups shown leaves nothing."""
    k, groups = 5, ["school_leaders", "teachers", "council"]
    phases = [
        [
            ("school_leaders", _same(5, [3, 3])),
            "read",
            ("council", _same(2, [2, 2])),
            "read",
            ("teachers", _same(4, [1, 2])),
            "read",
        ]
    ]
    truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    assert [count for _b, _s, count in observed.open_reads] == [5, 5, 5]
    assert observed.closes[0][1] == 5
    assert violations(truth, observed, {g: g for g in groups}, Spec(), k) == []


def test_hidden_cells_look_alike_whatever_the_reason(world, client):
    """No "protected" next to "too few", no "no answers": a state says no more than "fewer
    than k"."""
    k, groups = 5, ["school_leaders", "teachers", "council"]
    phases = [[("school_leaders", _same(6, [3, None])), ("teachers", _same(2, [1, 1]))]]
    _truth, observed = play(world, client, k=k, groups=groups, phases=phases)
    results = observed.closes[0][0]
    states = {
        c["state"]
        for row in (results["sections"][0], *results["sections"][0]["items"])
        for c in row["cells"]
    }
    assert states == {"published", "suppressed"}


# --- Each protection is needed: turned off, the search finds a leak ------------------------


def _cell_with_empty(counts, *, shown):
    if counts is None or counts.substantive + counts.dont_know == 0:
        return Cell("empty")
    return ORIGINAL_CELL(counts, shown=shown)


ORIGINAL_CELL = aggregation.cell

# The protection that keeps statements hidden after a reopening leaks only in a narrow corner
# (bounds that meet); test_statements_hidden_at_the_first_close_stay_hidden shows it there.
MUTATIONS = {
    "statement threshold": (
        (releases, "statement_shown", lambda n, k: n >= 1),
        Spec(shown_from=1),
        None,
    ),
    "late answers rule": (
        (releases, "late_answers_count", lambda late, k: True),
        Spec(late_rule=False),
        True,
    ),
    "late comments rule": (
        (releases, "late_comments_shown", lambda n, k: True),
        Spec(),
        True,
    ),
    "totals of shown groups only": (
        (aggregation, "groups_in_total", lambda cells, keys: tuple(keys)),
        Spec(),
        None,
    ),
    "counts of shown groups only": (
        (selectors, "respondents_shown", lambda release, sizes: sum(sizes.values())),
        Spec(count_shown_only=False),
        None,
    ),
    "one hidden state": (
        (aggregation, "cell", _cell_with_empty),
        Spec(empty_state=True),
        None,
    ),
}


def test_statements_hidden_at_the_first_close_stay_hidden(world, client, monkeypatch):
    """Three teachers, one of them "don't know" on the second statement (hidden: two of k = 3);
    after the reopening three more who answer everything. Showing the second statement now
    would pin the first three's substantive answers to it at exactly two."""
    k, groups = 3, ["teachers"]
    first = [Respondent((3, 2)), Respondent((2, 3)), Respondent((3, None))]
    phases = [[("teachers", first)], [("teachers", _same(3, [1, 1]))]]
    assert leaks(world, client, (k, groups, phases)) == []
    monkeypatch.setattr(releases, "statements_after_reopening", lambda before, now: now)
    found = leaks(world, client, (k, groups, phases), Spec(stay_hidden=False))
    assert any(p.startswith("P1") for p in found), found


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_turning_off_a_protection_lets_the_solver_find_a_leak(world, client, monkeypatch, name):
    (module, attribute, replacement), spec, reopen = MUTATIONS[name]
    monkeypatch.setattr(module, attribute, replacement)
    found = find(
        histories(reopen=reopen),
        lambda scenario: bool(leaks(world, client, scenario, spec)),
        random=random.Random(2026),  # the same search every run
        settings=settings(
            max_examples=300,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
    problems = leaks(world, client, found, spec)
    assert problems and not any("break the published rules" in p for p in problems), problems
