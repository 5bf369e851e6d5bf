"""Benchmark: `signals --json` for the whole country (target: under 5 s).

Imports the synthetic national files of national_files.py (schoolweging, then results; 6,205
OVTs) into a Stelsel holding the national registry, then runs the command exactly as other
tools call it, `python -m stelsel signals --json`, into a buffer: the median of three runs,
the lines it printed (one per OVT and indicator: 2 × 6,205) and its queries. For comparison, the
same command for the largest board (`--board`): the same few queries, whatever the scope.
"""

import io
import json
import statistics
import tempfile
import time
from pathlib import Path

from _setup import setup_django, teardown

RUNS = 3


def main():
    connection = setup_django()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from national_files import links_confirm, registry_create, write

    from stelsel.insight.imports import import_results, import_schoolweging
    from stelsel.insight.models import Ovt

    vendor = connection.vendor
    results_path, weging_path, files = write(Path(tempfile.mkdtemp()))
    try:
        schools = registry_create(files)
        import_schoolweging(weging_path.read_bytes(), str(weging_path))
        links_confirm(schools)
        report = import_results(results_path.read_bytes(), str(results_path))

        def run(*args) -> tuple[float, str, int]:
            out = io.StringIO()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                call_command("signals", "--json", *args, stdout=out)
                seconds = time.perf_counter() - start
            return seconds, out.getvalue(), len(queries)

        country = [run() for _n in range(RUNS)]
        seconds = statistics.median(s for s, _out, _q in country)
        lines = country[0][1].splitlines()
        records = [json.loads(line) for line in lines]
        largest = (
            Ovt.objects.values("board__number")
            .annotate(n=Count("pk"))
            .order_by("-n", "board__number")
            .first()
        )
        board_seconds, board_out, board_queries = run("--board", largest["board__number"])
    finally:
        teardown(connection)

    expected = 2 * files.results_rows
    outcomes = {}
    for record in records:
        outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + 1
    print(
        f"[{vendor}] country: {len(report.kept)} OVTs with results, "
        f"{files.schoolweging_rows} OVTs in all"
    )
    print(
        f"[{vendor}] signals --json (country): {seconds:6.2f} s median of {RUNS} "
        f"(target < 5 s: {'met' if seconds < 5 else 'NOT met'}; {seconds / 5:.2f}x the target); "
        f"{len(lines)} lines (expected 2 x {files.results_rows} = {expected}: "
        f"{'ok' if len(lines) == expected else 'WRONG'}); {country[0][2]} queries"
    )
    print(f"[{vendor}]   {len(lines) / seconds:,.0f} lines/s; outcomes: {outcomes}")
    print(
        f"[{vendor}] signals --json --board {largest['board__number']} "
        f"({largest['n']} OVTs): {board_seconds:6.3f} s, {len(board_out.splitlines())} lines, "
        f"{board_queries} queries ({board_seconds / seconds:.3f}x the country)"
    )


if __name__ == "__main__":
    main()
