"""The plan coach: the text rules on the labelled corpus, the rules on stored goals, actions and
whole plans, and the `coach` command."""

import datetime
import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stelsel.organisations.roles import Role
from stelsel.picture.models import AssignmentKind, FollowUpOutcome
from stelsel.planning.coach.findings import RULES, TEXT_RULES, Finding
from stelsel.planning.coach.review import coach_plan
from stelsel.planning.coach.rules import coach_action, coach_goal, coach_text
from stelsel.planning.models import ActionStatus, Plan, PlanKind
from tests.factories import make_action, make_assignment
from tests.factories.planning import make_goal, make_plan, make_theme

CORPUS_FILE = Path(__file__).resolve().parents[2] / "data" / "coach_corpus.yaml"
CORPUS = yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))

START = datetime.date(2026, 8, 1)
END = datetime.date(2027, 7, 31)


# --- The corpus -----------------------------------------------------------------------------


def test_the_corpus_is_large_varied_and_well_formed():
    assert len(CORPUS) >= 100
    assert all(set(e) <= {"text", "kind", "expect", "note"} for e in CORPUS)
    assert all(e["kind"] in ("goal", "action") for e in CORPUS)
    assert all(set(e["expect"]) <= set(TEXT_RULES) for e in CORPUS)
    texts = [(e["text"], e["kind"]) for e in CORPUS]
    assert len(texts) == len(set(texts)), "a sentence is in the corpus twice"
    assert sum(1 for e in CORPUS if e["kind"] == "goal" and not e["expect"]) >= 40
    assert sum(1 for e in CORPUS if e["kind"] == "action" and not e["expect"]) >= 10
    labelled = Counter(rule for e in CORPUS for rule in e["expect"])
    assert all(labelled[rule] >= 5 for rule in TEXT_RULES), labelled
    # the goal-only rules are never expected on an action
    assert not [
        e
        for e in CORPUS
        if e["kind"] == "action" and {"goal_is_action", "no_target"} & set(e["expect"])
    ]


@pytest.mark.parametrize("entry", CORPUS, ids=[f"{i + 1:03d}" for i in range(len(CORPUS))])
def test_every_corpus_sentence_gets_exactly_its_expected_rules(entry):
    with translation.override("nl"):
        found = coach_text(entry["text"], kind=entry["kind"])
    assert sorted(f.rule for f in found) == sorted(entry["expect"]), entry["text"]


def test_no_rule_fires_on_any_good_example():
    good = [e for e in CORPUS if not e["expect"]]
    flagged = [e["text"] for e in good if coach_text(e["text"], kind=e["kind"])]
    assert flagged == []


# --- One line of text -----------------------------------------------------------------------


def test_findings_carry_a_message_and_a_suggestion_as_plain_strings():
    found = coach_text("Wij Streven naar minder verzuim.")
    assert [f.rule for f in found] == ["try_language", "no_target", "no_date"]
    for finding in found:
        assert isinstance(finding, Finding)
        assert type(finding.message) is str and finding.message.endswith(".")
        assert type(finding.suggestion) is str and finding.suggestion
        assert finding.subject is None
    assert "“Streven”" in found[0].message  # the words as the writer typed them


def test_each_rule_has_its_own_message():
    messages = [
        coach_text("Klassenbezoeken afnemen.")[0],
        coach_text("We streven naar meer leesplezier in 2027, 80%.")[0],
        coach_text("In 2027 lezen leerlingen beter.")[0],
        coach_text("85% van de leerlingen leest op niveau.")[0],
    ]
    assert [f.rule for f in messages] == list(TEXT_RULES)
    assert len({f.message for f in messages}) == 4
    assert len({f.suggestion for f in messages}) == 4


def test_a_stored_target_and_date_satisfy_the_rules_the_text_lacks():
    text = "Leerlingen lezen beter."
    assert {f.rule for f in coach_text(text)} == {"no_target", "no_date"}
    assert coach_text(text, target=Decimal("80"), target_date=END) == []
    assert [f.rule for f in coach_text(text, target=Decimal("0"))] == ["no_date"]


