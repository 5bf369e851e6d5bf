"""Benchmark: importing past cohorts and computing a programme's analytics.

Makes programme files of 100, 1,000 and 3,000 cases (random needs, 1-8 interventions each,
attention points), imports each into a fresh database and times the import, then times the
analytics of the whole programme (the command line's figures) and the researchers' suppressed
figures, and counts their queries. Prints the time per 1,000 cases and, as ratios to the smallest
file, how time and queries grow: the import and the analytics should grow with the cases (about
linearly), the queries not at all. Last, times the largest file a programme may upload: a
hundred thousand cases with only a label, just under the 2 MB limit.
"""

import random
import sys
import time

from _setup import setup_django, teardown

SIZES = (100, 1_000, 3_000)  # the import takes files up to 2 MB, about 3,500 such cases
LARGEST = 100_000  # cases with only a label: the most a 2 MB file can hold


def programme_file(slug: str, cases: int, needs: list[str], interventions: list[str]) -> str:
    rng = random.Random(cases)
    lines = [f"programme: {slug}", "name: Benchmarkprogramma", "sector: po", "cohorts:"]
    per_cohort = max(1, cases // 10)
    for cohort in range(0, cases, per_cohort):
        lines += [f'  - name: "Jaargang {cohort // per_cohort + 1}"', "    cases:"]
        for number in range(cohort, min(cases, cohort + per_cohort)):
            chosen = rng.sample(needs, rng.randint(1, 3))
            points = [0, 0, 0, 0]
            for _ in range(4):
                points[rng.randrange(4)] += 1
            lines += [
                f"      - label: Casus {number + 1}",
                f"        single_school_board: {'true' if rng.random() < 0.3 else 'false'}",
                "        needs: [" + ", ".join(chosen) + "]",
                "        interventions:",
            ]
            for _ in range(rng.randint(1, 8)):
                day = f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                lines.append(f"          - {{name: {rng.choice(interventions)}, date: {day}}}")
            pd, pe, od, oe = points
            lines.append(
                f"        attention: {{person_directing: {pd}, person_executing: {pe}, "
                f"organisation_directing: {od}, organisation_executing: {oe}}}"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    connection = setup_django()
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from stelsel.trajectories import analytics
    from stelsel.trajectories.catalogues import defaults
    from stelsel.trajectories.importer import cohorts_import
    from stelsel.trajectories.models import Programme

    needs = [n["name"] for n in defaults()["needs"]]
    interventions = [i["name"] for i in defaults()["interventions"]]
    rows = []
    try:
        for size in SIZES:
            slug = f"bench-{size}"
            text = programme_file(slug, size, needs, interventions)
            start = time.perf_counter()
            cohorts_import(text=text, file=f"{slug}.yaml")
            imported = time.perf_counter() - start
            programme = Programme.objects.get(slug=slug)
            start = time.perf_counter()
            with CaptureQueriesContext(db) as full_queries:
                analytics.programme_analytics(programme)
            figures = time.perf_counter() - start
            start = time.perf_counter()
            with CaptureQueriesContext(db) as research_queries:
                analytics.research_figures(programme)
            research = time.perf_counter() - start
            rows.append(
                (size, imported, figures, research, len(full_queries), len(research_queries))
            )
        text = "programme: bench-largest\nname: Grootste\nsector: vo\ncohorts:\n"
        text += "  - name: '2021'\n    cases: ["
        text += ", ".join(f"{{label: C{n}}}" for n in range(LARGEST)) + "]\n"
        start = time.perf_counter()
        summary = cohorts_import(text=text, file="bench-largest.yaml")
        largest = time.perf_counter() - start
        assert summary.cases == LARGEST
    finally:
        teardown(connection)
    base = rows[0]
    print(f"Programme import and analytics ({connection.vendor})")
    print(
        f"{'cases':>7} {'import s':>9} {'s/1000':>7} {'analytics s':>12} {'research s':>11} "
        f"{'queries':>8} {'import ×':>9} {'analytics ×':>12} {'queries ×':>10}"
    )
    for size, imported, figures, research, q_full, q_research in rows:
        print(
            f"{size:>7} {imported:>9.2f} {imported / size * 1000:>7.2f} {figures:>12.3f} "
            f"{research:>11.3f} {q_full:>4}/{q_research:<3} {imported / base[1]:>9.1f} "
            f"{figures / base[2]:>12.1f} {q_research / base[5]:>10.1f}"
        )
    size = len(text.encode("utf-8")) / 1024 / 1024
    print(
        f"Largest file: {LARGEST:,} cases with a label only ({size:.1f} MB) imported in "
        f"{largest:.1f} s, {largest / LARGEST * 1000:.2f} s per 1,000 cases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
