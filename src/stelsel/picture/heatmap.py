"""The rows of the board overview's heat map, written as HTML in Python.

A board of sixty schools on twelve standards has over seven hundred cells; through the template
engine, with its variable lookups, escaping and filters per cell, that took most of the page's
time. Here each cell is one formatted string, with every text escaped. The markup and its
accessibility (a title per cell that names the standard, the status and the open
herstelopdrachten, under the school's row header)
are the same as a template would give.
"""

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stelsel.picture.selectors import OverviewTable

SYMBOLS = {"positive": "✓", "negative": "✗", None: "–"}


def heat_rows(table: OverviewTable, *, entry_prefix: str, picture_prefix: str) -> SafeString:
    not_judged = _("Not yet judged")
    open_label = _("open herstelopdrachten")
    codes = [escape(s.code) for s in table.standards]
    parts = []
    dates: dict = {}
    shapes: dict = {}
    for row in table.rows:
        school = escape(row.school.name)
        parts.append(
            f'<tr><th scope="row" class="heat__school">'
            f'<a href="{picture_prefix}{row.picture.pk}/">{school}</a></th>'
        )
        for code, cell in zip(codes, row.cells, strict=True):
            if cell.entry_id is None:
                parts.append(f'<td class="heat__cell heat__cell--{cell.tone or "none"}"></td>')
                continue
            # Cells repeat a few shapes (standard × status × count): each shape is built once.
            key = (code, cell.tone, cell.label, cell.open_assignments)
            shape = shapes.get(key)
            if shape is None:
                shape = shapes[key] = _cell_shape(
                    code, cell, entry_prefix, not_judged=not_judged, open_label=open_label
                )
            parts.append(f"{shape[0]}{cell.entry_id}{shape[1]}")
        n_open = (
            f'<span class="badge badge--negative">{row.open_assignments}</span>'
            if row.open_assignments
            else "0"
        )
        last = "—"
        if row.last_judged:
            day = timezone.localtime(row.last_judged).date()
            if day not in dates:
                dates[day] = formats.date_format(day, "j M Y")
            last = dates[day]
        parts.append(
            f'<td class="num">{row.summary.in_order}/{row.summary.total}</td>'
            f'<td class="num">{n_open}</td><td>{last}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def _cell_shape(code, cell, entry_prefix: str, *, not_judged: str, open_label: str):
    """The markup of a cell before and after its entry id."""
    tone = cell.tone or "none"
    label = f"{code}: {escape(cell.label) or not_judged}"
    count = ""
    if cell.open_assignments:
        label += f"; {cell.open_assignments} {open_label}"
        count = f'<span class="heat__count">{cell.open_assignments}</span>'
    return (
        f'<td class="heat__cell heat__cell--{tone}"><a href="{entry_prefix}',
        f'/" title="{label}"><span aria-hidden="true">{SYMBOLS[cell.tone]}{count}</span></a></td>',
    )
