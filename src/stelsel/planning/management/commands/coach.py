"""`python -m stelsel coach FILE [--json] [--kind goal|action] [--language nl|en]`.

Runs the plan coach over a plan drafted elsewhere (in a word processor, say): one goal or
action per line. Only the rules a line of text can carry are applied (not an owner or links).
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from stelsel.planning.coach.findings import ACTION, GOAL, KINDS
from stelsel.planning.coach.rules import coach_text

# "Doel: ..." or "Actie: ..." (also in English) sets the kind of one line.
PREFIXES = {"doel": GOAL, "goal": GOAL, "actie": ACTION, "action": ACTION}
# Bullets and numbering a word processor leaves in front of a pasted list ("•", "-", "3.", "b)").
BULLET = re.compile(r"^(?:[-*•‣◦▪–·]+\s*|\(?(?:\d{1,2}|[a-z])[.)]\s+)", re.IGNORECASE)


def read_lines(path: Path) -> list[tuple[int, str]]:
    """The file's non-blank lines with their line numbers (as an editor counts them).

    Only `\\n` ends a line (a `\\r` before it is dropped), so the numbers match the file even
    when a line holds a form feed or a Unicode line separator.
    """
    if not path.exists():
        raise CommandError(f"{path}: no such file")
    if path.is_dir():
        raise CommandError(f"{path}: is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CommandError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8 and try again"
        ) from None
    return [
        (number, line.rstrip("\r"))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def split_kind(line: str, default: str) -> tuple[str, str]:
    """The line's kind and its text, without a bullet or a "Doel:"/"Actie:" prefix."""
    text = BULLET.sub("", line.strip()).strip()
    head, colon, rest = text.partition(":")
    kind = PREFIXES.get(head.strip().lower()) if colon else None
    if kind:
        return kind, rest.strip()
    return default, text


class Command(BaseCommand):
    help = (
        "Coach goals and actions written one per line in a UTF-8 text file: try-language, "
        "goals phrased as actions, no target, no date. A line may start with 'Doel:' or "
        "'Actie:'; other lines are of --kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default=GOAL,
            help="kind of lines without a prefix (default: goal)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="nl",
            help="language of the messages (default: nl)",
        )

    def handle(self, *args, **options):
        lines = read_lines(Path(options["file"]))
        with translation.override(options["language"]):
            for number, line in lines:
                kind, text = split_kind(line, options["kind"])
                findings = coach_text(text, kind=kind)
                if options["json"]:
                    record = {
                        "line": number,
                        "text": text,
                        "findings": [f.as_dict() for f in findings],
                    }
                    self.stdout.write(json.dumps(record, ensure_ascii=False))
                else:
                    self.write_text(number, kind, text, findings)

    def write_text(self, number: int, kind: str, text: str, findings) -> None:
        label = _("Goal") if kind == GOAL else _("Action")
        self.stdout.write(f"{number}: {label}: {text}")
        if not findings:
            self.stdout.write("   " + _("No findings."))
        for finding in findings:
            self.stdout.write(f"   - [{finding.rule}] {finding.message}")
            self.stdout.write("     " + _("Suggestion: %(text)s") % {"text": finding.suggestion})
        self.stdout.write("")
