"""Benchmark: board home of the largest board against a one-school board and a minimal page.

With the national registry loaded, the board home of the largest board (62 schools) must use
the same number of queries as for a board with one school, and its median server time must be
at most 3x that of a minimal signed-in page measured in the same run.
"""

import statistics
import time

from _setup import duo_files, setup_django, teardown

ROUNDS = 60


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


def main():
    connection = setup_django()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from stelsel.frameworks.services import frameworks_load
    from stelsel.organisations.duo_schools import import_school_locations
    from stelsel.organisations.models import Board, Membership
    from stelsel.organisations.roles import Role
    from tests.factories import make_user

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        frameworks_load()
        for path in duo_files():
            import_school_locations(path.read_bytes())
        boards = Board.objects.annotate(n=Count("schools")).order_by("-n")
        largest = boards.first()
        single = boards.filter(n=1).first()
        results = {}
        for label, board in (("largest", largest), ("single", single)):
            user = make_user()
            Membership.objects.create(user=user, board=board, role=Role.BOARD_EXECUTIVE)
            client = Client()
            client.force_login(user)
            results[label] = measure(client, f"/besturen/{board.pk}/")
            if label == "single":
                results["minimal"] = measure(client, "/account/instellingen/")
        vendor = connection.vendor
    finally:
        teardown(connection)
    (big_t, big_q), (one_t, one_q), (min_t, min_q) = (
        results["largest"],
        results["single"],
        results["minimal"],
    )
    print(
        f"[{vendor}] board home, largest board ({largest.n} schools): "
        f"median {big_t * 1000:.1f} ms, {big_q} queries"
    )
    print(f"[{vendor}] board home, one-school board: median {one_t * 1000:.1f} ms, {one_q} queries")
    print(
        f"[{vendor}] minimal signed-in page (own settings): median {min_t * 1000:.1f} ms, "
        f"{min_q} queries"
    )
    print(
        f"[{vendor}] queries largest/single: {big_q}/{one_q} "
        f"({'same' if big_q == one_q else 'DIFFERENT'})"
    )
    ratio = big_t / min_t
    print(
        f"[{vendor}] server time largest board home / minimal page: {ratio:.2f}x "
        f"(target <= 3x: {'met' if ratio <= 3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
