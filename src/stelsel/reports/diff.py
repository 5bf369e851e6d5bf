"""What changed between two versions of a report, section by section ("what changed since what
we told the supervisory board in June").

Sections are matched by title (a title changed counts as one section gone and one added); within
a section the lines of text and the rows of its tables are compared.
"""

import difflib
from dataclasses import dataclass, field

from stelsel.reports.snapshot import section_lines


@dataclass
class SectionChange:
    title: str
    state: str  # "same", "changed", "added", "removed"
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def compare(old: dict, new: dict) -> list[SectionChange]:
    """The sections of `new` in order, each with how it differs from `old`, and the sections of
    `old` that `new` no longer has."""
    old_sections = {s["title"]: s for s in old.get("sections", [])}
    changes = []
    seen = set()
    for section in new.get("sections", []):
        title = section["title"]
        seen.add(title)
        before = old_sections.get(title)
        if before is None:
            changes.append(SectionChange(title, "added", added=section_lines(section)))
            continue
        a, b = section_lines(before), section_lines(section)
        if a == b:
            changes.append(SectionChange(title, "same"))
            continue
        removed, added = [], []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op in ("replace", "delete"):
                removed.extend(a[i1:i2])
            if op in ("replace", "insert"):
                added.extend(b[j1:j2])
        changes.append(SectionChange(title, "changed", removed=removed, added=added))
    for title, section in old_sections.items():
        if title not in seen:
            changes.append(SectionChange(title, "removed", removed=section_lines(section)))
    return changes
