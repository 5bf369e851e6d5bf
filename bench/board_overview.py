"""Benchmark: the board's quality overview (schools × standards) for a board of 62 schools.

Loads the shipped frameworks and gives each of 62 primary schools a current picture on the
inspection's PO framework, with statuses spread over the scale and a few herstelopdrachten.
The overview must use the same number of queries for a board of 6 schools as for 62, and its
median server time for 62 schools is compared with a minimal signed-in page (the user's own
settings) measured in the same run.
"""

import datetime
import statistics
import time

from _setup import setup_django, teardown

ROUNDS = 100
SCHOOLS = 62
SMALL = 6
FRAMEWORK = "onderzoekskader-2021-po"
ASSIGNMENT_EVERY = 7  # one school in seven has a herstelopdracht


def measure(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured.captured_queries)


def build_board(schools: int, version, executive_role):
    """A board of `schools` PO schools, each with a current picture whose standards are spread
    over the self-assessment scale (in order, not in order, not yet judged)."""
    from django.db import transaction
    from django.utils import timezone

    from stelsel.frameworks.models import ScaleLevel
    from stelsel.organisations.models import Membership
    from stelsel.picture.entries.services import picture_start
    from stelsel.picture.models import Assignment, Entry
    from tests.factories import make_board, make_school, make_user

    board = make_board(name=f"Bench {schools} scholen")
    user = make_user()
    Membership.objects.create(user=user, board=board, role=executive_role)
    levels = list(ScaleLevel.objects.filter(scale=version.default_scale).order_by("position"))
    standards = list(version.standards.order_by("position"))
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        for n in range(schools):
            school = make_school(board, name=f"Basisschool {n:02d}", kind="bo")
            picture = picture_start(
                board=board, school=school, framework_version=version, period="2026-2027"
            )
            entries = list(Entry.objects.filter(picture=picture, standard__isnull=False))
            for i, entry in enumerate(entries):
                entry.status = levels[(n + i) % len(levels)]
                entry.judged_by = user
                entry.judged_at = now
            Entry.objects.bulk_update(entries, ["status", "judged_by", "judged_at"])
            picture.last_judged_at = now
            picture.save(update_fields=["last_judged_at"])
            if n % ASSIGNMENT_EVERY == 0:
                Assignment.objects.create(
                    board=board,
                    school=school,
                    standard=standards[n % len(standards)],
                    text="Zorg dat de school voldoet aan de eisen van deze standaard.",
                    deadline=today + datetime.timedelta(days=90 + n),
                )
    return board, user


def main():
    connection = setup_django()
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from stelsel.frameworks.models import FrameworkVersion
    from stelsel.frameworks.services import frameworks_load
    from stelsel.organisations.roles import Role

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        try:
            reverse("picture:overview", args=[1])
        except NoReverseMatch:
            raise SystemExit(
                "The board overview page (picture:overview) does not exist yet."
            ) from None
        frameworks_load()
        version = FrameworkVersion.objects.get(framework__slug=FRAMEWORK)
        n_standards = version.standards.count()
        results = {}
        for label, schools in (("large", SCHOOLS), ("small", SMALL)):
            board, user = build_board(schools, version, Role.BOARD_EXECUTIVE)
            client = Client()
            client.force_login(user)
            results[label] = measure(client, reverse("picture:overview", args=[board.pk]))
            if label == "large":
                results["minimal"] = measure(client, reverse("account_settings"))
        vendor = connection.vendor
    finally:
        teardown(connection)
    (big_t, big_q), (small_t, small_q), (min_t, min_q) = (
        results["large"],
        results["small"],
        results["minimal"],
    )
    print(
        f"[{vendor}] board overview, {SCHOOLS} schools × {n_standards} standards: "
        f"median {big_t * 1000:.1f} ms, {big_q} queries"
    )
    print(
        f"[{vendor}] board overview, {SMALL} schools: median {small_t * 1000:.1f} ms, "
        f"{small_q} queries"
    )
    print(
        f"[{vendor}] minimal signed-in page (own settings): median {min_t * 1000:.1f} ms, "
        f"{min_q} queries"
    )
    print(
        f"[{vendor}] queries {SCHOOLS}/{SMALL} schools: {big_q}/{small_q} "
        f"({'same' if big_q == small_q else 'DIFFERENT'})"
    )
    print(
        f"[{vendor}] server time overview ({SCHOOLS} schools) / minimal page: "
        f"{big_t / min_t:.2f}x; {SMALL} schools / minimal page: {small_t / min_t:.2f}x"
    )


if __name__ == "__main__":
    main()
