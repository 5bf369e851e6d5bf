"""The plan coach on goals and actions written as others write them (tests/planning/coach/
corpus.yaml): per rule precision and recall on each half of the corpus, held to what was
measured, and the goals a reviewer found wrongly flagged as explicit cases.

The held-out half was written before the rules were read and never tuned on, so its figures say
how the coach does on sentences it has not seen; the training half is what the rules were
generalised against. A failure prints the table per rule and every sentence it got wrong.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from stelsel.planning.coach.evaluation import score
from stelsel.planning.coach.findings import TEXT_RULES
from stelsel.planning.coach.rules import coach_text

CORPUS_FILE = Path(__file__).resolve().parent / "corpus.yaml"
CORPUS = yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))
SPLITS = ("train", "heldout")

# The least precision and recall per rule, as measured when the rules were last changed. The
# held-out half sets its own, lower bar: raising it means changing rules against sentences they
# were tuned on, which the held-out half is there to avoid.
MINIMUM = {
    "train": dict.fromkeys(TEXT_RULES, (1.0, 1.0)),
    "heldout": {
        "goal_is_action": (0.90, 0.86),
        "try_language": (1.0, 1.0),
        "no_target": (1.0, 0.97),
        "no_date": (1.0, 1.0),
    },
    "all": {
        "goal_is_action": (0.94, 0.92),
        "try_language": (1.0, 1.0),
        "no_target": (1.0, 0.98),
        "no_date": (1.0, 1.0),
    },
}


def _entries(split: str) -> list[dict]:
    return CORPUS if split == "all" else [e for e in CORPUS if e["split"] == split]


def test_the_corpus_is_large_varied_and_well_formed():
    assert len(CORPUS) >= 200
    assert all(set(e) <= {"text", "kind", "expect", "split", "note"} for e in CORPUS)
    assert all(e["kind"] in ("goal", "action") and e["split"] in SPLITS for e in CORPUS)
    assert all(set(e["expect"]) <= set(TEXT_RULES) for e in CORPUS)
    texts = [(e["text"], e["kind"]) for e in CORPUS]
    assert len(texts) == len(set(texts)), "a sentence is in the corpus twice"
    halves = Counter(e["split"] for e in CORPUS)
    assert halves["train"] >= 90 and halves["heldout"] >= 100, halves
    for split in SPLITS:
        half = _entries(split)
        labelled = Counter(rule for e in half for rule in e["expect"])
        assert all(labelled[rule] >= 8 for rule in TEXT_RULES), (split, labelled)
        assert sum(1 for e in half if e["kind"] == "goal" and not e["expect"]) >= 25
        assert sum(1 for e in half if e["kind"] == "action" and not e["expect"]) >= 10
        assert sum(1 for e in half if not e["text"][0].isupper()) >= 2, "lower case writers"
    # the goal-only rules are never expected on an action
    assert not [
        e
        for e in CORPUS
        if e["kind"] == "action" and {"goal_is_action", "no_target"} & set(e["expect"])
    ]


@pytest.mark.parametrize("split", [*SPLITS, "all"])
def test_precision_and_recall_per_rule_hold_what_was_measured(split):
    result = score(_entries(split))
    short = [
        f"{rule}: precision {result.precision(rule):.1%} < {least_p:.0%}"
        if result.precision(rule) < least_p
        else f"{rule}: recall {result.recall(rule):.1%} < {least_r:.0%}"
        for rule, (least_p, least_r) in MINIMUM[split].items()
        if result.precision(rule) < least_p or result.recall(rule) < least_r
    ]
    assert not short, "\n".join([f"{split}: " + "; ".join(short), result.confusion()])


def test_the_score_counts_misses_and_false_alarms_separately():
    entries = [
        {"kind": "goal", "expect": [], "text": "Het team volgt in 2027 een scholing."},
        {"kind": "goal", "expect": ["no_date"], "text": "85% van de leerlingen haalt 1F."},
    ]
    result = score(entries)
    assert result.fired["goal_is_action"] == 1 and result.hits["goal_is_action"] == 0
    assert result.precision("goal_is_action") == 0.0
    assert result.recall("no_date") == 1.0
    assert [entry["text"] for entry, _ in result.wrong] == [entries[0]["text"]]
    assert "1 of 2 wrong" in result.confusion()


# --- Goals a reviewer found wrongly flagged -------------------------------------------------

SCHOOLS_ABOVE_THE_NORM = (
    "Uiterlijk december 2026 scoren alle scholen van het bestuur boven de signaleringswaarde "
    "voor 1S/2F"
)
EVERY_PUPIL_A_GOAL = (
    "Op 1 oktober 2027 heeft elke leerling in groep 6 tot en met 8 een eigen leerdoel voor rekenen"
)


@pytest.mark.parametrize("text", [SCHOOLS_ABOVE_THE_NORM, EVERY_PUPIL_A_GOAL])
def test_result_goals_with_a_universal_target_get_no_finding(text):
    with translation.override("en"):
        assert coach_text(text, kind="goal") == []


def test_schools_reaching_a_norm_is_a_result_not_an_action():
    """ "Scholen" is the noun here, not the verb "scholen" (to train staff)."""
    rules = {f.rule for f in coach_text("Alle scholen scoren boven de signaleringswaarde.")}
    assert rules == {"no_date"}
    training = {f.rule for f in coach_text("In 2027 het team scholen in formatief handelen.")}
    assert "goal_is_action" in training


@pytest.mark.parametrize(
    "text, rules",
    [
        # a universal quantifier over a countable group is a 100% target ...
        ("Eind 2027 heeft iedere kleuter een eigen portfolio.", set()),
        ("In 2027 scoren al onze scholen minimaal voldoende.", set()),
        ("By July 2027 every pupil in group 8 has a personal reading goal.", set()),
        # ... but not with a vague state, nor where it only says where the work is done
        ("Eind 2027 lezen alle leerlingen met meer plezier.", {"no_target"}),
        ("Alle leerlingen ontwikkelen zich in 2027 optimaal.", {"no_target"}),
        (
            "In 2027 wordt in alle groepen gewerkt met de nieuwe methode.",
            {"goal_is_action", "no_target"},
        ),
        # the passive of organising work is an action, whoever its subject
        (
            "In 2027 worden de ouders maandelijks geïnformeerd over de voortgang.",
            {"goal_is_action", "no_target"},
        ),
        # parents taking part is a result, like pupils taking part
        ("In 2027 bezoekt 80% van de ouders het startgesprek.", set()),
        # a named reference value is a target
        ("In 2027 scoort de school boven het gemiddelde van vergelijkbare scholen.", set()),
        ("In 2027 ligt de score van de school op de streefwaarde.", set()),
    ],
)
def test_generalised_signals(text, rules):
    assert {f.rule for f in coach_text(text, kind="goal")} == rules
