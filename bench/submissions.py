"""Benchmark: anonymous submissions through a real WSGI server (gunicorn) on PostgreSQL.

100 concurrent respondents, each with a personal link: first every respondent opens the form
(to get the CSRF token), then all submit at once. Prints submissions per second (target: at
least 100) and checks that every acknowledged response is stored exactly once, also after
replaying a sample of the submissions.

Needs DATABASE_URL pointing at PostgreSQL (the benchmark makes and drops its own test database).
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from queue import Empty, Queue

from _setup import ROOT, setup_django, teardown

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "2000"))
CONCURRENCY = 100
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
PORT = 8765
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare():
    import datetime

    from stelsel.frameworks.services import frameworks_load
    from stelsel.organisations.models import Board
    from stelsel.selfevaluation.library import questionnaires_load
    from stelsel.selfevaluation.models import QuestionnaireVersion, RespondentInvitation
    from stelsel.selfevaluation.services import key_hash, round_create, round_open

    frameworks_load()
    questionnaires_load()
    version = QuestionnaireVersion.objects.get(questionnaire__slug="zelfevaluatie-bestuur-bka")
    board = Board.objects.create(name="Bench", number="99990")
    today = datetime.date.today()
    round_ = round_create(
        board=board,
        questionnaire_version=version,
        title="Bench",
        opens_on=today,
        closes_on=today,
        perspectives=[("teachers", "")],
        created_by=None,
    )
    round_open(round_=round_)
    perspective = round_.perspectives.get()
    tokens = [secrets.token_urlsafe(32) for _ in range(RESPONDENTS)]
    RespondentInvitation.objects.bulk_create(
        RespondentInvitation(
            round=round_,
            board=board,
            perspective=perspective,
            email=f"r{i}@bench.example",
            token_hash=key_hash(token),
        )
        for i, token in enumerate(tokens)
    )
    items = list(version.items.values_list("pk", flat=True))
    return round_, tokens, items


def serve(database_url: str) -> subprocess.Popen:
    static = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STELSEL_DEBUG": "false",
        "STELSEL_SECURE": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static,
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT / "src"),
    }
    python = sys.executable
    for command in (["collectstatic", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([python, "-m", "stelsel", *command], env=env, check=True)
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "stelsel.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_phase(work: Queue, handle) -> float:
    start = time.perf_counter()
    threads = [threading.Thread(target=_worker, args=(work, handle)) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def _worker(work: Queue, handle) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    while True:
        try:
            job = work.get_nowait()
        except Empty:
            return
        handle(connection, job)


def main():
    connection = setup_django()
    if connection.vendor != "postgresql":
        teardown(connection)
        raise SystemExit("set DATABASE_URL to a PostgreSQL server")
    from stelsel.selfevaluation.models import Completion, Response

    round_, tokens, items = prepare()
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    server = serve(database_url)
    forms, results, errors = {}, {}, []
    lock = threading.Lock()

    def open_form(http_connection, token):
        http_connection.request("GET", f"/vragenlijst/{token}/")
        response = http_connection.getresponse()
        body = response.read()
        cookie = response.getheader("Set-Cookie", "")
        csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
        field = CSRF_FIELD.search(body)
        with lock:
            if response.status != 200 or not csrf_cookie or not field:
                errors.append(("get", response.status))
            else:
                forms[token] = (csrf_cookie.group(1), field.group(1).decode())

    def submit(http_connection, token):
        cookie, field = forms[token]
        data = {
            "csrfmiddlewaretoken": field,
            "action": "submit",
            **{f"answer-{item}": str(1 + (hash((token, item)) % 4)) for item in items},
        }
        http_connection.request(
            "POST",
            f"/vragenlijst/{token}/",
            body=urllib.parse.urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://127.0.0.1:{PORT}/",
            },
        )
        response = http_connection.getresponse()
        response.read()
        with lock:
            results.setdefault(token, []).append(response.status)

    try:
        queue = Queue()
        for token in tokens:
            queue.put(token)
        get_seconds = run_phase(queue, open_form)
        queue = Queue()
        for token in forms:
            queue.put(token)
        post_seconds = run_phase(queue, submit)
        acknowledged = sum(1 for statuses in results.values() if statuses == [302])
        replay = Queue()
        for token in list(forms)[:200]:
            replay.put(token)
        run_phase(replay, submit)
        stored = Response.objects.filter(round=round_).count()
        completions = Completion.objects.filter(invitation__round=round_).count()
        replays_refused = sum(1 for token in list(forms)[:200] if results[token][1:] == [410])
    finally:
        server.terminate()
        server.wait(timeout=20)
        teardown(connection)
    rate = len(forms) / post_seconds
    print(
        f"[postgresql] gunicorn {WORKERS} workers × {THREADS} threads, {CONCURRENCY} "
        "concurrent respondents"
    )
    print(
        f"[postgresql] opened {len(forms)} forms in {get_seconds:.1f} s "
        f"({len(forms) / get_seconds:.0f}/s); errors: {len(errors)}"
    )
    print(
        f"[postgresql] submitted {len(forms)} responses of {len(items)} answers in "
        f"{post_seconds:.1f} s: {rate:.0f} submissions/s (target >= 100: "
        f"{'met' if rate >= 100 else 'NOT met'})"
    )
    print(
        f"[postgresql] acknowledged {acknowledged}, stored {stored}, completions {completions}; "
        f"replays refused {replays_refused} of 200 "
        f"({'exactly once' if acknowledged == stored == completions else 'MISMATCH'})"
    )


if __name__ == "__main__":
    main()
