"""Programme analytics as the research report prints them, computed from case records.

Everything here except `cases_from_db` and `catalogue_of` is a pure function of the case
records and the programme's catalogue, so the figures can be checked by hand (and by property
tests) without a database. The command line prints `analyse` in full (the operator's tool); the
pages, exports and API show only what `suppress` leaves, so no research output can single out
a case.

The counting rules are the research report's:
- a case counts once per need and once per intervention, however often it was logged;
- every catalogue entry is a row, in catalogue order, with zero when no case has it;
- the totals per aim (B, O) and kind (I, P) add up the rows that carry them; an intervention
  aimed at both or of both kinds counts in both;
- the attention distribution pools the 4 points of every case that has them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from stelsel.selfevaluation.models import MIN_K
from stelsel.trajectories.models import (
    Intervention,
    InterventionLog,
    QuadrantKey,
    SupportNeed,
    Trajectory,
)

QUADRANTS = tuple(QuadrantKey.values)
PERSON = ("person_directing", "person_executing")
DIRECTING = ("person_directing", "organisation_directing")
LETTERS = ("B", "O", "I", "P")
# The smallest number of cases a category may show: the self-evaluation's lowest anonymity
# threshold (`selfevaluation.models.MIN_K`), the same rule for research output.
K = MIN_K


@dataclass(frozen=True)
class Case:
    """One case as the research describes it; no board, only a label."""

    label: str
    single_school_board: bool
    needs: frozenset[str] = frozenset()
    interventions: tuple[str, ...] = ()  # names, repeats allowed (one per log entry)
    attention: dict[str, int] | None = None  # the four quadrant keys, 4 points in all
    cohort: str = ""  # the cohort it belongs to, for suppression across cohorts


@dataclass(frozen=True)
class Catalogue:
    """A programme's catalogue, in its order: need names, (name, aim, kind) of interventions."""

    needs: tuple[str, ...] = ()
    interventions: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)


def percent(part: int, whole: int) -> float:
    """`part` of `whole` in percent with one decimal, rounded half to even on the exact
    fraction (no float error before rounding), so two complementary shares add up to 100.0."""
    if not whole:
        return 0.0
    tenths = Fraction(part * 1000, whole)
    whole_tenths, rest = divmod(tenths.numerator, tenths.denominator)
    doubled = 2 * rest
    if doubled > tenths.denominator or (doubled == tenths.denominator and whole_tenths % 2 == 1):
        whole_tenths += 1
    return whole_tenths / 10


def _points(cases: Iterable[Case]) -> dict[str, int]:
    points = dict.fromkeys(QUADRANTS, 0)
    for case in cases:
        if case.attention is not None:
            for key in QUADRANTS:
                points[key] += case.attention[key]
    return points


def attention(cases: Sequence[Case]) -> dict[str, float]:
    """The share of all points on each side of the two axes, over the cases that have
    attention points. No case with points: all four shares are 0.0 (there is nothing to
    divide, and 0.0 keeps the figure a number)."""
    points = _points(cases)
    total = sum(points.values())
    person = sum(points[key] for key in PERSON)
    directing = sum(points[key] for key in DIRECTING)
    return {
        "person": percent(person, total),
        "organisation": percent(total - person, total),
        "directing": percent(directing, total),
        "executing": percent(total - directing, total),
    }


def quadrant_shares(cases: Sequence[Case]) -> dict[str, float]:
    """Each quadrant's share of all points, for the page's four-quadrant chart. Each share is
    rounded on its own, so the four may add up to 99.9 or 100.1; no points: all 0.0."""
    points = _points(cases)
    total = sum(points.values())
    return {key: percent(points[key], total) for key in QUADRANTS}


def analyse(cases: Sequence[Case], catalogue: Catalogue) -> dict:
    """The five figures of the command line's JSON: cases, needs, interventions, totals and
    attention. Names outside the catalogue are not counted (they have no row)."""
    needs = [
        {"name": name, "cases": sum(1 for case in cases if name in case.needs)}
        for name in catalogue.needs
    ]
    used = [frozenset(case.interventions) for case in cases]
    interventions = [
        {
            "name": name,
            "cases": sum(1 for names in used if name in names),
            "aim": aim,
            "kind": kind,
        }
        for name, aim, kind in catalogue.interventions
    ]
    return {
        "cases": len(cases),
        "needs": needs,
        "interventions": interventions,
        "totals": totals(interventions),
        "attention": attention(cases),
    }