def test_actions_are_not_held_to_the_goal_rules():
    text = "Klassenbezoeken afnemen."
    assert [f.rule for f in coach_text(text, kind="action")] == ["no_date"]
    assert coach_text(text, kind="action", target_date=END) == []


def test_a_rhythm_is_a_when_for_an_action_but_not_for_a_goal():
    text = "Om de zes weken bespreekt 90% van de leerkrachten de groep met de ib'er."
    assert "no_date" not in {f.rule for f in coach_text(text, kind="action")}
    assert "no_date" in {f.rule for f in coach_text(text, kind="goal")}


def test_empty_text_and_an_unknown_kind():
    assert coach_text("   ") == []
    with pytest.raises(ValueError):
        coach_text("Iets", kind="wish")


def test_capitals_curly_quotes_and_non_breaking_spaces_change_nothing():
    plain = coach_text("We werken aan een veilig schoolklimaat.")
    shouting = coach_text("WE  WERKEN\u00a0AAN een veilig ‘schoolklimaat’.")
    assert [f.rule for f in plain] == [f.rule for f in shouting]


# --- Stored goals and actions ---------------------------------------------------------------


def coach_plan_of(world, *, kind=PlanKind.SCHOOL, school="school", **fields) -> Plan:
    """A plan of the world's school (or, with `school=None`, of the board)."""
    unit = getattr(world, school) if school else None
    fields = {"title": "Plan", "starts_on": START, "ends_on": END, **fields}
    return make_plan(world.board, unit, kind=kind, **fields)


def coach_goal_of(plan, title="Eind 2027 scoort 85% van de leerlingen minimaal 1F.", **fields):
    """A goal with only what the test gives it: no target unless one is passed."""
    return make_goal(plan, title, **{"target": None, "target_date": None, **fields})


def coach_themes_of(plan, count):
    for n in range(count):
        make_theme(plan, f"Thema {n}", position=n)


@pytest.fixture
def owner(world):
    return world.users[Role.SCHOOL_LEADER]


@pytest.mark.django_db
def test_a_goal_uses_its_fields_and_needs_an_owner(world, owner):
    plan = coach_plan_of(world)
    bare = coach_goal_of(plan, title="Leerlingen lezen beter.")
    assert {f.rule for f in coach_goal(bare)} == {"no_target", "no_date", "no_owner"}
    assert all(f.subject == bare for f in coach_goal(bare))
    complete = coach_goal_of(
        plan, title="Leerlingen lezen beter.", target=Decimal("80"), target_date=END, owner=owner
    )
    assert coach_goal(complete) == []


@pytest.mark.django_db
def test_an_action_uses_its_dates_and_needs_an_owner(world, owner):
    action = make_action(world.board, world.school, title="Klassenbezoeken afnemen")
    assert [f.rule for f in coach_action(action)] == ["no_date", "no_owner"]
    dated = make_action(
        world.board, world.school, title="Klassenbezoeken afnemen", due_on=END, owner=owner
    )
    assert coach_action(dated) == []
    started = make_action(world.board, world.school, title="Lezen", starts_on=START, owner=owner)
    assert coach_action(started) == []


# --- Whole plans ----------------------------------------------------------------------------


def rules_of(review) -> Counter:
    return Counter(f.rule for f in review.findings)


