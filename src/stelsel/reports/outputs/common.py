"""What every file made from a report says in the same words: the lines about the report (unit,
period, version, when it was issued, its hash), a cell as the reader reads it, and a file name.

Everything here reads the content of a version (the snapshot) and nothing else, so a file made
from an issued version says the same whenever it is made. The texts come out in the active
language: the outputs switch to the snapshot's language before they call these.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stelsel.lib.date_formats import full_date
from stelsel.reports.snapshot import content_hash
from stelsel.reports.templatetags.report_tags import cell_value, iso_date, short_hash

# Told the share of the work done (0.0 to 1.0) as a file is made, to show its progress.
Progress = Callable[[float], None] | None
EMPTY_CELL = "—"


@dataclass(frozen=True)
class About:
    """The lines about a report that head every output and end up in its footer."""

    title: str
    unit: str
    board: str
    template: str
    period: str
    version: int
    issued: bool
    issued_on: str  # the date it was issued, written out ("" for a draft)
    issued_by: str
    hash: str  # the full content hash ("" for a draft)

    @property
    def short_hash(self) -> str:
        return short_hash(self.hash)

    @property
    def version_line(self) -> str:
        if not self.issued:
            return _("Version %(n)s, draft: not issued, the figures can still change.") % {
                "n": self.version
            }
        line = _("Version %(n)s, issued %(date)s") % {"n": self.version, "date": self.issued_on}
        if self.issued_by:
            line += " " + _("by %(name)s") % {"name": self.issued_by}
        return line

    @property
    def footer_parts(self) -> list[str]:
        """Title, version, issue date and the hash's first 16 characters, for every page."""
        parts = [self.title, _("version %(n)s") % {"n": self.version}]
        if self.issued:
            parts.append(_("issued %(date)s") % {"date": self.issued_on})
            parts.append(_("hash %(hash)s") % {"hash": self.short_hash})
        else:
            parts.append(_("draft"))
        return parts

    @property
    def footer(self) -> str:
        return " · ".join(self.footer_parts)

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs to head a document or fill an overview sheet."""
        rows = [
            (pgettext("what a report is about", "About"), self.unit),
            (_("Board"), self.board),
            (_("Period"), self.period),
            (_("Template"), self.template),
            (_("Version"), self.version_line),
        ]
        if self.issued:
            rows.append((_("Content hash"), self.hash))
        return rows


def about(snapshot: dict) -> About:
    start, end = (snapshot.get("period") or ["", ""])[:2]
    issued_at = snapshot.get("issued_at") or ""
    return About(
        title=snapshot.get("title", ""),
        unit=snapshot.get("unit", ""),
        board=snapshot.get("board", ""),
        template=snapshot.get("template", ""),
        period=f"{full_date(iso_date(start))} – {full_date(iso_date(end))}",
        version=snapshot.get("version", 1),
        issued=bool(issued_at),
        issued_on=full_date(iso_date(issued_at)) if issued_at else "",
        issued_by=snapshot.get("issued_by") or "",
        hash=content_hash(snapshot) if issued_at else "",
    )


def cell_text(value) -> str:
    """A cell as the web page shows it: numbers in the language's notation, "—" for none."""
    if value is None:
        return EMPTY_CELL
    return cell_value(value)


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def source_line(block: dict) -> str:
    """Where a block's figures come from and the date they stand at."""
    as_of = full_date(iso_date(block.get("as_of") or "")) or EMPTY_CELL
    return _("Source: %(source)s · data as of %(date)s") % {
        "source": block.get("source") or EMPTY_CELL,
        "date": as_of,
    }


def filename(snapshot: dict, extension: str) -> str:
    """A file name that is safe everywhere: the title in plain letters, the version, the type."""
    stem = slugify(snapshot.get("title", ""))[:80].strip("-") or "report"
    stem = f"{stem}-v{snapshot.get('version', 1)}"
    if not snapshot.get("issued_at"):
        stem += "-" + (slugify(_("draft")) or "draft")
    return f"{stem}.{extension}"


def ticker(progress: Progress, start: float, end: float, total: int):
    """A function to call after each of `total` steps, moving progress from start to end."""
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress is not None and total:
            progress(start + (end - start) * min(done, total) / total)

    return step
