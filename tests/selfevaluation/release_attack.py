"""An attacker's exact solver over everything a round ever showed (test support).

The attacker is an organiser who runs a round, reads every count while it is open, the results
at each close and again after a reopening, and knows the published rules. Each answer count is
an unknown integer: per group, batch (before the first close / after the reopening), slice of
time between two reads, statement and answer (each scale value and "don't know"). Every figure
read becomes a linear equation, every state a bound, and the rules of the README (which group
is counted or shown when) become conditions on the unknowns. z3 then decides, exactly, what the
reads determine:

- P1: no set of batches of groups whose substantive answers to a statement number fewer than k
  has that number determined (so neither its answers nor one person's answer can be isolated);
- P2: no set of batches of groups with fewer than k respondents has its size determined;
- P3: comments appear only for at least k_text respondents, also as the difference between two
  releases.

`Spec` mirrors the protections of `stelsel.selfevaluation.releases`: with one turned off in the
code and the same one off here (the attacker reads the weakened rule in the README), the
property test must find a leak.
"""

import itertools
from collections import Counter
from dataclasses import dataclass, field

import z3

DK = "dk"


@dataclass(frozen=True)
class Spec:
    """The rules as published. Each flag is one protection; a mutation turns one off."""

    shown_from: int | None = None  # a statement needs this many substantive answers (None: k)
    late_rule: bool = True  # late answers count only with k late substantive answers each
    stay_hidden: bool = True  # statements hidden at the first close stay hidden
    count_shown_only: bool = True  # counts only of groups that are (or would be) shown
    empty_state: bool = False  # "no answers" told apart from "too few answers"


@dataclass
class Respondent:
    answers: tuple  # per statement: 1..points or None for "don't know"
    comment: str = ""


@dataclass
class Truth:
    """Who answered what: respondents per (group, batch, slice)."""

    groups: list[str]
    items: int
    points: int
    people: dict = field(default_factory=dict)  # (group, batch, slice) -> [Respondent]
    slice_counts: dict = field(default_factory=dict)  # batch -> slices (reads + 1)

    def slices(self, batch: int) -> int:
        return self.slice_counts.get(batch, 1)

    def count(self, group, batches, item, category) -> int:
        return sum(
            1
            for (g, b, _s), people in self.people.items()
            if g == group and b in batches
            for person in people
            if (person.answers[item] is None) == (category == DK)
            and (category == DK or person.answers[item] == category)
        )

    def substantive(self, atoms, item) -> int:
        return sum(
            self.count(g, (b,), item, c) for g, b in atoms for c in range(1, self.points + 1)
        )

    def size(self, atoms) -> int:
        return sum(len(p) for (g, b, _s), p in self.people.items() if (g, b) in atoms)

    def respondents(self, group, batch) -> int:
        return self.size({(group, batch)})


@dataclass
class Observed:
    """What the organiser read: counts while open, and per close the results and the count."""

    open_reads: list = field(default_factory=list)  # (batch, slice, count)
    closes: list = field(default_factory=list)  # (results JSON, count)


class Unknowns:
    def __init__(self, truth: Truth, batches: int):
        self.truth = truth
        self.batches = batches
        self.categories = [*range(1, truth.points + 1), DK]
        self.x, self.r = {}, {}
        self.facts = []
        for g in truth.groups:
            for b in range(batches):
                for s in range(truth.slices(b)):
                    self.r[(g, b, s)] = r = z3.Int(f"r_{g}_{b}_{s}")
                    self.facts.append(r >= 0)
                    for i in range(truth.items):
                        cells = []
                        for c in self.categories:
                            x = self.x[(g, b, s, i, c)] = z3.Int(f"x_{g}_{b}_{s}_{i}_{c}")
                            self.facts.append(x >= 0)
                            cells.append(x)
                        self.facts.append(z3.Sum(cells) == r)  # everyone answers every statement

    def _slices(self, batch, upto):
        if upto is None or batch < upto[0]:
            return range(self.truth.slices(batch))
        if batch > upto[0]:
            return range(0)
        return range(upto[1] + 1)

    def cat(self, g, batches, i, c, upto=None):
        return z3.Sum(
            [z3.IntVal(0)]
            + [self.x[(g, b, s, i, c)] for b in batches for s in self._slices(b, upto)]
        )

    def subst(self, g, batches, i, upto=None):
        return z3.Sum([self.cat(g, batches, i, c, upto) for c in self.categories if c != DK])

    def size(self, g, batches, upto=None):
        return z3.Sum(
            [z3.IntVal(0)] + [self.r[(g, b, s)] for b in batches for s in self._slices(b, upto)]
        )

    def truth_facts(self):
        t = self.truth
        facts = []
        for (g, b, s), r in self.r.items():
            people = t.people.get((g, b, s), [])
            facts.append(r == len(people))
            for i in range(t.items):
                for c in self.categories:
                    n = sum(
                        1
                        for p in people
                        if (p.answers[i] is None) == (c == DK) and (c == DK or p.answers[i] == c)
                    )
                    facts.append(self.x[(g, b, s, i, c)] == n)
        return facts


