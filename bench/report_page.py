"""Benchmark: a school's Q-report page, issued and in draft, for a board of 62 schools, against
the minimal signed-in page (the user's own settings).

Builds the board of `bench/board_home.py` (62 primary schools with results, a picture, plans,
actions, tables and meetings, herstelopdrachten and rounds, spread as a board has them) and a
board of one school built the same way. For one school of each, a Q-report is composed from the
library template and issued, and a second one is left a draft. Measured, each against the
minimal page in the same run:

- the issued version (its stored snapshot) and the draft version (its blocks collected afresh);
- each as a kept page and as its first read after a change of the data (`lib.data_versions`);
- their queries, for the board of 62 and the board of one: they must be the same.

The issue asks for a school's Q-report page within 3x the minimal page, flat in queries.
"""

import datetime as dt
import random
import statistics
import sys
import time

from _setup import setup_django, teardown
from board_home import FRAMEWORK, build_board

ROUNDS = 30
SCHOOLS = 62
FLOOR = "/account/instellingen/"


def measure(client, url: str, *, fresh: bool = False) -> tuple[float, int]:
    """Median server time and queries of `url`; with `fresh`, every request comes after a
    change of the data, so a kept page is made again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stelsel.lib import data_versions

    client.get(url)  # warm-up
    times = []
    for _ in range(ROUNDS):
        if fresh:
            data_versions.bump(connection, data_versions.ALL)
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    if fresh:
        data_versions.bump(connection, data_versions.ALL)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured.captured_queries)


def reports_for(board, user):
    """An issued and a draft Q-report of the board's first school (by name), over the school
    year so far."""
    from django.utils import timezone

    from stelsel.reports.services import version_issue
    from tests.factories.reports import make_report

    school = board.schools.order_by("name").first()
    today = timezone.localdate()
    start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    issued = make_report(board, school, author=user, title="Uitgebracht", start=start, end=today)
    version_issue(version=issued.versions.get(), user=user)
    draft = make_report(board, school, author=user, title="Concept", start=start, end=today)
    return issued, draft


def main():
    connection = setup_django()
    from django.conf import settings
    from django.test import Client

    from stelsel.frameworks.models import FrameworkVersion
    from stelsel.frameworks.services import frameworks_load
    from stelsel.insight.library import norms_ensure_loaded

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(12)
    results = {}
    try:
        frameworks_load()
        norms_ensure_loaded()
        version = FrameworkVersion.objects.get(framework__slug=FRAMEWORK)
        started = time.perf_counter()
        boards = {
            "large": build_board(SCHOOLS, version, rng, dense=False),
            "single": build_board(1, version, rng, dense=False),
        }
        built = time.perf_counter() - started
        for label, (board, user) in boards.items():
            issued, draft = reports_for(board, user)
            client = Client()
            client.force_login(user)
            for kind, report in (("issued", issued), ("draft", draft)):
                url = f"/besturen/{board.pk}/rapportages/{report.pk}/versies/1/"
                results[(label, kind, "kept")] = measure(client, url)
                results[(label, kind, "fresh")] = measure(client, url, fresh=True)
            if label == "large":
                results["floor"] = measure(client, FLOOR)
        vendor = connection.vendor
    finally:
        teardown(connection)

    floor_t, floor_q = results["floor"]
    print(f"[{vendor}] boards built in {built:.0f} s; {ROUNDS} requests per figure")
    print(f"[{vendor}] minimal signed-in page (own settings): {floor_t * 1000:.1f} ms, {floor_q} q")
    over = []
    for kind in ("issued", "draft"):
        for mode in ("kept", "fresh"):
            big_t, big_q = results[("large", kind, mode)]
            one_t, one_q = results[("single", kind, mode)]
            ratio = big_t / floor_t
            if ratio > 3:
                over.append(f"{kind} ({mode})")
            flat = "same" if big_q == one_q else "DIFFERENT"
            read = "kept page" if mode == "kept" else "first read after a change"
            print(
                f"[{vendor}] Q-report, {kind} version, {read}: {big_t * 1000:.1f} ms = "
                f"{ratio:.2f}x the minimal page; queries {SCHOOLS} schools/one school: "
                f"{big_q}/{one_q} ({flat})"
            )
    print(
        f"[{vendor}] target <= 3x the minimal page: "
        + ("met" if not over else "NOT met for " + ", ".join(over))
    )
    flat = all(
        results[("large", kind, mode)][1] == results[("single", kind, mode)][1]
        for kind in ("issued", "draft")
        for mode in ("kept", "fresh")
    )
    if not flat:
        sys.exit(1)


if __name__ == "__main__":
    main()
