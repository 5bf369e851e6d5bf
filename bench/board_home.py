"""Benchmark: the board home (the cockpit) of a board of 62 schools against a minimal page.

Builds a board of 62 primary schools, each with three years of doorstroomtoets results and a
schoolweging (linked OVTs, so `po_outcomes` and the signals run on them), a current picture on
the inspection's PO framework, a plan, actions and a school table with its meetings; spread as
a board has them: one school in three with standards not in order and an overdue action, one in
six with an unrecorded meeting, one in seven with herstelopdrachten, one in ten with an open
round. With `--dense` every school has all of it (a herstelopdracht past its deadline and one
not covered, an overdue action, missed meetings, an open round). A board of one school is built
the same way. The board home must use the same number of queries for both, and its median
server time for 62 schools is compared with a minimal signed-in page (the user's own settings)
measured in the same run: the issue asks for at most 3x. The board home keeps its rendered
cockpit until the board's data change (`lib.data_versions`); the first read after a change is
measured too, by changing the data version before every request.
"""

import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal

from _setup import setup_django, teardown

ROUNDS = 60
SCHOOLS = 62
FRAMEWORK = "onderzoekskader-2021-po"


def measure(client, url: str, *, fresh: bool = False) -> tuple[float, int]:
    """Median server time and queries of `url`; with `fresh`, every request comes after a
    change of the data (the page kept until then is read afresh)."""
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


def results_for(school, rng: random.Random) -> None:
    """Three years of results and the 3-year schoolweging of the school's OVT, linked."""
    from django.utils import timezone

    from stelsel.insight.models import Ovt, PoResult, ResultSource, Schoolweging

    ovt = Ovt.objects.create(
        code=f"{school.instellingscode}|C1",
        brin=school.instellingscode,
        name=school.name,
        board=school.board,
        school=school,
        linked_at=timezone.now(),
    )
    trend = rng.choice([-4, -1, 0, 2])
    base = Decimal(rng.randint(35, 65))
    for offset, year in enumerate((2023, 2024, 2025)):
        PoResult.objects.create(
            ovt=ovt,
            year=year,
            source=ResultSource.INSPECTORATE,
            pupils=rng.randint(12, 40),
            fundamental=Decimal(rng.randint(82, 100)),
            target=max(Decimal(5), base + trend * offset),
        )
    Schoolweging.objects.create(
        ovt=ovt, first_year=2022, last_year=2024, value=Decimal(rng.randint(2200, 3500)) / 100
    )


def spread_work(board, school, n: int, version) -> None:
    """What a school has besides results, for one school in so many (see the docstring)."""
    from django.utils import timezone

    from stelsel.frameworks.models import ScaleLevel
    from stelsel.meetings.models import MeetingState
    from stelsel.picture.entries.services import picture_start
    from stelsel.picture.models import Entry
    from tests.factories import make_action, make_assignment, make_round
    from tests.factories.meetings import make_meeting, make_series
    from tests.factories.planning import make_goal, make_plan

    today = timezone.localdate()

    def days(k):
        return today + dt.timedelta(days=k)

    picture = picture_start(board=board, school=school, framework_version=version, period="2025")
    if n % 3 == 0:
        negative = ScaleLevel.objects.filter(
            scale__framework_version=version, tone="negative"
        ).first()
        entries = picture.entries.filter(standard__isnull=False).order_by("standard__position")
        Entry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(status=negative)
        make_action(board, school, due_on=days(-5), title="Te laat")
    make_action(board, school, due_on=days(n % 20 + 1), title=f"Actie {n}")
    make_action(board, school, due_on=days(60), title=f"Later {n}")
    table = make_series(
        board,
        school,
        first_date=days(-112),
        interval=8,
        created_at=timezone.now() - dt.timedelta(days=120),
    )
    for k in (-112, -56):
        make_meeting(
            board,
            series=table,
            day=days(k),
            state=MeetingState.PLANNED if n % 6 == 0 else MeetingState.HELD,
        )
    make_meeting(board, series=table, day=days(n % 8 * 7 + 1))
    if n % 7 == 0:
        standard = version.standards.order_by("position").first()
        make_assignment(board, school, standard, deadline=days(-3 + n))
    if n % 10 == 0:
        make_round(board, school, state="open")
    plan = make_plan(board, school, starts_on=days(-30), ends_on=days(700), status="active")
    make_goal(plan, indicator="Lezen", baseline=60, target=80, unit="%")