def _dont_know(cell) -> int:
    share, n = cell["dont_know_share"], cell["n"]
    if not share:
        return 0
    return round(share * n / (1 - share))


class Reading:
    """The constraints an attacker takes from the reads, under the published rules."""

    def __init__(self, truth: Truth, observed: Observed, ids: dict, spec: Spec, k: int):
        self.t, self.o, self.ids, self.spec, self.k = truth, observed, ids, spec, k
        self.u = Unknowns(truth, len(observed.closes))
        self.threshold = spec.shown_from or k
        self.facts = list(self.u.facts)
        self.contradictions = []
        self.first_shown = {}  # group -> statements shown at the first close
        self.blocks = []  # per close: group -> batches counted
        for number, (results, count) in enumerate(observed.closes):
            self._close(number, results, count)
        for batch, slice_, count in observed.open_reads:
            self._open(batch, slice_, count)

    # -- counts while open
    def _open(self, batch, slice_, count):
        u, thr = self.u, self.threshold
        upto = (batch, slice_)
        parts = []
        for g in self.t.groups:
            every = tuple(range(batch + 1))
            if not self.spec.count_shown_only:
                parts.append(u.size(g, every, upto))
                continue
            before = self.first_shown.get(g) if batch else None
            if not before:
                shown = z3.Or(
                    [u.subst(g, every, i, upto) >= thr for i in range(self.t.items)] + [False]
                )
                parts.append(z3.If(shown, u.size(g, every, upto), 0))
            else:
                late = (
                    z3.And([u.subst(g, (batch,), i, upto) >= self.k for i in sorted(before)])
                    if self.spec.late_rule
                    else z3.BoolVal(True)
                )
                parts.append(u.size(g, (0,), upto) + z3.If(late, u.size(g, (batch,), upto), 0))
        self.facts.append(z3.Sum([z3.IntVal(0), *parts]) == count)

    # -- results at a close
    def _close(self, number, results, count):
        u, t, thr = self.u, self.t, self.threshold
        by_id = {p["id"]: p for p in results["perspectives"]}
        group_of = {pid: self.ids[p["code"]] for pid, p in by_id.items()}
        section = results["sections"][0]
        items = section["items"]
        blocks = {}
        for pid, g in group_of.items():
            before = self.first_shown.get(g) if number else None
            if number == 0 or not before:
                blocks[g] = tuple(range(number + 1))
            else:
                counted = by_id[pid]["late_answers_counted"]
                blocks[g] = (0, number) if counted else (0,)
                if self.spec.late_rule:
                    rule = z3.And(
                        [u.subst(g, (number,), i, None) >= self.k for i in sorted(before)]
                    )
                    self.facts.append(rule == z3.BoolVal(bool(counted)))
        self.blocks.append(blocks)
        shown_any = set()
        for i, item in enumerate(items):
            for c in item["cells"]:
                g = group_of[c["perspective_id"]]
                block = blocks[g]
                before = self.first_shown.get(g) if number else None
                if c["state"] == "published":
                    shown_any.add(g)
                    self._equal(g, block, [i], c, people=False)
                    if number and before and self.spec.stay_hidden and i not in before:
                        self.contradictions.append(f"{g}: statement {i} shown after being hidden")
                elif number and before and self.spec.stay_hidden:
                    if i in before:
                        self.contradictions.append(f"{g}: statement {i} hidden after being shown")
                elif self.spec.empty_state and c["state"] == "empty":
                    self.facts.append(u.size(g, block) == 0)
                else:
                    self.facts.append(u.subst(g, block, i) < thr)
                    if self.spec.empty_state:
                        self.facts.append(u.size(g, block) >= 1)
            self._total(item["total"], group_of, blocks, [i], people=False)
        for c in section["cells"]:
            if c["state"] == "published":
                g = group_of[c["perspective_id"]]
                self._equal(g, blocks[g], range(len(items)), c, people=True)
        self._total(section["total"], group_of, blocks, range(len(items)), people=True)
        if number == 0:
            for pid, g in group_of.items():
                self.first_shown[g] = {
                    i
                    for i, item in enumerate(items)
                    for c in item["cells"]
                    if c["perspective_id"] == pid and c["state"] == "published"
                }
        if self.spec.count_shown_only:
            counted = [u.size(g, blocks[g]) for g in shown_any]
        else:
            counted = [u.size(g, tuple(range(number + 1))) for g in t.groups]
        self.facts.append(z3.Sum([z3.IntVal(0), *counted]) == count)

    def _equal(self, g, block, items, cell, *, people):
        """A published cell: its counts per value, "don't know" and n, summed over `items`."""
        self._sums([g], {g: block}, items, cell, people=people)

    def _total(self, cell, group_of, blocks, items, *, people):
        if cell["state"] != "published":
            return
        groups = [group_of[pid] for pid in cell["perspective_ids"]]
        self._sums(groups, blocks, items, cell, people=people)

    def _sums(self, groups, blocks, items, cell, *, people):
        u = self.u
        points = self.t.points
        for value in range(1, points + 1):
            expr = z3.Sum(
                [z3.IntVal(0)] + [u.cat(g, blocks[g], i, value) for g in groups for i in items]
            )
            self.facts.append(expr == cell["distribution"][value - 1])
        substantive = sum(cell["distribution"])
        dont_know = z3.Sum(
            [z3.IntVal(0)] + [u.cat(g, blocks[g], i, DK) for g in groups for i in items]
        )
        if cell["dont_know_share"] == 1:  # only "don't know": how many is not given
            self.facts.append(dont_know >= 1)
        else:
            dk = _dont_know({"dont_know_share": cell["dont_know_share"], "n": substantive})
            self.facts.append(dont_know == dk)
        n = z3.Sum([z3.IntVal(0)] + [u.size(g, blocks[g]) for g in groups]) if people else None
        self.facts.append((n if people else z3.IntVal(substantive)) == cell["n"])