@pytest.mark.django_db
@pytest.mark.parametrize(("themes", "fires"), [(3, False), (4, True)])
def test_a_year_plan_holds_three_themes(world, themes, fires):
    plan = coach_plan_of(world, kind=PlanKind.YEAR)
    coach_themes_of(plan, themes)
    review = coach_plan(plan)
    assert ("too_many_themes" in rules_of(review)) is fires
    assert "too_many_ambitions" not in rules_of(review)
    if fires:
        finding = next(f for f in review.findings if f.rule == "too_many_themes")
        assert finding.subject == plan and "4" in finding.message


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [PlanKind.STRATEGIC, PlanKind.SCHOOL])
@pytest.mark.parametrize(("themes", "goals", "expected"), [
    (4, 10, set()),
    (5, 10, {"too_many_ambitions"}),
    (4, 11, {"too_many_goals"}),
    (6, 12, {"too_many_ambitions", "too_many_goals"}),
])  # fmt: skip
def test_a_four_year_plan_holds_four_ambitions_and_ten_goals(
    world, owner, kind, themes, goals, expected
):
    plan = coach_plan_of(world, kind=kind, school=None if kind == PlanKind.STRATEGIC else "school")
    coach_themes_of(plan, themes)
    for _ in range(goals):
        coach_goal_of(plan, owner=owner)
    sizes = {"too_many_themes", "too_many_ambitions", "too_many_goals"}
    assert set(rules_of(coach_plan(plan))) & sizes == expected


@pytest.mark.django_db
def test_an_improvement_plan_has_no_size_limits(world, owner):
    plan = coach_plan_of(world, kind=PlanKind.IMPROVEMENT)
    coach_themes_of(plan, 8)
    for _ in range(15):
        coach_goal_of(plan, owner=owner)
    assert coach_plan(plan).findings == []


@pytest.mark.django_db
def test_the_review_has_findings_per_goal_and_per_action(world, owner):
    plan = coach_plan_of(world)
    good = coach_goal_of(plan, owner=owner)
    bad = coach_goal_of(plan, title="Protocol opstellen")
    fine_action = make_action(
        world.board, world.school, goal=good, title="Lesbezoeken", due_on=END, owner=owner
    )
    loose_action = make_action(world.board, world.school, goal=bad, title="Lesbezoeken")
    review = coach_plan(plan)
    assert review.for_goal(good) == []
    assert {f.rule for f in review.for_goal(bad)} == {
        "goal_is_action",
        "no_target",
        "no_date",
        "no_owner",
    }
    assert review.for_action(fine_action) == []
    assert [f.rule for f in review.for_action(loose_action)] == ["no_date", "no_owner"]
    assert [g for g, _ in review.goals] == [good, bad]
    assert len(review) == 6
    assert review.counts["no_owner"] == 2


@pytest.mark.django_db
def test_actions_of_the_unit_in_the_period_without_a_goal(world, owner):
    plan = coach_plan_of(world)
    goal = coach_goal_of(plan, owner=owner)
    inside = make_action(world.board, world.school, title="Binnen", due_on=START)
    spanning = make_action(
        world.board,
        world.school,
        title="Overspannend",
        starts_on=START - datetime.timedelta(days=300),
        due_on=END + datetime.timedelta(days=300),
    )
    started = make_action(world.board, world.school, title="Gestart", starts_on=END)
    undated = make_action(world.board, world.school, title="Zonder datum")
    # not counted: with a goal, cancelled, outside the period, another unit, undated and old
    make_action(world.board, world.school, title="Met doel", goal=goal, due_on=START)
    make_action(
        world.board, world.school, title="Geannuleerd", due_on=START, status=ActionStatus.CANCELLED
    )
    make_action(world.board, world.school, title="Te laat", due_on=END + datetime.timedelta(1))
    make_action(world.board, world.school, title="Te vroeg", due_on=START - datetime.timedelta(1))
    make_action(world.board, world.other_school, title="Andere school", due_on=START)
    make_action(world.board, None, title="Bestuur", due_on=START)
    make_action(world.other_board, world.other_board_school, title="Ander bestuur", due_on=START)
    old = make_action(world.board, world.school, title="Oud")
    old.created_at = old.created_at.replace(year=2020)
    old.save()

    with translation.override("en"):
        loose = [f for f in coach_plan(plan).findings if f.rule == "action_without_goal"]
    assert [f.subject for f in loose] == [inside, spanning, started, undated]
    assert "“Binnen”" in loose[0].message


