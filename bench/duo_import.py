"""Benchmark: import of the full national registry of school locations (PO + VO).

Prints the time of a first import into an empty database, of a dry run, and of a second
(idempotent) import, and the locations per second. Target: first import under 5 s.
"""

import time

from _setup import duo_files, setup_django, teardown


def main():
    connection = setup_django()
    from stelsel.organisations.duo_schools import import_school_locations
    from stelsel.organisations.models import Board, School

    files = duo_files()
    data = [f.read_bytes() for f in files]
    vendor = connection.vendor
    try:
        start = time.perf_counter()
        for blob in data:
            import_school_locations(blob)
        first = time.perf_counter() - start
        schools, boards = School.objects.count(), Board.objects.count()

        start = time.perf_counter()
        for blob in data:
            import_school_locations(blob, dry_run=True)
        dry = time.perf_counter() - start

        start = time.perf_counter()
        plans = [import_school_locations(blob) for blob in data]
        second = time.perf_counter() - start
        changes = sum(len(plan.changes) for plan in plans)
    finally:
        teardown(connection)
    print(
        f"[{vendor}] registry: {schools} school locations of {boards} boards "
        f"from {len(files)} files"
    )
    print(
        f"[{vendor}] first import : {first:6.2f} s  ({schools / first:,.0f} locations/s; "
        f"target < 5 s: {'met' if first < 5 else 'NOT met'})"
    )
    print(f"[{vendor}] dry run      : {dry:6.2f} s  ({dry / first:.2f}x first import)")
    print(
        f"[{vendor}] second import: {second:6.2f} s  ({second / first:.2f}x first import; "
        f"{changes} changes)"
    )


if __name__ == "__main__":
    main()
