"""Benchmark: a quality officer's calendar feed for a board of 62 schools, against 200 ms.

The board has the six tables of DOMAIN §7 and every school two tables of its own (school
leader conversations twice a year, a quality team every four weeks), all planned a year
ahead, and actions with due dates across the year. The quality officer sits at every school
table, which is more than any real officer does: the feed is as large as this board makes it.
The median of the feed's generation and of the whole request (through the secret address) is
printed beside the target.
"""

import datetime as dt
import statistics
import time

from _setup import setup_django, teardown

ROUNDS = 30
SCHOOLS = 62
ACTIONS_PER_SCHOOL = 4
TARGET_MS = 200


def build_board():
    from django.db import transaction
    from django.utils import timezone

    from stelsel.meetings import services, table_sets
    from stelsel.organisations.models import Membership
    from stelsel.organisations.roles import Role
    from stelsel.planning.models import Action
    from tests.factories import make_board, make_school, make_user

    board = make_board(name=f"Bench {SCHOOLS} scholen")
    officer = make_user(name="Kwaliteitszorg")
    Membership.objects.create(user=officer, board=board, role=Role.QUALITY_OFFICER)
    today = timezone.localdate()
    with transaction.atomic():
        table_sets.tables_start(board=board, user=officer)
        for n in range(SCHOOLS):
            school = make_school(board, name=f"Basisschool {n:02d}", kind="bo")
            leader = make_user()
            Membership.objects.create(
                user=leader, board=board, school=school, role=Role.SCHOOL_LEADER
            )
            services.series_create(
                board=board,
                school=school,
                name="Schoolleidergesprek",
                rhythm="months",
                months=[2, 9],
                weekday=1 + n % 5,
                week_of_month=1 + n % 4,
                start_time=dt.time(13, 0),
                first_date=today,
                members=[officer, leader],
            )
            services.series_create(
                board=board,
                school=school,
                name="Kwaliteitsteam",
                rhythm="weeks",
                interval=4,
                start_time=dt.time(15, 30),
                first_date=today + dt.timedelta(days=n % 28),
                members=[officer, leader],
            )
            Action.objects.bulk_create(
                Action(
                    board=board,
                    school=school,
                    title=f"Actie {n}-{i}",
                    owner=officer if i % 2 == 0 else leader,
                    due_on=today + dt.timedelta(days=15 + 80 * i + n),
                )
                for i in range(ACTIONS_PER_SCHOOL)
            )
    return board, officer


def median_ms(callable_) -> float:
    callable_()  # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        callable_()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    connection = setup_django()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from icalendar import Calendar

    from stelsel.meetings import services
    from stelsel.meetings.feed import feed_calendar
    from stelsel.meetings.models import Meeting

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        board, officer = build_board()
        meetings = Meeting.objects.filter(board=board).count()
        body = feed_calendar(officer)
        events = len(Calendar.from_ical(body).walk("VEVENT"))
        generation = median_ms(lambda: feed_calendar(officer))
        _feed, raw = services.feed_create(user=officer)
        client = Client()
        url = reverse("meetings:feed", args=[raw])

        def request():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        whole = median_ms(request)
        vendor = connection.vendor
    finally:
        teardown(connection)
    print(
        f"[{vendor}] calendar feed, {SCHOOLS} schools, {meetings} meetings planned, "
        f"{events} events for the quality officer ({len(body) // 1024} KiB)"
    )
    for label, ms in (("generation", generation), ("whole request", whole)):
        verdict = "within" if ms <= TARGET_MS else "OVER"
        print(f"[{vendor}] feed {label}: median {ms:.1f} ms ({verdict} the {TARGET_MS} ms target)")


if __name__ == "__main__":
    main()