@pytest.mark.django_db
def test_a_board_plan_looks_at_the_boards_own_actions(world):
    plan = coach_plan_of(world, kind=PlanKind.STRATEGIC, school=None)
    own = make_action(world.board, None, title="Bestuur", due_on=START)
    make_action(world.board, world.school, title="School", due_on=START)
    loose = [f.subject for f in coach_plan(plan).findings if f.rule == "action_without_goal"]
    assert loose == [own]


@pytest.mark.django_db
def test_herstelopdrachten_need_an_action_under_an_improvement_plan(world, owner):
    school_plan = coach_plan_of(world)
    improvement = coach_plan_of(world, kind=PlanKind.IMPROVEMENT)
    board_improvement = coach_plan_of(world, kind=PlanKind.IMPROVEMENT, school=None)
    covered = make_assignment(world.board, world.school, text="Gedekt")
    make_action(
        world.board,
        world.school,
        assignments=[covered],
        goal=coach_goal_of(improvement, owner=owner),
        due_on=START,
    )
    uncovered = make_assignment(world.board, world.school, text="Niet gedekt")
    under_school_plan = make_assignment(world.board, world.school, text="Onder schoolplan")
    make_action(
        world.board,
        world.school,
        assignments=[under_school_plan],
        goal=coach_goal_of(school_plan, owner=owner),
    )
    cancelled = make_assignment(world.board, world.school, text="Geannuleerd")
    make_action(
        world.board,
        world.school,
        assignments=[cancelled],
        goal=coach_goal_of(improvement, owner=owner),
        status=ActionStatus.CANCELLED,
    )
    without_goal = make_assignment(world.board, world.school, text="Zonder doel")
    make_action(world.board, world.school, assignments=[without_goal], due_on=START)
    wrong_unit = make_assignment(world.board, world.school, text="Ander niveau")
    make_action(
        world.board,
        None,
        assignments=[wrong_unit],
        goal=coach_goal_of(board_improvement, owner=owner),
    )
    # not counted: resolved, an ontwikkelopdracht, another school's or board's
    make_assignment(world.board, world.school, follow_up_outcome=FollowUpOutcome.SUFFICIENT)
    make_assignment(world.board, world.school, kind=AssignmentKind.ONTWIKKEL)
    make_assignment(world.board, world.other_school)
    make_assignment(world.other_board, world.other_board_school)

    for plan in (school_plan, improvement):
        findings = coach_plan(plan).findings
        # Not covered, as the coverage view says: no action, or only a cancelled one.
        uncovered_found = [f for f in findings if f.rule == "herstel_uncovered"]
        assert {f.subject for f in uncovered_found} == {uncovered, cancelled}
        # Covered, but by actions outside an improvement plan of the school.
        outside = [f for f in findings if f.rule == "herstel_without_plan"]
        assert {f.subject for f in outside} == {under_school_plan, without_goal, wrong_unit}
    assert "Herstelopdracht KL1" in uncovered_found[0].message
    assert "is not covered by an action" in uncovered_found[0].message
    assert "is covered by an action, but" in outside[0].message


@pytest.mark.django_db
def test_a_board_plan_looks_at_the_boards_own_herstelopdrachten(world):
    plan = coach_plan_of(world, kind=PlanKind.STRATEGIC, school=None)
    own = make_assignment(world.board, None)
    make_assignment(world.board, world.school)
    herstel = [f.subject for f in coach_plan(plan).findings if f.rule.startswith("herstel_")]
    assert herstel == [own]


