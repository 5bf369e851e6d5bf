"""Benchmark: the report to the supervisory board of a board of 62 schools, made into a PDF by
the task worker's job.

Builds the board of `board_home.py` (62 primary schools with three years of results, a picture,
plans, actions and a table with meetings each, spread as a board has them), composes the
board's report to the supervisory board from the library template, writes its texts, issues it
(which collects every data block once and stores the snapshot), then asks for the PDF and runs
the task the worker runs (`render_report_file`): the time and the number of pages are printed,
with the Word and Excel files of the same version for comparison.
"""

import datetime as dt
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import setup_django, teardown
from board_home import FRAMEWORK, build_board

SCHOOLS = 62
TEXT = """## Wat we de raad willen vertellen

Het bestuur ziet **goede resultaten** op de meeste scholen en *zorgen* op een paar.

- De lees- en rekenresultaten liggen op {n} scholen boven de signaleringswaarde.
- Drie scholen hebben een herstelopdracht; alle zijn afgedekt met acties.

1. Het gesprek over de resultaten met elke schoolleider
2. Het inspectiebezoek in maart

Zie ook [het onderzoekskader](https://www.onderwijsinspectie.nl/).
"""


def pages_of(data: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, check=True, text=True
        ).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def main():
    connection = setup_django()
    from django.conf import settings
    from django.utils import translation

    from stelsel.frameworks.models import FrameworkVersion
    from stelsel.frameworks.services import frameworks_load
    from stelsel.insight.library import norms_ensure_loaded
    from stelsel.reports import files, services
    from stelsel.reports.models import ReportFile
    from tests.factories.reports import library_template

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    rng = random.Random(12)
    results = {}
    try:
        translation.activate("nl")
        frameworks_load()
        norms_ensure_loaded()
        version = FrameworkVersion.objects.get(framework__slug=FRAMEWORK)
        started = time.perf_counter()
        board, user = build_board(SCHOOLS, version, rng, dense="--dense" in sys.argv)
        results["build"] = time.perf_counter() - started
        today = dt.date.today()
        report = services.report_compose(
            board=board,
            author=user,
            template=library_template("rapportage-raad-van-toezicht"),
            title="Kwaliteitsrapportage aan de raad van toezicht",
            period_start=today - dt.timedelta(days=365),
            period_end=today,
        )
        draft = report.versions.get()
        for section in draft.sections.filter(kind="text"):
            services.section_update(
                section=section,
                title=section.title,
                text=TEXT.format(n=SCHOOLS - 3),
                revision=section.revision,
                user=user,
            )
        started = time.perf_counter()
        issued = services.version_issue(version=draft, user=user)
        results["issue"] = time.perf_counter() - started
        sections = len(issued.snapshot["sections"])
        rows = sum(
            len(t["rows"])
            for s in issued.snapshot["sections"]
            for t in (s.get("block") or {}).get("tables", [])
        )
        charts = sum(
            (s.get("block") or {}).get("svg", "").count("<svg") for s in issued.snapshot["sections"]
        )
        for format in ("pdf", "docx", "xlsx"):
            report_file = files.file_request(version=issued, format=format, user=user)
            assert report_file.state == "queued", report_file.state
            started = time.perf_counter()
            state = files.render_report_file.call(report_file.pk)
            elapsed = time.perf_counter() - started
            report_file = ReportFile.objects.get(pk=report_file.pk)
            assert state == "done", report_file.error
            with report_file.file.open("rb") as handle:
                data = handle.read()
            results[format] = (elapsed, report_file.seconds, len(data))
            if format == "pdf":
                results["pages"] = pages_of(data)
        vendor = connection.vendor
    finally:
        translation.deactivate()
        teardown(connection)
    print(
        f"[{vendor}] board of {SCHOOLS} schools built in {results['build']:.1f} s; report to the "
        f"supervisory board: {sections} sections, {rows} table rows, {charts} charts; "
        f"issued (all blocks collected) in {results['issue']:.2f} s"
    )
    pdf_time, pdf_seconds, pdf_size = results["pdf"]
    print(
        f"[{vendor}] PDF by the worker's task: {pdf_time:.2f} s "
        f"(recorded {pdf_seconds:.2f} s), {results['pages']} pages, {pdf_size / 1024:.0f} KiB"
    )
    for format in ("docx", "xlsx"):
        elapsed, seconds, size = results[format]
        print(
            f"[{vendor}] {format} by the worker's task: {elapsed:.2f} s "
            f"(recorded {seconds:.2f} s), {size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
