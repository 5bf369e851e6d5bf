"""The programme analytics as researchers read them: tables, charts, CSV, Excel and PDF.

Every output here is made from a result of `analytics.suppress`, never from the full figures,
so a file can never show what the page hides. The page and every file share the same tables
(`tables`, `compare_tables`); the charts are server-rendered SVG with presentation attributes,
so the browser (under the content security policy) and WeasyPrint draw them alike. No board
name or case label is in any of it: the result holds neither.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from stelsel.selfevaluation.exports import safe
from stelsel.trajectories.analytics import K

PDF_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: sans-serif; font-size: 10pt; color: #1b2430; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 3pt; }
th, td { border-bottom: 0.5pt solid #c9d2dc; padding: 2pt 4pt; text-align: left; }
td.number { text-align: right; }
.muted { color: #4f5b69; }
svg { width: 100%; max-height: 120mm; }
.chart--quadrants { width: 70mm; }
"""
HEADER_FILL = PatternFill("solid", fgColor="EEF4FB")
BAR = "#0072B2"
SECOND = "#E69F00"
INK = "#1b2430"
GRID = "#c9d2dc"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # The first column names catalogue entries (written in Dutch), not interface text.
    names_are_content: bool = False


def _letters() -> dict[str, str]:
    return {
        "B": _("The board itself (B)"),
        "O": _("Its surroundings (O)"),
        "I": _("Content (I)"),
        "P": _("Process (P)"),
    }


def _sides() -> dict[str, str]:
    return {
        "person": _("The board as a person"),
        "organisation": _("The organisation it governs"),
        "directing": _("Directing tasks"),
        "executing": _("Executing tasks"),
    }


def quadrant_names() -> dict[str, str]:
    return {
        "person_directing": _("Person, directing"),
        "person_executing": _("Person, executing"),
        "organisation_directing": _("Organisation, directing"),
        "organisation_executing": _("Organisation, executing"),
    }


def _hidden_note(result: dict) -> str:
    if result.get("suppressed"):
        return _(
            "“< %(k)s”: fewer than %(k)s cases, not shown so that no case can be recognised; "
            "“*”: not shown because such a count could be worked out from it."
        ) % {"k": K}
    return ""


def tables(result: dict) -> list[Table]:
    """The tables of one selection (a suppressed result)."""
    if result["too_few"]:
        return [
            Table(
                _("Cases"),
                [_("Cases")],
                [[result["cases"]]],
                _("Fewer than %(k)s cases: no figures are shown.") % {"k": K},
            )
        ]
    note = _hidden_note(result)
    needs = Table(
        _("Support needs by number of cases"),
        [_("Support need"), _("Cases"), _("Single-school boards"), _("Boards with more schools")],
        [[r["name"], r["cases"], r.get("single"), r.get("multi")] for r in result["needs"]],
        note,
        names_are_content=True,
    )
    interventions = Table(
        _("Interventions by number of cases in which they were used"),
        [_("Intervention"), _("Cases"), _("Aimed at"), _("Content or process")],
        [[r["name"], r["cases"], r["aim"], r["kind"]] for r in result["interventions"]],
        note,
        names_are_content=True,
    )
    totals = Table(
        _("Totals per aim and kind"),
        [_("Aim or kind"), _("Cases")],
        [[label, result["totals"][letter]] for letter, label in _letters().items()],
        _("Only the interventions shown are added up.") if result["totals_partial"] else "",
    )
    attention = Table(
        _("Attention distribution (share of all points, %)"),
        [_("Side"), _("Share (%)")],
        [],
        _("Cases with attention points: %(n)s") % {"n": result["attention_cases"]},
    )
    quadrants = Table(
        _("Attention per quadrant (share of all points, %)"), [_("Quadrant"), _("Share (%)")]
    )
    if result["attention"] is None and isinstance(result["attention_cases"], int):
        attention.note += " " + _(
            "Not shown: a cohort in this selection has fewer than %(k)s cases with attention "
            "points, which could be worked out from the shares."
        ) % {"k": K}
    elif result["attention"] is None:
        attention.note += " " + _("Fewer than %(k)s cases have attention points: not shown.") % {
            "k": K
        }
    else:
        attention.rows = [[label, result["attention"][key]] for key, label in _sides().items()]
        quadrants.rows = [
            [label, result["quadrants"][key]] for key, label in quadrant_names().items()
        ]
    return [
        Table(_("Cases"), [_("Cases")], [[result["cases"]]]),
        needs,
        interventions,
        totals,
        attention,
        quadrants,
    ]


