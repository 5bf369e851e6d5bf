"""Benchmark: every page of the demo, as each of its people sees it, against a minimal page.

Loads the demo (`python -m stelsel demo`) into a throw-away database, then for each person of
the demo follows every link from the home (`tests/crawl.py`, one page per URL pattern and
person) and measures each page it reached in interleaved pairs with the minimal signed-in page
(the person's own settings): page, settings, page, settings… The ratio of the two medians is
the page's figure, so a slower machine or a busy moment weighs on both sides alike.

The issue asks for every page within 3x, and the main pages (homes, quality picture, board
overview, calendar, plans, results) within 2x. Printed: the distribution of the ratios, the
slowest pages, the main pages, and how many pages exceed their limit.

    python bench/pages.py [--rounds N] [--person EMAIL] [--limit N]
"""

import argparse
import statistics
import sys
import time
from collections import Counter

from _setup import setup_django, teardown

FLOOR = "/account/instellingen/"
# The main pages by their URL pattern's name: held to 2x rather than 3x.
MAIN_ROUTES = {
    "home",
    "web:board_home",
    "web:school_home",
    "picture:picture",
    "picture:overview",
    "meetings:calendar",
    "planning:plans",
    "planning:plan",
    "insight:data",
    "insight:school_results",
    "insight:vo_overview",
}
BANDS = (1.5, 2.0, 3.0)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def pair_times(client, url: str, rounds: int) -> tuple[float, float]:
    """Median server time of `url` and of the floor page, measured in alternation."""
    page, floor = [], []
    client.get(FLOOR)
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        page.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.get(FLOOR)
        floor.append(time.perf_counter() - start)
    return statistics.median(page), statistics.median(floor)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="pairs per page (default 7)")
    parser.add_argument("--person", help="only this person of the demo (email)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages per person")
    args = parser.parse_args()

    connection = setup_django()
    from django.conf import settings
    from django.test import Client

    from tests.crawl import crawl, demo_people, load_demo

    settings.ALLOWED_HOSTS = ["testserver"]
    vendor = connection.vendor
    try:
        load_demo()
        people = demo_people()
        if args.person:
            people = [p for p in people if p.email == args.person]
            if not people:
                sys.exit(f"No person {args.person} in the demo")
        rows = []  # (ratio, page seconds, queries, person, route, url)
        floors = []
        for person in people:
            client = Client()
            client.force_login(person)
            pages = crawl(client, per_route=1)
            measured = 0
            for url, page in pages.items():
                if page.status != 200 or not page.content_type.startswith("text/html"):
                    continue
                if args.limit and measured >= args.limit:
                    break
                if client.get(url).status_code != 200:
                    continue  # a redirect: its target is measured under its own address
                page_t, floor_t = pair_times(client, url, args.rounds)
                floors.append(floor_t)
                count = queries(client, url)
                rows.append((page_t / floor_t, page_t, count, person.email, page.route, url))
                measured += 1
            print(f"[{vendor}] {person.email}: {measured} pages", flush=True)
    finally:
        teardown(connection)

    if not rows:
        sys.exit("No pages measured")
    ratios = [r[0] for r in rows]
    print(f"\n[{vendor}] {len(rows)} pages (person x page), {args.rounds} pairs each")
    floor_ms = statistics.median(floors) * 1000
    print(
        f"[{vendor}] ratio to the own-settings page: median {statistics.median(ratios):.2f}x, "
        f"max {max(ratios):.2f}x; floor median {floor_ms:.1f} ms"
    )
    bands = Counter()
    for ratio in ratios:
        bands[next((f"<={b}x" for b in BANDS if ratio <= b), f">{BANDS[-1]}x")] += 1
    for label in [f"<={b}x" for b in BANDS] + [f">{BANDS[-1]}x"]:
        print(f"  {label:>7}: {bands[label]:4d}")
    print(f"\n[{vendor}] slowest pages:")
    for ratio, page_t, count, email, route, url in sorted(rows, reverse=True)[:12]:
        print(f"  {ratio:5.2f}x {page_t * 1000:6.1f} ms {count:3d} q  {route:30s} {url}  ({email})")
    print(f"\n[{vendor}] main pages (limit 2x):")
    main_rows = [r for r in rows if r[4] in MAIN_ROUTES]
    for ratio, page_t, count, email, route, url in sorted(main_rows, reverse=True):
        print(f"  {ratio:5.2f}x {page_t * 1000:6.1f} ms {count:3d} q  {route:30s} {url}  ({email})")
    over_main = [r for r in main_rows if r[0] > 2.0]
    over_any = [r for r in rows if r[0] > 3.0]
    print(
        f"\n[{vendor}] over the limit: {len(over_any)} of {len(rows)} pages above 3x, "
        f"{len(over_main)} of {len(main_rows)} main pages above 2x"
    )


if __name__ == "__main__":
    main()
