"""Dutch that reads right and English that is English.

The catalogue: every message the code uses is in it, translated, not fuzzy, with the same
placeholders. The glossary (docs/glossary.yaml): one Dutch term per thing, no forbidden variant,
one register ("je"). The pages: the demo crawled as its people in English shows no Dutch
interface wording, and in Dutch no English interface wording. Content that is Dutch data (school
names, the frameworks' texts, what people wrote) is marked `lang="nl"` and left out; so are the
values of form fields, which are what someone typed.

Interface wording is recognised by the catalogue itself: a run of two or more words of a Dutch
translation (cut at placeholders and punctuation) that is not also English, found in an English
page, is Dutch interface text that escaped translation; and the other way round.
"""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from pprint import pformat

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.crawl import crawl, demo_people, load_demo
from tests.web.test_translations import CATALOGUE, _entries

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = yaml.safe_load((ROOT / "docs/glossary.yaml").read_text(encoding="utf-8"))
KEEP = {word.lower() for word in GLOSSARY["keep"]}  # Dutch names English pages use too
TEMPLATES = sorted((ROOT / "src/stelsel").glob("**/templates/**/*.*"))
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
CUT = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%[sd]|[.,:;!?“”‘’()\"\n·–—/]")

# Single words that are Dutch interface wording and occur in no English sentence or name.
DUTCH_WORDS = {
    "opdracht",
    "opdrachten",
    "tafel",
    "tabel",
    "bewerken",
    "opslaan",
    "annuleren",
    "verwijderen",
    "toevoegen",
    "zichtbare",
    "instellingen",
    "overzicht",
}


def _messages() -> list[dict]:
    return [e for e in _entries(CATALOGUE / "django.po") if e.get("msgid")]


def _translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k == "msgstr" or k.startswith("msgstr[")]


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _whole_word(term: str) -> re.Pattern:
    """`term` as a word: not inside another word, nor a URL's parameter name (`?eenheid=`)."""
    return re.compile(r"(?<![\w\-?&])" + re.escape(term) + r"(?![\w\-=])", re.IGNORECASE)


# --- The catalogue -------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_translations_keep_the_placeholders_of_their_message():
    wrong = []
    # Fuzzy and empty translations are not compiled (and fail the completeness test).
    for entry in [e for e in _messages() if not e["fuzzy"] and all(_translations(e))]:
        if "msgid_plural" in entry:
            plural = _placeholders(entry["msgid_plural"]) | _placeholders(entry["msgid"])
            # Dutch may say "één" instead of the number in the singular, never add a name.
            if (
                _placeholders(entry["msgstr[1]"]) != plural
                or not _placeholders(entry["msgstr[0]"]) <= plural
            ):
                wrong.append(entry["msgid"])
        elif _placeholders(entry["msgstr"]) != _placeholders(entry["msgid"]):
            wrong.append(entry["msgid"])
    assert not wrong


