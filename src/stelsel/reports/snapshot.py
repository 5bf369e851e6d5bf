"""What a version of a report says, as one JSON document: made afresh for a draft, stored when
the version is issued, and hashed so anyone can check that an issued report is the one that was
issued.

The hash is taken over the canonical JSON of the snapshot (sorted keys, no spaces), so the
same content gives the same hash on every machine and database.
"""

import hashlib
import json
import math

from django.utils import timezone, translation

from stelsel.organisations.models import School
from stelsel.reports import blocks
from stelsel.reports.models import Report, ReportVersion, SectionKind
from stelsel.reports.text import plain

SNAPSHOT_FORMAT = 1


def report_scope(report: Report) -> blocks.Scope:
    """The schools a report is about: its school, its selection, or every school of the board."""
    if report.school_id:
        schools = [report.school]
    else:
        chosen = list(report.selection.all())
        schools = chosen or list(School.objects.filter(board_id=report.board_id))
    schools.sort(key=lambda s: (s.name.lower(), s.pk))
    return blocks.Scope(
        board=report.board,
        schools=tuple(schools),
        board_level=not report.school_id and not report.selection.exists(),
        start=report.period_start,
        end=report.period_end,
    )


def unit_label(report: Report, scope: blocks.Scope) -> str:
    if report.school_id:
        return report.school.name
    if scope.board_level:
        return report.board.name
    return ", ".join(s.name for s in scope.schools)


def build(version: ReportVersion) -> dict:
    """The whole content of a version as it stands now: its texts and its blocks' data."""
    report = version.report
    scope = report_scope(report)
    sections = []
    for section in version.sections.all():
        entry = {
            "position": section.position,
            "kind": section.kind,
            "title": section.title,
            "text": section.text,
        }
        if section.kind == SectionKind.BLOCK:
            entry["block"] = (
                blocks.collect(section.block, scope)
                if section.block in blocks.BLOCKS
                else {"kind": section.block, "tables": [], "notes": [], "empty": "", "svg": ""}
            )
        sections.append(entry)
    content = {
        "format": SNAPSHOT_FORMAT,
        "language": translation.get_language() or "nl",
        "board": report.board.name,
        "unit": unit_label(report, scope),
        "schools": [s.name for s in scope.schools],
        "title": report.title,
        "template": report.template.name,
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "version": version.number,
        "made_at": timezone.localdate().isoformat(),
        "sections": sections,
    }
    return canonical(content)


def canonical(value):
    """The snapshot as every database stores it back: PostgreSQL's jsonb turns -0.0 into 0.0
    and a whole float of 1e16 or more into an integer, and no JSON holds NaN or infinity. Made
    so before hashing, the stored snapshot always hashes to its hash."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value == 0:
            return 0.0
        if value == int(value) and abs(value) >= 1e16:
            return int(value)
    return value


def content_hash(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def section_lines(section: dict) -> list[str]:
    """A section as lines of plain text, for comparing two versions."""
    lines = [line for line in plain(section.get("text", "")).splitlines() if line.strip()]
    block = section.get("block")
    if block:
        for table in block.get("tables", []):
            lines.append(table["caption"])
            for row in table["rows"]:
                cells = ["—" if cell is None else str(cell) for cell in row]
                lines.append(" | ".join(cells))
        lines.extend(block.get("notes", []))
        if block.get("empty"):
            lines.append(block["empty"])
    return lines
