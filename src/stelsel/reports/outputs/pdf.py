"""A report as a PDF (WeasyPrint): tagged for screen readers (PDF/UA-1), with every chart
followed by the table of its figures, and on every page a footer naming the report, its
version, the day it was issued and the first characters of its content hash.

The document is made from the snapshot alone; it loads nothing from elsewhere (the fetcher
refuses every address), so what a report says cannot change through a link or an image.
"""

import logging
import re
from contextlib import contextmanager
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.urls import URLFetcher

from stelsel.reports.outputs.common import Progress, about, cell_text, is_number, source_line
from stelsel.reports.templatetags.report_tags import charts_of
from stelsel.reports.text import render as render_text

CSS_FILE = Path(__file__).resolve().parent / "report.css"
# Preparing the sections is quick; laying out the pages is most of the work.
PREPARED = 0.15
# WeasyPrint's own steps, as it reports them, and how far along each one is.
STEPS = {
    "Step 1": 0.2,
    "Step 2": 0.22,
    "Step 3": 0.25,
    "Step 4": 0.35,
    "Step 6": 0.9,
    "Step 7": 0.95,
}
LAYOUT = (0.4, 0.85)  # step 5, page after page
OL_START = re.compile(r'<ol start="(\d+)">')


@contextmanager
def _weasyprint_steps(progress: Progress):
    """Pass WeasyPrint's progress messages on as a share of the work done."""
    if progress is None:
        yield
        return

    pages = 0

    class Handler(logging.Handler):
        def emit(self, record):
            nonlocal pages
            message = str(record.msg)
            if message.startswith("Step 5"):
                pages += 1
                # The number of pages is not known before the layout ends: approach the end.
                low, high = LAYOUT
                progress(low + (high - low) * (1 - 1 / (1 + pages / 10)))
                return
            share = STEPS.get(message[:6])
            if share is not None:
                progress(share)

    handler = Handler(level=logging.INFO)
    level, propagate = PROGRESS_LOGGER.level, PROGRESS_LOGGER.propagate
    PROGRESS_LOGGER.addHandler(handler)
    PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.propagate = False
    try:
        yield
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
        PROGRESS_LOGGER.setLevel(level)
        PROGRESS_LOGGER.propagate = propagate


def _text(text: str):
    """The section's text as on the web page; a numbered list that starts at another number
    than 1 is told so in CSS, which WeasyPrint follows (it ignores the `start` attribute)."""
    html = render_text(text)
    return mark_safe(  # noqa: S308 - only a number taken from the safe HTML is added
        OL_START.sub(
            lambda m: f'<ol start="{m[1]}" style="counter-reset: list-item {int(m[1]) - 1}">',
            html,
        )
    )


def _rows(table: dict) -> list[list[dict]]:
    return [
        [{"text": cell_text(value), "number": is_number(value)} for value in row]
        for row in table["rows"]
    ]


def html(snapshot: dict, progress: Progress = None) -> str:
    """The report as one HTML document, the PDF's source."""
    sections = snapshot.get("sections", [])
    shown = []
    for index, section in enumerate(sections, start=1):
        block = section.get("block")
        if block:
            block = {
                **block,
                "tables": [{**t, "cells": _rows(t)} for t in block.get("tables", [])],
                "source_line": source_line(block),
                "charts": charts_of(block.get("svg", "")),
            }
        shown.append({**section, "html": _text(section.get("text", "")), "block": block})
        if progress is not None:
            progress(PREPARED * index / len(sections))
    return render_to_string(
        "reports/outputs/report_pdf.html",
        {"content": snapshot, "about": about(snapshot), "sections": shown},
    )


def render(snapshot: dict, progress: Progress = None) -> bytes:
    source = html(snapshot, progress)
    with _weasyprint_steps(progress):
        # A report is complete in itself: no address of any kind is fetched.
        document = HTML(string=source, url_fetcher=URLFetcher(allowed_protocols=()))
        return document.write_pdf(stylesheets=[CSS(filename=str(CSS_FILE))], pdf_variant="pdf/ua-1")
