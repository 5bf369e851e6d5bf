"""Benchmark: results of a round with 10,000 responses to 40 items (target: under 300 ms).

Builds a 40-item questionnaire on the shipped board framework, fills a round with 10,000
responses over six perspectives, times the count shown while it is open (the release a close
would make now, read live from the answers), closes it (which counts the answers once), then
times `round_results` (median of 7 runs) and counts its queries for this round and for one of
100 responses.
"""

import random
import statistics
import time
import uuid

from _setup import setup_django, teardown

RESPONSES = 10_000
ITEMS = 40


def questionnaire_yaml() -> str:
    per_standard = ITEMS // 4
    sections = []
    for standard in ("KZ1", "KZ2", "KZ3", "KZ4"):
        items = "\n".join(
            f"      - {{code: {standard}-{i:02d}, text: Stelling {i}.}}"
            for i in range(1, per_standard + 1)
        )
        sections.append(f"  - standard: {standard}\n    items:\n{items}")
    return """
id: bench-veertig
version: 1
name: Veertig stellingen
level: board
framework: {id: sterke-kwaliteitszorg, version: 1}
scale:
  code: eens5
  points:
    - {value: 1, label: a}
    - {value: 2, label: b}
    - {value: 3, label: c}
    - {value: 4, label: d}
    - {value: 5, label: e}
  dont_know: Weet ik niet
perspectives: [board, school_leaders, quality_staff, supervisors, council, teachers]
sections:
""" + "\n".join(sections)


def fill(round_, count: int, rng: random.Random) -> None:
    from django.db import transaction

    from stelsel.selfevaluation.models import Answer, Response

    perspectives = list(round_.perspectives.all())
    items = list(round_.questionnaire_version.items.values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, count, 500):
            responses = [
                Response(
                    id=uuid.uuid4(),
                    round=round_,
                    perspective=rng.choice(perspectives),
                    submitted_on=round_.opens_on,
                )
                for _ in range(min(500, count - start))
            ]
            Response.objects.bulk_create(responses)
            answers = []
            for response in responses:
                for item in items:
                    if rng.random() < 0.05:
                        answers.append(
                            Answer(
                                response=response,
                                round=round_,
                                perspective=response.perspective,
                                item_id=item,
                                dont_know=True,
                            )
                        )
                    else:
                        answers.append(
                            Answer(
                                response=response,
                                round=round_,
                                perspective=response.perspective,
                                item_id=item,
                                value=rng.randint(1, 5),
                            )
                        )
            Answer.objects.bulk_create(answers, batch_size=5000)


def measure(round_) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stelsel.selfevaluation.selectors import round_results

    round_results(round_)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        round_results(round_)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        round_results(round_)
    return statistics.median(times), len(captured.captured_queries)


def main():
    connection = setup_django()
    from stelsel.frameworks.services import frameworks_load
    from stelsel.organisations.models import Board
    from stelsel.selfevaluation.library import parse_questionnaire, questionnaire_version_store
    from stelsel.selfevaluation.models import Perspective
    from stelsel.selfevaluation.selectors import response_rate
    from stelsel.selfevaluation.services import round_close, round_create, round_open

    rng = random.Random(1)
    try:
        frameworks_load()
        version = questionnaire_version_store(spec=parse_questionnaire(questionnaire_yaml()))
        board = Board.objects.create(name="Bench", number="99990")
        rounds, closing, live = {}, {}, {}
        for label, count in (("small", 100), ("large", RESPONSES)):
            round_ = round_create(
                board=board,
                questionnaire_version=version,
                title=label,
                opens_on=__import__("datetime").date.today(),
                closes_on=__import__("datetime").date.today(),
                perspectives=[(c, "") for c in Perspective.values if c != "custom"],
                created_by=None,
            )
            round_ = round_open(round_=round_)
            start = time.perf_counter()
            fill(round_, count, rng)
            print(
                f"[{connection.vendor}] filled {label} round: {count} responses × {ITEMS} "
                f"items in {time.perf_counter() - start:.1f} s"
            )
            times = []
            for _ in range(5):
                start = time.perf_counter()
                response_rate(round_)
                times.append(time.perf_counter() - start)
            live[label] = statistics.median(times)
            start = time.perf_counter()
            round_close(round_=round_)
            closing[label] = time.perf_counter() - start
            rounds[label] = round_
        small_t, small_q = measure(rounds["small"])
        large_t, large_q = measure(rounds["large"])
    finally:
        teardown(connection)
    vendor = connection.vendor
    print(
        f"[{vendor}] results, {RESPONSES} responses: median {large_t * 1000:.0f} ms, "
        f"{large_q} queries (target < 300 ms: {'met' if large_t < 0.3 else 'NOT met'})"
    )
    print(
        f"[{vendor}] closing the round (answers counted once, then frozen): "
        f"{closing['large'] * 1000:.0f} ms for {RESPONSES} responses, "
        f"{closing['small'] * 1000:.0f} ms for 100"
    )
    print(
        f"[{vendor}] count while open (live release): median {live['large'] * 1000:.0f} ms for "
        f"{RESPONSES} responses, {live['small'] * 1000:.0f} ms for 100"
    )
    print(f"[{vendor}] results, 100 responses: median {small_t * 1000:.0f} ms, {small_q} queries")
    print(
        f"[{vendor}] queries large/small: {large_q}/{small_q} "
        f"({'same' if large_q == small_q else 'DIFFERENT'}); time ratio "
        f"{large_t / small_t:.1f}x for {RESPONSES // 100}x the responses"
    )


if __name__ == "__main__":
    main()