def totals(rows: Iterable[dict]) -> dict[str, int]:
    """Per letter, the cases of the rows whose aim or kind carries it ("I P" counts in both)."""
    out = dict.fromkeys(LETTERS, 0)
    for row in rows:
        for letter in set(row["aim"].split()) | set(row["kind"].split()):
            out[letter] += row["cases"]
    return out


def need_split(cases: Sequence[Case], catalogue: Catalogue) -> list[dict]:
    """Each need's cases at single-school boards and at boards with more schools."""
    return [
        {
            "name": name,
            "single": sum(1 for c in cases if name in c.needs and c.single_school_board),
            "multi": sum(1 for c in cases if name in c.needs and not c.single_school_board),
        }
        for name in catalogue.needs
    ]


def full(cases: Sequence[Case], catalogue: Catalogue) -> dict:
    """`analyse` with what the page and the exports add: the split of the needs, the number of
    cases with attention points and the four quadrants' shares."""
    return {
        **analyse(cases, catalogue),
        "split": need_split(cases, catalogue),
        "attention_cases": sum(1 for case in cases if case.attention is not None),
        "quadrants": quadrant_shares(cases),
    }


def hidden(k: int = K) -> str:
    """What a suppressed count shows."""
    return f"< {k}"


# What a count shows that is not small itself but is withheld because a small count could be
# found from it by subtraction: the other cell of a split row, or a programme-wide count one
# of whose cohorts is small.
HIDDEN_ACROSS = "*"


def _withheld(count: int, k: int):
    if count == 0:
        return 0
    return hidden(k) if count < k else HIDDEN_ACROSS


def _shown(count: int, k: int, across: bool = False):
    if 0 < count < k:
        return hidden(k)
    return HIDDEN_ACROSS if across and count else count


@dataclass(frozen=True)
class Hide:
    """The categories hidden in at least one cohort of a programme-wide selection."""

    needs: frozenset[str] = frozenset()
    split: frozenset[str] = frozenset()
    interventions: frozenset[str] = frozenset()
    attention: bool = False


def hidden_in_any(results: Iterable[dict], k: int = K) -> Hide:
    """What any of the cohorts' `full` results would hide, so that the programme-wide view
    hides it too: a count shown for all cohorts together, minus one cohort's shown count,
    would otherwise give away the small count of another."""
    needs, split, interventions, attention_hidden = set(), set(), set(), False
    for result in results:
        for row in result["needs"]:
            if 0 < row["cases"] < k:
                needs.add(row["name"])
        for row in result.get("split", []):
            if 0 < row["single"] < k or 0 < row["multi"] < k:
                split.add(row["name"])
        for row in result["interventions"]:
            if 0 < row["cases"] < k:
                interventions.add(row["name"])
        if 0 < result.get("attention_cases", 0) < k:
            attention_hidden = True
    return Hide(frozenset(needs), frozenset(split), frozenset(interventions), attention_hidden)


def suppress(result: dict, k: int = K, hide: Hide = Hide()) -> dict:
    """What researchers may see of `full(...)`: any count of 1 to k-1 cases shows as "< k".

    - a selection of fewer than k cases (but some) shows nothing but its count "< k";
    - a need's split shows both cells or neither: one hidden cell would follow from the row's
      count minus the other (a withheld cell that is not small shows "*");
    - a total per letter adds up the shown rows only, and says so (`totals_partial`), so no
      hidden row can be found by subtraction;
    - the attention shares show only when at least k cases have attention points.
    `hide` names what one of the cohorts inside the selection hides (`hidden_in_any`): those
    counts show "*" (`HIDDEN_ACROSS`). Shown counts are never 1 to k-1. The result is new;
    `result` is not changed.
    """
    cases = result["cases"]
    if 0 < cases < k:
        return {
            "cases": hidden(k),
            "too_few": True,
            "suppressed": True,
            "needs": [],
            "interventions": [],
            "totals": None,
            "totals_partial": False,
            "attention": None,
            "attention_cases": None,
            "quadrants": None,
        }
    split = {row["name"]: row for row in result.get("split", [])}
    needs = []
    for row in result["needs"]:
        shown = {"name": row["name"], "cases": _shown(row["cases"], k, row["name"] in hide.needs)}
        if row["name"] in split:
            single, multi = split[row["name"]]["single"], split[row["name"]]["multi"]
            if 0 < single < k or 0 < multi < k or row["name"] in hide.split:
                # Both or neither: one hidden cell would follow from the row minus the other.
                shown["single"], shown["multi"] = _withheld(single, k), _withheld(multi, k)
            else:
                shown["single"], shown["multi"] = single, multi
        needs.append(shown)
    interventions = [
        {**row, "cases": _shown(row["cases"], k, row["name"] in hide.interventions)}
        for row in result["interventions"]
    ]
    kept = [row for row in interventions if isinstance(row["cases"], int)]
    partial = len(kept) < len(interventions)
    with_points = result.get("attention_cases", cases)
    attention_shown = with_points >= k and not hide.attention
    suppressed = partial or any(
        not isinstance(value, int) for row in needs for key, value in row.items() if key != "name"
    )
    return {
        "cases": cases,
        "too_few": False,
        "suppressed": suppressed or (not attention_shown and with_points > 0),
        "needs": needs,
        "interventions": interventions,
        "totals": totals(kept),
        "totals_partial": partial,
        "attention": result["attention"] if attention_shown else None,
        "attention_cases": _shown(with_points, k),
        "quadrants": result.get("quadrants") if attention_shown else None,
    }


