"""Reports for tests: the library templates loaded, and a report composed from one of them."""

import datetime

from stelsel.reports.library import templates_load
from stelsel.reports.models import ReportTemplate
from stelsel.reports.services import report_compose, version_issue


def library_template(slug: str = "q-rapportage-school") -> ReportTemplate:
    if not ReportTemplate.objects.filter(board__isnull=True, slug=slug).exists():
        templates_load()
    return ReportTemplate.objects.get(board__isnull=True, slug=slug)


def make_report(
    board,
    school=None,
    *,
    author=None,
    slug: str | None = None,
    title: str = "Q-rapportage najaar",
    start=datetime.date(2026, 8, 1),
    end=datetime.date(2026, 12, 1),
    selection=(),
    issued: bool = False,
):
    template = library_template(
        slug or ("q-rapportage-school" if school is not None else "rapportage-raad-van-toezicht")
    )
    report = report_compose(
        board=board,
        author=author,
        template=template,
        title=title,
        period_start=start,
        period_end=end,
        school=school,
        selection=list(selection),
    )
    if issued:
        version_issue(version=report.versions.get(), user=author)
    return report