def violations(truth: Truth, observed: Observed, ids: dict, spec: Spec, k: int) -> list[str]:
    """Every leak the reads allow, or why they contradict the published rules."""
    reading = Reading(truth, observed, ids, spec, k)
    found = [f"outputs break the published rules: {c}" for c in reading.contradictions]
    solver = z3.Solver()
    solver.add(reading.facts)
    solver.push()
    solver.add(reading.u.truth_facts())
    if solver.check() != z3.sat:
        return [*found, "outputs break the published rules: the true answers do not fit them"]
    solver.pop()
    batches = len(observed.closes)
    atoms = [(g, b) for g in truth.groups for b in range(batches)]
    u = reading.u
    for size in range(1, len(atoms) + 1):
        for subset in itertools.combinations(atoms, size):
            chosen = set(subset)
            people = truth.size(chosen)
            if people < k and _determined(solver, _size(u, chosen), people):
                found.append(f"P2: the size of {sorted(chosen)} ({people}) is determined")
            for i in range(truth.items):
                n = truth.substantive(chosen, i)
                if n < k and _determined(solver, _subst(u, chosen, i), n):
                    found.append(
                        f"P1: the substantive answers of {sorted(chosen)} to statement {i} "
                        f"({n}) are determined"
                    )
    return found


def _size(u: Unknowns, atoms):
    return z3.Sum([z3.IntVal(0)] + [u.size(g, (b,)) for g, b in atoms])


def _subst(u: Unknowns, atoms, item):
    return z3.Sum([z3.IntVal(0)] + [u.subst(g, (b,), item) for g, b in atoms])


def _determined(solver: z3.Solver, expression, value: int) -> bool:
    solver.push()
    solver.add(expression != value)
    other = solver.check()
    solver.pop()
    return other == z3.unsat


def comment_leaks(truth: Truth, observed: Observed, ids: dict, k_text: int) -> list[str]:
    """P3: comment lists only of k_text respondents or more, also as a difference between
    releases (the late comments)."""
    found = []
    lists = []
    for results, _count in observed.closes:
        by_id = {p["id"]: ids[p["code"]] for p in results["perspectives"]}
        lists.append(
            {
                by_id[c["perspective_id"]]: Counter(c["texts"])
                for c in results["sections"][0]["comments"]
            }
        )
    for g in truth.groups:
        first = lists[0].get(g, Counter()) if lists else Counter()
        if first and truth.respondents(g, 0) < k_text:
            found.append(f"P3: comments of {g} from {truth.respondents(g, 0)} respondents")
        if len(lists) > 1:
            second = lists[1].get(g, Counter())
            if first - second:
                found.append(f"P3: comments of {g} changed, not only grew")
            late = second - first
            if first and late and truth.respondents(g, 1) < k_text:
                found.append(
                    f"P3: the late comments of {g} stand alone ({truth.respondents(g, 1)})"
                )
            if not first and second and truth.respondents(g, 0) + truth.respondents(g, 1) < k_text:
                found.append(f"P3: comments of {g} from too few respondents")
    return found