def compare_tables(both: dict, first: str, second: str) -> list[Table]:
    """Two cohorts side by side, row by row (suppressed results of `analytics.compare`)."""

    def cases(row):
        return None if row is None else row["cases"]

    a, b = both["first"], both["second"]
    out = [Table(_("Cases"), ["", first, second], [[_("Cases"), a["cases"], b["cases"]]])]
    for key, caption, column in (
        ("needs", _("Support needs by number of cases"), _("Support need")),
        ("interventions", _("Interventions by number of cases"), _("Intervention")),
    ):
        out.append(
            Table(
                caption,
                [column, first, second],
                [[r["name"], cases(r["first"]), cases(r["second"])] for r in both[key]],
                _hidden_note(a) or _hidden_note(b),
                names_are_content=True,
            )
        )
    rows = []
    for letter, label in _letters().items():
        rows.append(
            [label] + [None if r["totals"] is None else r["totals"][letter] for r in (a, b)]
        )
    out.append(Table(_("Totals per aim and kind"), ["", first, second], rows))
    rows = []
    for key, label in _sides().items():
        rows.append(
            [label] + [None if r["attention"] is None else r["attention"][key] for r in (a, b)]
        )
    out.append(
        Table(_("Attention distribution (share of all points, %)"), ["", first, second], rows)
    )
    return out


# Charts.


def _number(value) -> str:
    if isinstance(value, float):
        return number_format(value, decimal_pos=1)
    return str(value)


