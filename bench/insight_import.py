"""Benchmark: the national import of the inspectorate's schoolweging and results files.

Target (issue 12): both files imported in under 10 s together. The files are the synthetic
national ones of national_files.py (6,410 and 6,205 OVTs, written as the inspectorate writes
them), imported into a Stelsel that holds the national registry (a board per BGNR, a school per
OVT, as after DUO's import), in the order and through the functions the command line uses:
`import schoolweging`, then `import inspectie-results`, each followed by the refresh of the
signals of every board it touched. Between the two, every OVT is linked to its school, as boards
confirm their links once. The import and the refresh are timed apart: the target is about the
import; the refresh is what the command adds after it.

A second import of both files through the command itself (`call_command("import", …)`) shows
the yearly re-import. The number of differences between the file's published columns and
Stelsel's own computation must be 0: the files were computed with the same model.
"""

import io
import tempfile
import time
from pathlib import Path

from _setup import setup_django, teardown


def main():
    connection = setup_django()
    from django.core.management import call_command
    from national_files import links_confirm, registry_create, write

    from stelsel.insight.imports import (
        apply_results,
        apply_schoolweging,
        plan_results,
        plan_schoolweging,
    )
    from stelsel.insight.models import PoResult, Schoolweging, Signal
    from stelsel.insight.refresh import signals_refresh_after_import

    vendor = connection.vendor
    start = time.perf_counter()
    results_path, weging_path, files = write(Path(tempfile.mkdtemp()))
    generated = time.perf_counter() - start
    try:
        schools = registry_create(files)
        weging_data, results_data = weging_path.read_bytes(), results_path.read_bytes()

        timings = {}
        start = time.perf_counter()
        weging_plan, weging_report = plan_schoolweging(weging_data, str(weging_path))
        timings["schoolweging: read and check"] = time.perf_counter() - start
        start = time.perf_counter()
        apply_schoolweging(weging_plan, weging_report)
        timings["schoolweging: write"] = time.perf_counter() - start
        start = time.perf_counter()
        signals_refresh_after_import(weging_report)
        refresh_weging = time.perf_counter() - start

        linked = links_confirm(schools)

        start = time.perf_counter()
        results_plan, results_report = plan_results(results_data, str(results_path))
        timings["results: read, check, compare"] = time.perf_counter() - start
        start = time.perf_counter()
        apply_results(results_plan, results_report)
        timings["results: write"] = time.perf_counter() - start
        start = time.perf_counter()
        new_signals = signals_refresh_after_import(results_report)
        refresh_results = time.perf_counter() - start
        stored = (Schoolweging.objects.count(), PoResult.objects.count(), Signal.objects.count())

        start = time.perf_counter()
        out = io.StringIO()
        call_command("import", "schoolweging", str(weging_path), stdout=out)
        second_weging = time.perf_counter() - start
        start = time.perf_counter()
        call_command("import", "inspectie-results", str(results_path), stdout=out)
        second_results = time.perf_counter() - start
        second_differences = [
            line for line in out.getvalue().splitlines() if "differences from the published" in line
        ]
    finally:
        teardown(connection)

    weging_time = timings["schoolweging: read and check"] + timings["schoolweging: write"]
    results_time = timings["results: read, check, compare"] + timings["results: write"]
    together = weging_time + results_time
    weging_rows = len(weging_plan.rows)
    print(
        f"[{vendor}] files: results {files.results_rows} OVTs ({len(results_data):,} bytes), "
        f"schoolweging {files.schoolweging_rows} OVTs x 3 years + {files.three_year_rows} "
        f"3-year values ({len(weging_data):,} bytes); generated in {generated:.2f} s"
    )
    print(
        f"[{vendor}] registry: {len(files.board_numbers)} boards, {len(schools)} schools; "
        f"{linked} OVTs linked before the results"
    )
    for name, seconds in timings.items():
        print(f"[{vendor}]   {name:32}: {seconds:6.2f} s")
    print(
        f"[{vendor}] schoolweging import : {weging_time:6.2f} s  "
        f"({weging_rows / weging_time:,.0f} rows/s; {weging_rows} rows)"
    )
    print(
        f"[{vendor}] results import      : {results_time:6.2f} s  "
        f"({files.results_rows / results_time:,.0f} OVTs/s)"
    )
    print(
        f"[{vendor}] together            : {together:6.2f} s  "
        f"(target < 10 s: {'met' if together < 10 else 'NOT met'}; "
        f"{together / 10:.2f}x the target)"
    )
    print(
        f"[{vendor}] differences reported: {len(weging_report.differences)} schoolweging, "
        f"{len(results_report.differences)} results (must be 0)"
    )
    print(
        f"[{vendor}] signals refresh after each import (what the command adds): "
        f"{refresh_weging:6.2f} s + {refresh_results:6.2f} s; {new_signals} new signals "
        f"for {len(files.board_numbers)} boards"
    )
    print(
        f"[{vendor}] stored: {stored[0]} schoolweging values, {stored[1]} yearly results, "
        f"{stored[2]} signals"
    )
    print(
        f"[{vendor}] second import through the command (with refresh): schoolweging "
        f"{second_weging:6.2f} s, results {second_results:6.2f} s; "
        f"{'; '.join(s.strip() for s in second_differences)}"
    )


if __name__ == "__main__":
    main()
