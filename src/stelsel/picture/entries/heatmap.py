"""The rows of the board overview's heat map, written as HTML in Python.

A board of sixty schools on twelve standards has over seven hundred cells; through the template
engine, with its variable lookups, escaping and filters per cell, that took most of the page's
time. Here each cell is one formatted string, with every text escaped. The markup and its
accessibility (a title per cell that names the standard, the status and the open
herstelopdrachten, under the school's row header)
are the same as a template would give.

The count per school is its *Eisen* figure (`rollups.summarise_picture`), the same as on the
school's own pages, with its parts in data attributes and, when the board has own
requirements, in words; the open herstelopdrachten say how many are not covered by an action.
"""

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stelsel.frameworks.level_labels import shown
from stelsel.lib.date_formats import short_date
from stelsel.picture.entries.overview import OverviewTable

SYMBOLS = {"positive": "✓", "negative": "✗", None: "–"}


def heat_rows(table: OverviewTable, *, entry_prefix: str, picture_prefix: str) -> SafeString:
    not_judged = _("Not yet judged")
    codes = [escape(s.code) for s in table.columns]
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
                shape = shapes[key] = _cell_shape(code, cell, entry_prefix, not_judged=not_judged)
            parts.append(f"{shape[0]}{cell.entry_id}{shape[1]}")
        n_open = (
            f'<span class="badge badge--negative">{row.open_assignments}</span>'
            if row.open_assignments
            else "0"
        )
        uncovered = row.coverage.uncovered if row.coverage else 0
        if uncovered:
            n_open += '<br><span class="small">{}</span>'.format(
                escape(ngettext("%(n)s not covered", "%(n)s not covered", uncovered))
                % {"n": uncovered}
            )
        last = "—"
        if row.last_judged:
            day = timezone.localtime(row.last_judged).date()
            if day not in dates:
                dates[day] = short_date(day)
            last = dates[day]
        parts.append(
            f"{_figure(row)}"
            f'<td class="num" data-picture="{row.picture.pk}" data-open="{row.open_assignments}" '
            f'data-uncovered="{uncovered}">'
            f"{n_open}</td><td>{last}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def _figure(row) -> str:
    """The school's *Eisen* figure, "4/13", with its parts; the parts in words only when the
    board has own requirements, as only then they need explaining."""
    summary = row.summary
    own = summary.own.total
    split = ""
    if own:
        split = '<br><span class="muted small">{}</span>'.format(
            escape(
                ngettext(
                    "%(standards)s standards + %(n)s own requirement",
                    "%(standards)s standards + %(n)s own requirements",
                    own,
                )
                % {"standards": summary.framework.total, "n": own}
            )
        )
    return (
        f'<td class="num heat__figure" data-picture="{row.picture.pk}" '
        f'data-in-order="{summary.in_order}" data-not-in-order="{summary.not_in_order}" '
        f'data-total="{summary.total}" '
        f'data-framework="{summary.framework.total}" data-own="{own}">'
        f"{summary.in_order}/{summary.total}{split}</td>"
    )


def _cell_shape(code, cell, entry_prefix: str, *, not_judged: str):
    """The markup of a cell before and after its entry id."""
    tone = cell.tone or "none"
    label = f"{code}: {escape(shown(cell.label)) or not_judged}"
    count = ""
    if cell.open_assignments:
        label += "; " + ngettext(
            "%(n)s open herstelopdracht", "%(n)s open herstelopdrachten", cell.open_assignments
        ) % {"n": cell.open_assignments}
        count = f'<span class="heat__count">{cell.open_assignments}</span>'
    return (
        f'<td class="heat__cell heat__cell--{tone}"><a href="{entry_prefix}',
        f'/" title="{label}"><span aria-hidden="true">{SYMBOLS[cell.tone]}{count}</span></a></td>',
    )