def bars(
    rows: list[tuple[str, object]],
    *,
    title: str,
    maximum: int | None = None,
    names_are_content: bool = False,
) -> SafeString:
    """Horizontal bars, one per row; a hidden count ("< 3") has no bar, only its text. Labels
    that name catalogue entries carry the language they are written in (Dutch)."""
    lang = f' lang="{settings.LANGUAGE_CODE}"' if names_are_content else ""
    label_width, bar_width, line = 300, 260, 22
    values = [v for _n, v in rows if isinstance(v, int | float)]
    top = maximum or max(values + [1])
    height = line * len(rows) + 8
    width = label_width + bar_width + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart chart--bars"><title>{escape(title)}</title>'
    ]
    for index, (name, value) in enumerate(rows):
        y = 4 + index * line
        short = name if len(name) <= 46 else name[:45] + "…"
        parts.append(
            f'<text class="chart__label" font-size="12" fill="{INK}" x="{label_width - 6}" '
            f'y="{y + 15}" text-anchor="end"{lang}>{escape(short)}</text>'
        )
        if isinstance(value, int | float):
            length = bar_width * value / top if top else 0
            parts.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="15" '
                f'fill="{BAR}"{lang}><title>{escape(name)}: {escape(_number(value))}</title></rect>'
            )
            shown, x = _number(value), label_width + length + 4
        else:
            shown, x = "" if value is None else str(value), label_width + 4
        parts.append(
            f'<text font-size="12" fill="{INK}" x="{x:.1f}" y="{y + 15}">{escape(shown)}</text>'
        )
    parts.append(
        f'<line class="chart__axis" stroke="{GRID}" x1="{label_width}" y1="0" '
        f'x2="{label_width}" y2="{height}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def quadrants_chart(shares: dict[str, float] | None, *, title: str) -> SafeString:
    """The two axes as a square of four quadrants, each with its share of all points; the
    darker the quadrant, the larger its share."""
    size, pad = 320, 40
    half = (size - 2 * pad) / 2
    names = quadrant_names()
    person, organisation = escape(_("Person")), escape(_("Organisation"))
    directing, executing = escape(_("Directing")), escape(_("Executing"))
    spots = {
        "person_directing": (0, 0),
        "organisation_directing": (1, 0),
        "person_executing": (0, 1),
        "organisation_executing": (1, 1),
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'class="chart chart--quadrants"><title>{escape(title)}</title>',
        f'<text font-size="12" fill="{INK}" x="{pad + half / 2}" y="{pad - 12}" '
        f'text-anchor="middle">{person}</text>',
        f'<text font-size="12" fill="{INK}" x="{pad + 1.5 * half}" y="{pad - 12}" '
        f'text-anchor="middle">{organisation}</text>',
        f'<text font-size="12" fill="{INK}" x="{pad - 8}" y="{pad + half / 2}" '
        f'text-anchor="end" transform="rotate(-90 {pad - 8} {pad + half / 2})">'
        f"{directing}</text>",
        f'<text font-size="12" fill="{INK}" x="{pad - 8}" y="{pad + 1.5 * half}" '
        f'text-anchor="end" transform="rotate(-90 {pad - 8} {pad + 1.5 * half})">'
        f"{executing}</text>",
    ]
    for key, (column, row) in spots.items():
        x, y = pad + column * half, pad + row * half
        share = None if shares is None else shares[key]
        opacity = 0.08 if share is None else 0.1 + 0.8 * share / 100
        text = "—" if share is None else f"{_number(share)} %"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{half}" height="{half}" fill="{BAR}" '
            f'fill-opacity="{opacity:.2f}" stroke="{GRID}">'
            f"<title>{escape(names[key])}: {escape(text)}</title></rect>"
            f'<text font-size="16" fill="{INK}" x="{x + half / 2}" y="{y + half / 2 + 6}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def charts(result: dict) -> dict[str, SafeString]:
    """The page's and the PDF's charts of one selection (none when it has too few cases)."""
    if result["too_few"]:
        return {}
    largest = max([result["cases"], 1])
    drawn = {
        "needs": bars(
            [(r["name"], r["cases"]) for r in result["needs"]],
            title=_("Support needs by number of cases"),
            maximum=largest,
            names_are_content=True,
        ),
        "interventions": bars(
            [(r["name"], r["cases"]) for r in result["interventions"]],
            title=_("Interventions by number of cases"),
            maximum=largest,
            names_are_content=True,
        ),
        "totals": bars(
            [(label, result["totals"][letter]) for letter, label in _letters().items()],
            title=_("Totals per aim and kind"),
        ),
    }
    if result["attention"] is not None:
        # No chart of figures that are not shown: the table's note says why.
        drawn["attention"] = bars(
            [(label, result["attention"][key]) for key, label in _sides().items()],
            title=_("Attention distribution (share of all points, %)"),
            maximum=100,
        )
        drawn["quadrants"] = quadrants_chart(
            result["quadrants"], title=_("Attention per quadrant (share of all points, %)")
        )
    return drawn


# Files.


def _cell(value):
    return "" if value is None else value


def to_csv(about: list[tuple[str, str]], shown: list[Table]) -> bytes:
    """One CSV file: the lines about the selection, then each table with its caption."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for label, value in about:
        writer.writerow([safe(label), safe(value)])
    for table in shown:
        writer.writerow([])
        writer.writerow([safe(table.caption)])
        writer.writerow([safe(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([safe(_cell(v)) for v in row])
        if table.note:
            writer.writerow([safe(table.note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(about: list[tuple[str, str]], shown: list[Table]) -> bytes:
    """A workbook: an overview sheet, then one sheet per table (numbers stay numbers)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("About")
    for label, value in about:
        sheet.append([safe(label), safe(value)])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 70
    for number, table in enumerate(shown, start=1):
        sheet = book.create_sheet(f"{number} {table.caption}"[:31].rstrip())
        sheet.append([safe(table.caption)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe(c) for c in table.columns])
        for index in range(1, len(table.columns) + 1):
            cell = sheet.cell(row=2, column=index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            sheet.column_dimensions[get_column_letter(index)].width = 16 if index > 1 else 50
        for row in table.rows:
            sheet.append([safe(_cell(v)) for v in row])
        if table.note:
            sheet.append([safe(table.note)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(context: dict) -> bytes:
    """The page's content as a PDF; it fetches nothing (no address of any kind)."""
    html = render_to_string("trajectories/analytics_pdf.html", context)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(stylesheets=[CSS(string=PDF_CSS)])
