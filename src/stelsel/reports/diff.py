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


def _keyed(sections: list[dict]) -> dict:
    """Sections by (title, how many before it had that title): two sections of one title are
    told apart by their order."""
    keyed, seen = {}, {}
    for section in sections:
        n = seen.get(section["title"], 0)
        seen[section["title"]] = n + 1
        keyed[(section["title"], n)] = section
    return keyed


def compare(old: dict, new: dict) -> list[SectionChange]:
    """The sections of `new` in order, each with how it differs from `old`, and the sections of
    `old` that `new` no longer has."""
    old_sections = _keyed(old.get("sections", []))
    changes = []
    seen = set()
    for key, section in _keyed(new.get("sections", [])).items():
        title = section["title"]
        seen.add(key)
        before = old_sections.get(key)
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
    for key, section in old_sections.items():
        if key not in seen:
            changes.append(SectionChange(key[0], "removed", removed=section_lines(section)))
    return changes
