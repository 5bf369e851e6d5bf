"""Scoring the coach against labelled sentences: per text rule, how often it fired where the
label expected it (precision) and how often it fired of the times it was expected (recall).

Used by the corpus tests and the coach benchmark, so both measure the same thing. A corpus is a
list of entries with `text`, `kind` and `expect` (the rules that must fire); entries may carry
more keys (a split, a note), which are ignored here.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import translation

from stelsel.planning.coach.findings import TEXT_RULES
from stelsel.planning.coach.rules import coach_text


@dataclass
class Score:
    """Counts per rule, and the entries the coach got wrong (with what it found instead)."""

    fired: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    hits: Counter = field(default_factory=Counter)
    entries: int = 0
    wrong: list = field(default_factory=list)

    def precision(self, rule: str) -> float:
        """Of the times `rule` fired, the share where the label expected it (1.0 if it never
        fired: it made no false alarm)."""
        return self.hits[rule] / self.fired[rule] if self.fired[rule] else 1.0

    def recall(self, rule: str) -> float:
        """Of the times the label expected `rule`, the share where it fired (1.0 if never
        expected)."""
        return self.hits[rule] / self.expected[rule] if self.expected[rule] else 1.0

    def table(self) -> str:
        """Per rule: labelled, fired, missed, false alarms, precision and recall."""
        lines = [
            f"{'rule':<16} {'labelled':>8} {'fired':>6} {'missed':>6} {'false':>6} "
            f"{'precision':>10} {'recall':>7}"
        ]
        for rule in TEXT_RULES:
            missed = self.expected[rule] - self.hits[rule]
            false = self.fired[rule] - self.hits[rule]
            lines.append(
                f"{rule:<16} {self.expected[rule]:>8} {self.fired[rule]:>6} {missed:>6} "
                f"{false:>6} {self.precision(rule):>10.1%} {self.recall(rule):>7.1%}"
            )
        return "\n".join(lines)

    def confusion(self) -> str:
        """The table, then every sentence the coach got wrong: what was expected, what fired."""
        wrong = [
            f"  {entry['kind']:<6} expected {sorted(entry['expect'])} got {got}: {entry['text']}"
            for entry, got in self.wrong
        ]
        return "\n".join([self.table(), f"{len(self.wrong)} of {self.entries} wrong:", *wrong])


def score(entries: list[dict]) -> Score:
    """Run every entry through the coach (messages in English; the rules do not depend on the
    language of the messages) and count, per rule, what fired against what was expected."""
    result = Score()
    with translation.override("en"):
        for entry in entries:
            got = sorted(f.rule for f in coach_text(entry["text"], kind=entry["kind"]))
            want = set(entry["expect"])
            result.entries += 1
            result.fired.update(got)
            result.expected.update(want)
            result.hits.update(set(got) & want)
            if set(got) != want:
                result.wrong.append((entry, got))
    return result