def build_board(schools: int, version, rng: random.Random, *, dense: bool):
    from django.db import transaction

    from stelsel.insight.signals import signals_refresh
    from stelsel.organisations.models import Membership
    from stelsel.organisations.roles import Role
    from tests.factories import make_board, make_school, make_user
    from tests.insight.cockpit_world import add_work

    board = make_board(name=f"Bench {schools} scholen")
    user = make_user()
    Membership.objects.create(user=user, board=board, role=Role.BOARD_EXECUTIVE)
    with transaction.atomic():
        for n in range(schools):
            school = make_school(board, name=f"Basisschool {n:02d}", kind="bo")
            results_for(school, rng)
            if dense:
                add_work(board, school, framework_version=version)
            else:
                spread_work(board, school, n, version)
        add_work(board, None)
    signals_refresh(board)
    return board, user


def main():
    connection = setup_django()
    from django.conf import settings
    from django.test import Client

    from stelsel.frameworks.models import FrameworkVersion
    from stelsel.frameworks.services import frameworks_load
    from stelsel.insight.library import norms_ensure_loaded
    from stelsel.insight.models import Signal

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(12)
    dense = "--dense" in sys.argv
    try:
        frameworks_load()
        norms_ensure_loaded()
        version = FrameworkVersion.objects.get(framework__slug=FRAMEWORK)
        large, large_user = build_board(SCHOOLS, version, rng, dense=dense)
        single, single_user = build_board(1, version, rng, dense=dense)
        signals = Signal.objects.filter(board=large, resolved_at__isnull=True).count()
        results = {}
        for label, board, user in (("large", large, large_user), ("single", single, single_user)):
            client = Client()
            client.force_login(user)
            results[label] = measure(client, f"/besturen/{board.pk}/")
            results[f"{label}-fresh"] = measure(client, f"/besturen/{board.pk}/", fresh=True)
            if label == "large":
                results["minimal"] = measure(client, "/account/instellingen/")
        vendor = connection.vendor
    finally:
        teardown(connection)
    (big_t, big_q), (one_t, one_q), (min_t, min_q) = (
        results["large"],
        results["single"],
        results["minimal"],
    )
    (fresh_t, fresh_q), (one_fresh_t, one_fresh_q) = results["large-fresh"], results["single-fresh"]
    print(
        f"[{vendor}] board home (cockpit), {SCHOOLS} schools{' (dense)' if dense else ''}, "
        f"{signals} open signals: "
        f"median {big_t * 1000:.1f} ms, {big_q} queries"
    )
    print(
        f"[{vendor}] the same, first read after a change of the data: "
        f"median {fresh_t * 1000:.1f} ms, {fresh_q} queries "
        f"({fresh_t / min_t:.2f}x the minimal page)"
    )
    print(f"[{vendor}] board home, one-school board: median {one_t * 1000:.1f} ms, {one_q} queries")
    print(
        f"[{vendor}] one-school board, first read after a change: "
        f"median {one_fresh_t * 1000:.1f} ms, {one_fresh_q} queries"
    )
    print(
        f"[{vendor}] minimal signed-in page (own settings): median {min_t * 1000:.1f} ms, "
        f"{min_q} queries"
    )
    print(
        f"[{vendor}] queries {SCHOOLS} schools/one school: {big_q}/{one_q} kept, "
        f"{fresh_q}/{one_fresh_q} read afresh "
        f"({'same' if (big_q, fresh_q) == (one_q, one_fresh_q) else 'DIFFERENT'})"
    )
    ratio = big_t / min_t
    print(
        f"[{vendor}] server time board home / minimal page: {ratio:.2f}x "
        f"(target <= 3x: {'met' if ratio <= 3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