def compare(first: dict, second: dict) -> dict:
    """Two (suppressed) results side by side, rows aligned by name in the first's order, then
    any names only the second has. A row missing on one side is None there."""

    def aligned(key: str) -> list[dict]:
        left = {row["name"]: row for row in first.get(key, [])}
        right = {row["name"]: row for row in second.get(key, [])}
        names = list(left) + [name for name in right if name not in left]
        return [{"name": n, "first": left.get(n), "second": right.get(n)} for n in names]

    return {
        "needs": aligned("needs"),
        "interventions": aligned("interventions"),
        "first": first,
        "second": second,
    }


# From the database.


def catalogue_of(programme) -> Catalogue:
    """The programme's catalogue in its order (two queries)."""
    return Catalogue(
        needs=tuple(
            SupportNeed.objects.filter(programme=programme)
            .order_by("position", "name")
            .values_list("name", flat=True)
        ),
        interventions=tuple(
            Intervention.objects.filter(programme=programme)
            .order_by("position", "name")
            .values_list("name", "aim", "kind")
        ),
    )


def cases_from_db(programme, cohort=None) -> list[Case]:
    """The cases of a programme (or one cohort), imported and live alike, in three queries
    whatever their number: the trajectories, their needs, their distinct interventions."""
    trajectories = Trajectory.objects.filter(programme=programme)
    if cohort is not None:
        trajectories = trajectories.filter(cohort=cohort)
    rows = list(
        trajectories.order_by("cohort_id", "label").values(
            "pk", "label", "cohort_id", "single_school_board", *QUADRANTS
        )
    )
    ids = [row["pk"] for row in rows]
    needs: dict[int, set[str]] = {}
    used: dict[int, list[str]] = {}
    if ids:
        through = Trajectory.needs.through.objects.filter(trajectory__in=trajectories)
        for trajectory_id, name in through.values_list("trajectory_id", "supportneed__name"):
            needs.setdefault(trajectory_id, set()).add(name)
        logs = (
            InterventionLog.objects.filter(trajectory__in=trajectories)
            .values_list("trajectory_id", "intervention__name")
            .order_by()
            .distinct()
        )
        for trajectory_id, name in logs:
            used.setdefault(trajectory_id, []).append(name)
    cases = []
    for row in rows:
        points = {key: row[key] for key in QUADRANTS}
        cases.append(
            Case(
                label=row["label"],
                single_school_board=row["single_school_board"],
                needs=frozenset(needs.get(row["pk"], ())),
                interventions=tuple(sorted(used.get(row["pk"], ()))),
                attention=None if None in points.values() else points,
                cohort=str(row["cohort_id"]),
            )
        )
    return cases


def programme_analytics(programme, cohort=None) -> dict:
    """`full` figures of a programme or one cohort, from the database (five queries)."""
    return full(cases_from_db(programme, cohort), catalogue_of(programme))


def research_figures(programme, cohort=None, k: int = K) -> dict:
    """What the pages, exports and API show: the figures suppressed, and in the programme-wide
    view also every count that one of its cohorts hides (same five queries)."""
    catalogue = catalogue_of(programme)
    cases = cases_from_db(programme, cohort)
    if cohort is not None:
        return suppress(full(cases, catalogue), k)
    by_cohort: dict[str, list[Case]] = {}
    for case in cases:
        by_cohort.setdefault(case.cohort, []).append(case)
    hide = hidden_in_any((full(group, catalogue) for group in by_cohort.values()), k)
    return suppress(full(cases, catalogue), k, hide)