def _queries(plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        coach_plan(plan)
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_a_review_reads_a_fixed_number_of_queries_whatever_the_plans_size(world, owner):
    small = coach_plan_of(world, title="Klein")
    coach_goal_of(small)
    make_action(world.board, world.school, title="Los", due_on=START)
    make_assignment(world.board, world.school)
    small_count = _queries(small)

    large = coach_plan_of(world, title="Groot", school="other_school")
    coach_themes_of(large, 6)
    for n in range(12):
        goal = coach_goal_of(large, title=f"Doel {n}", owner=owner if n % 2 else None)
        for m in range(3):
            make_action(world.board, world.other_school, goal=goal, title=f"Actie {n}.{m}")
    for n in range(5):
        make_action(world.board, world.other_school, title=f"Los {n}", due_on=START)
        make_assignment(world.board, world.other_school)
    assert len(coach_plan(large)) > 50
    assert _queries(large) == small_count <= 6


# --- The command ----------------------------------------------------------------------------


def write(tmp_path, content: bytes, name="plan.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("coach", *[str(a) for a in args], stdout=out)
    return out.getvalue()


DRAFT = (
    "\ufeffKlassenbezoeken afnemen.\n"
    "\n"
    "ACTIE: Klassenbezoeken afnemen in oktober 2026.\r\n"
    "   \n"
    "- Doel: Eind 2027 scoort 85% van de leerlingen in groep 8 minimaal 1F op lezen.\n"
    "We werken aan leesplezier.\n"
).encode()


def test_the_command_prints_one_json_object_per_line_with_the_files_line_numbers(tmp_path):
    lines = run(write(tmp_path, DRAFT), "--json", "--language", "en").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["line"] for r in records] == [1, 3, 5, 6]
    assert records[0]["text"] == "Klassenbezoeken afnemen."
    assert [f["rule"] for f in records[0]["findings"]] == ["goal_is_action", "no_target", "no_date"]
    assert records[1] == {
        "line": 3,
        "text": "Klassenbezoeken afnemen in oktober 2026.",
        "findings": [],
    }
    assert records[2]["findings"] == []
    assert [f["rule"] for f in records[3]["findings"]] == ["try_language", "no_target", "no_date"]
    with translation.override("en"):
        expected = coach_text("Klassenbezoeken afnemen.")[0]
    assert records[0]["findings"][0] == expected.as_dict()


def test_the_kind_option_sets_lines_without_a_prefix(tmp_path):
    path = write(tmp_path, b"Klassenbezoeken afnemen.\nDoel: Klassenbezoeken afnemen.\n")
    records = [json.loads(line) for line in run(path, "--json", "--kind", "action").splitlines()]
    assert [f["rule"] for f in records[0]["findings"]] == ["no_date"]
    assert "goal_is_action" in [f["rule"] for f in records[1]["findings"]]


def test_the_command_speaks_dutch_by_default(tmp_path):
    path = write(tmp_path, b"Klassenbezoeken afnemen.\n")
    record = json.loads(run(path, "--json"))
    with translation.override("nl"):
        dutch = coach_text("Klassenbezoeken afnemen.")
    assert [f["message"] for f in record["findings"]] == [f.message for f in dutch]


def test_the_plain_text_report(tmp_path):
    out = run(write(tmp_path, DRAFT), "--language", "en")
    assert "1: Goal: Klassenbezoeken afnemen." in out
    assert "3: Action: Klassenbezoeken afnemen in oktober 2026." in out
    assert "[goal_is_action] This reads as an action" in out
    assert "Suggestion: Ask: what will pupils" in out
    assert out.count("No findings.") == 2
    assert "\n2:" not in out and "\n4:" not in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "no such file"),
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: write(tmp, b"Goed\n\xff\xfeslecht\n"), "line 2: not UTF-8"),
    ],
    ids=["missing", "directory", "not-utf8"],
)
def test_bad_files_get_a_clear_error(tmp_path, make, message):
    with pytest.raises(CommandError, match=message):
        run(make(tmp_path))


def test_a_bad_file_ends_the_command_with_a_non_zero_exit_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "stelsel", "coach", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr


def test_rule_ids_are_stable():
    assert set(RULES) == {
        "goal_is_action",
        "try_language",
        "no_target",
        "no_date",
        "no_owner",
        "too_many_themes",
        "too_many_ambitions",
        "too_many_goals",
        "action_without_goal",
        "herstel_uncovered",
        "herstel_without_plan",
    }
