"""The board home's repeated rows, written in Python: the reasons of the attention list, the
rows of the results table and of the schools table.

A board of sixty schools has a few hundred reasons and sixty rows of results; a template spends
about ten times as long per row as this, which is the difference between a board home within
three times a minimal page and one far beyond it. The markup is the same as a template would
write; every text is escaped, and the words come from gettext like a template's.
"""

from html import escape

from django import template
from django.template.defaultfilters import title
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stelsel.insight.cockpit import SchoolResults, UnitAttention
from stelsel.lib.date_formats import short_month_year

register = template.Library()


def _badge(tone: str, text: str) -> str:
    return f'<span class="badge{" badge--" + tone if tone else ""}">{escape(text)}</span>'


@register.simple_tag
def attention_list(units: list[UnitAttention], link_units: bool = True) -> SafeString:
    """The units in order, each with its reasons linking to the pages that show them."""
    follow_up = escape(_("Figures and follow-up"))
    parts = ['<ol class="attention-list">']
    for unit in units:
        name = escape(unit.name)
        parts.append(
            f'<li class="attention card" data-school="{unit.school.pk if unit.school else ""}"'
            f' data-score="{unit.score}">'
        )
        if link_units:
            heading = f'<a href="{escape(unit.url)}">{name}</a>' if unit.url else name
            parts.append(f'<h3 class="attention__unit">{heading}</h3>')
        parts.append('<ul class="attention__reasons">')
        for reason in unit.reasons:
            parts.append(
                f'<li class="attention__reason" data-kind="{reason.kind}">'
                f"{_badge(reason.tone, reason.label)} "
                f'<a href="{escape(reason.url)}">{escape(reason.text)}</a>'
            )
            if reason.follow_up:
                parts.append(
                    f' <a class="attention__follow-up small" href="{escape(reason.follow_up)}">'
                    f'{follow_up}<span class="visually-hidden">: {name}, '
                    f"{escape(reason.signal.indicator)}</span></a>"
                )
            parts.append("</li>")
        parts.append("</ul></li>")
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.simple_tag
def results_rows(results: list[SchoolResults], link_units: bool = True) -> SafeString:
    """One row per OVT: the school, then per indicator its chart with the years written out,
    the 3-year value with the pupils, and the outcome against the signalling value."""
    published = escape(_("the inspectorate's figure"))
    norm_text = _("signalling value %(norm)s")
    pupil_texts: dict[int, str] = {}
    parts = []
    for school in results:
        name = escape(school.name)
        heading = f'<a href="{escape(school.url)}">{name}</a>' if link_units else name
        for code, figures in school.ovts:
            period = escape(figures[0].outcome.period) if figures else ""
            parts.append(
                f'<tr><th scope="row">{heading}<br><code class="small">{escape(code)}</code> '
                f'<span class="muted small">{period}</span></th>'
            )
            for f in figures:
                outcome = f.outcome
                pupils = outcome.pupils or 0
                if pupils not in pupil_texts:
                    pupil_texts[pupils] = escape(
                        ngettext("%(n)s pupil", "%(n)s pupils", pupils) % {"n": pupils}
                    )
                norm = escape(norm_text % {"norm": f.norm})
                if outcome.source == "published":
                    norm += f" · {published}"
                parts.append(
                    f'<td class="cockpit-results__chart">{f.chart}'
                    f'<span class="small">{escape(f.years)}</span></td>'
                    f'<td class="num"><strong>{escape(f.percentage)}</strong><br>'
                    f'<span class="muted small">'
                    f"{pupil_texts[pupils]}</span></td>"
                    f"<td>{_badge(f.tone, f.outcome_label)}<br>"
                    f'<span class="muted small">{norm}</span></td>'
                )
            parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.simple_tag
def school_rows(schools, prefix: str) -> SafeString:
    """The board's schools table: name, kind, place, code, inspection judgement, people."""
    parts = []
    none = '<span class="muted">—</span>'
    for school in schools:
        name = escape(school.name)
        denomination = (
            f'<br><span class="muted">{escape(school.denomination)}</span>'
            if school.denomination
            else ""
        )
        if school.inspection_judgement:
            tone = "positive" if school.inspection_judgement == "voldoende" else "negative"
            judged = school.inspection_judgement_date
            judgement = (
                f"{_badge(tone, school.get_inspection_judgement_display())}<br>"
                f'<span class="muted">{escape(short_month_year(judged)) if judged else ""}'
                "</span>"
            )
        else:
            judgement = none
        parts.append(
            f'<tr><td><a href="{escape(prefix)}{school.pk}/">{name}</a>{denomination}</td>'
            f"<td>{_badge('info', school.kind.upper())}</td>"
            f"<td>{escape(title(school.city or school.municipality or ''))}</td>"
            f"<td><code>{escape(school.vestigingscode)}</code></td>"
            f"<td>{judgement}</td>"
            f'<td class="num">{school.people_count}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.filter
def band_range(band: str) -> str:
    """The inspectorate writes a band as "[32,33)"; with a decimal comma that reads as the
    number 32,33, so pages say "32 to 33"."""
    if not band or not band.startswith("[") or "," not in band:
        return band or "—"
    lower, upper = band.strip("[)").split(",", 1)
    return _("%(lower)s to %(upper)s") % {"lower": lower, "upper": upper}
