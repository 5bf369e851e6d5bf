"""The Dutch catalogue is complete and the committed .mo matches the .po.

Users install no gettext tools, so the compiled catalogue is committed; this test catches a .po
edited without recompiling, and an entry left untranslated.
"""

import ast
import gettext
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "src/stelsel/locale/nl/LC_MESSAGES"


def _entries(po: Path) -> list[dict]:
    """A small reader of .po files: msgctxt, msgid, msgid_plural, msgstr and msgstr[n]."""
    entries, current, key, fuzzy = [], {}, None, False
    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                current["fuzzy"] = fuzzy
                entries.append(current)
            current, key, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in _entries(CATALOGUE / "django.po") if e.get("msgid")]
    assert len(entries) > 200
    untranslated = [
        e["msgid"]
        for e in entries
        if not (e.get("msgstr") or all(v for k, v in e.items() if k.startswith("msgstr[")))
    ]
    assert not untranslated
    assert not [e["msgid"] for e in entries if e["fuzzy"]]


def test_the_compiled_catalogue_matches_the_source():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries(CATALOGUE / "django.po"):
        if not entry.get("msgid"):
            continue
        if "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
        elif "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