def _extracted(tmp_path: Path) -> set[tuple]:
    """The messages the code uses now: makemessages run over a copy of the source."""
    source = tmp_path / "stelsel"
    shutil.copytree(
        ROOT / "src/stelsel", source, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    subprocess.run(
        [
            *(sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete"),
            *("--no-wrap", "--settings=stelsel.settings", "--ignore=*/migrations/*"),
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    fresh = _entries(source / "locale/nl/LC_MESSAGES/django.po")
    return {(e.get("msgctxt"), e["msgid"]) for e in fresh if e.get("msgid")}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_every_message_the_code_uses_is_in_the_catalogue(tmp_path):
    used = _extracted(tmp_path)
    catalogue = {(e.get("msgctxt"), e["msgid"]) for e in _messages()}
    assert len(used) > 200
    assert not sorted(used - catalogue, key=str)


# --- The glossary --------------------------------------------------------------------------


def test_every_message_with_a_glossary_term_uses_its_dutch_term():
    wrong = []
    translated = [e for e in _messages() if not e["fuzzy"] and all(_translations(e))]
    for term in GLOSSARY["terms"]:
        english = _whole_word(term["en"])
        for entry in translated:
            if not english.search(entry["msgid"] + " " + entry.get("msgid_plural", "")):
                continue
            if not all(term["nl"].lower() in t.lower() for t in _translations(entry)):
                wrong.append((term["en"], entry["msgid"]))
    assert not wrong


def _forbidden() -> list[str]:
    words = list(GLOSSARY["register"]["forbidden"])
    for term in GLOSSARY["terms"]:
        words += term.get("forbidden", [])
    return words


def test_no_forbidden_variant_in_the_catalogue():
    found = []
    for word in _forbidden():
        pattern = _whole_word(word)
        found += [
            (word, e["msgid"]) for e in _messages() if pattern.search(" ".join(_translations(e)))
        ]
    assert not found


def test_no_forbidden_variant_in_the_templates_or_the_demo():
    """Dutch written outside the catalogue: e-mail templates, the demo's story."""
    files = TEMPLATES + sorted((ROOT / "src/stelsel/demo").glob("*.py"))
    found = []
    for word in _forbidden():
        if len(word) < 3:  # "u" is an English letter in code too; the catalogue test has it
            continue
        pattern = _whole_word(word)
        found += [(word, f.name) for f in files if pattern.search(f.read_text(encoding="utf-8"))]
    assert not found


def test_the_glossary_terms_are_dutch_and_english_as_promised():
    """A glossary entry that the catalogue never uses is a term nobody checks."""
    messages = _messages()
    unused = [
        t["en"]
        for t in GLOSSARY["terms"]
        if not any(_whole_word(t["en"]).search(e["msgid"]) for e in messages)
    ]
    assert not unused


# --- The pages -----------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """What a page shows and announces (text, alt, title, aria-label, placeholder), without
    the head (a page's title repeats its heading), scripts, form values (what someone typed),
    choices of records and parts in the language `skip`."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    SHOWN_ATTRIBUTES = ("alt", "placeholder", "aria-label", "title")

    def __init__(self, skip: str):
        super().__init__(convert_charrefs=True)
        self.skip, self.hidden, self.parts, self.in_label = skip, [False], [], False
        self.records: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = (
            self.hidden[-1]
            or tag in ("head", "script", "style", "template", "textarea")
            or (a.get("lang") or "").startswith(self.skip)
            # A choice of records (a standard, a goal, a visit) names data, not the interface.
            or (tag == "option" and (a.get("value") or "").isdigit())
            or (tag == "label" and a.get("for") in self.records)
        )
        if not hidden:
            self.parts += [a[k] for k in self.SHOWN_ATTRIBUTES if a.get(k)]
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
            self.parts.append("|")  # no phrase runs across elements
        if tag not in self.VOID:
            self.hidden.append(hidden)
        elif (
            tag == "input"
            and a.get("type") in ("checkbox", "radio")
            and a.get("value", "").isdigit()
        ):
            # A record ticked in a list (a requirement, a table): its label is data.
            self.records.add(a.get("id"))
            if self.in_label:
                self.hidden[-1] = True
        if tag == "label":
            self.in_label = True

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label = False
        if tag not in self.VOID and len(self.hidden) > 1:
            self.hidden.pop()
        self.parts.append("|")

    def handle_data(self, data):
        if not self.hidden[-1]:
            self.parts.append(data)


QUOTED = re.compile(r"“[^”]*”")


def _runs(shown: str) -> list[list[str]]:
    return [_words(part) for part in CUT.split(shown)]


def _unquoted(shown: str) -> str:
    """Without what an interface sentence quotes: Stelsel puts the names of things in quotes
    (“Stafoverleg kwaliteit” not recorded as held), and those names are data."""
    return QUOTED.sub("|", shown)


def _phrases(source: str, target: str) -> set[tuple]:
    """Word runs of the `target` side of the catalogue that are not also on the `source` side:
    Dutch wording when target is msgstr, English wording when target is msgid."""
    phrases = set()
    for entry in _messages():
        english = entry["msgid"] + " " + entry.get("msgid_plural", "")
        dutch = " ".join(_translations(entry))
        other, mine = (english, dutch) if target == "msgstr" else (dutch, english)
        other_words = set(_words(other)) | KEEP
        for run in _runs(mine):
            if len(run) >= 2 and not set(run) <= other_words:
                phrases.add(tuple(run))
    return phrases


def _found(html: str, skip: str, phrases: set[tuple], words: set[str]) -> set[str]:
    reader = _VisibleText(skip)
    reader.feed(html)
    found = set()
    lengths = sorted({len(p) for p in phrases})
    for part in _unquoted(" ".join(reader.parts)).split("|"):
        for run in _runs(part):
            found |= {w for w in run if w in words}
            for n in lengths:
                found |= {
                    " ".join(run[i : i + n])
                    for i in range(len(run) - n + 1)
                    if tuple(run[i : i + n]) in phrases
                }
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _crawl_in(language: str, people) -> dict:
    pages = {}
    for person in people:
        client = Client()
        client.force_login(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for page in crawl(client, per_route=1).values():
            # Stelsel's own pages only, not a document someone uploaded.
            if f'<html lang="{language}"' in page.html and "web/stelsel." in page.html:
                pages[(person.email, page.url, page.route)] = page.html
    return pages


def _report(pages: dict, skip: str, phrases: set[tuple], words: set[str]) -> dict:
    wrong: dict = {}
    for (_email, _url, route), html in pages.items():
        for text in _found(html, skip, phrases, words):
            wrong.setdefault(route, set()).add(text)
    return wrong


# A second person of the same role and kind of unit sees the same pages with other data.
SAME_AS_ANOTHER = ("directeur.regenboog@", "mr.regenboog@")


@pytest.mark.django_db
def test_english_pages_show_no_dutch_interface_words(demo):
    people = [p for p in demo_people() if not p.email.startswith(SAME_AS_ANOTHER)]
    pages = _crawl_in("en", people)
    assert len(pages) > 300
    wrong = _report(pages, "nl", _phrases("msgid", "msgstr"), DUTCH_WORDS)
    assert not wrong, pformat(wrong)


@pytest.mark.django_db
def test_dutch_pages_show_no_english_interface_words(demo):
    people = [p for p in demo_people() if p.email.split("@")[0] in ("bestuurder", "kwaliteit")]
    pages = _crawl_in("nl", people)
    assert len(pages) > 100
    wrong = _report(pages, "en", _phrases("msgstr", "msgid"), set())
    assert not wrong, pformat(wrong)


def test_the_checker_sees_dutch_wording_and_leaves_marked_content_alone():
    phrases = _phrases("msgid", "msgstr")
    html = (
        '<main><h1>Standards</h1><p><span class="badge">Nog niet in orde</span></p>'
        '<td>11 opdrachten</td><p lang="nl">Nog niet in orde, zegt de school zelf.</p>'
        '<textarea name="x">Nog niet in orde</textarea></main>'
    )
    found = _found(html, "nl", phrases, DUTCH_WORDS)
    assert {"nog niet in orde", "opdrachten"} <= found
    marked = '<p lang="nl">Nog niet in orde: 11 opdrachten.</p><textarea>Opslaan</textarea>'
    assert _found(marked, "nl", phrases, DUTCH_WORDS) == set()
