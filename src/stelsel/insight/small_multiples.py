"""One school's doorstroomtoets results on one indicator as a small chart, drawn on the server,
and the same figures written out for the table the chart stands in.

Small multiples compare schools at a glance, so every chart of an indicator has the same scale:
1F from 60% to 100% (nearly all schools are above 80%, and the norm is 85%), 1S/2F from 0% to
100%. Each year of the window is a bar (the school's own, not yet published figures drawn as an
outline; a masked year has no bar), the signalling value a dashed line. The chart's label
repeats the figures, so colour is never the only carrier.

Styles are presentation attributes, not style attributes, so the Content Security Policy needs
no exception and a PDF would draw the same chart.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stelsel.insight.outcomes import OvtOutcome

BAR = "#0072B2"
NORM = "#a2261d"
GRID = "#c9d2dc"
MUTED = "#4f5b69"
SCALE = {"1F": (Decimal(60), Decimal(100)), "1S/2F": (Decimal(0), Decimal(100))}
WIDTH, HEIGHT = 96, 40
PAD = 2


def decimal_separator() -> str:
    return formats.get_format("DECIMAL_SEPARATOR")


def percent(value: Decimal | None, separator: str | None = None) -> str:
    """A percentage as pages show it: in the reader's decimal sign, without trailing zeros
    (47,2% in Dutch, 85%). Percentages have no thousands, so the separator is all there is to
    localise; a caller writing hundreds of them passes it in."""
    if value is None:
        return "–"
    text = format(value.normalize(), "f")
    return text.replace(".", separator or decimal_separator()) + "%"


@dataclass(frozen=True)
class Words:
    """The words of the charts and their labels, translated once for all charts of a page."""

    own: str
    masked: str
    label: str  # "%(indicator)s, %(years)s; signalling value %(norm)s"

    @classmethod
    def current(cls) -> "Words":
        return cls(_("own"), _("masked"), _("%(indicator)s, %(years)s; signalling value %(norm)s"))


@dataclass(frozen=True)
class Figures:
    """An outcome's figures written out once, for its chart, its label and the table."""

    years: tuple[tuple[int, str, bool], ...]  # (year, "47,2%", "*" or "–"; the school's own)
    percentage: str
    norm: str
    years_text: str  # "2024: * · 2025: 33,33% · 2026: 50% (own)"


def figures(outcome: OvtOutcome, separator: str, words: Words | None = None) -> Figures:
    words = words or Words.current()
    years = []
    for year in outcome.years:
        if year.masked:
            text = "*"
        elif not year.present:
            text = "–"
        else:
            text = percent(year.percentage(outcome.indicator), separator)
        years.append((year.year, text, year.year in outcome.own_years))
    years_text = " · ".join(
        f"{year}: {text} ({words.own})" if own else f"{year}: {text}" for year, text, own in years
    )
    return Figures(
        tuple(years),
        percent(outcome.percentage, separator),
        percent(outcome.norm, separator),
        years_text,
    )


def chart_label(outcome: OvtOutcome, written: Figures, words: Words | None = None) -> str:
    words = words or Words.current()
    return words.label % {
        "indicator": outcome.indicator,
        "years": written.years_text.replace("*", words.masked),
        "norm": written.norm,
    }


def result_chart(outcome: OvtOutcome, written: Figures, words: Words | None = None) -> SafeString:
    low, high = SCALE.get(outcome.indicator, SCALE["1S/2F"])
    span = float(high - low)
    plot_h = HEIGHT - 2 * PAD

    def y(value: Decimal) -> float:
        clipped = min(high, max(low, value))
        return PAD + plot_h * float(high - clipped) / span

    label = escape(chart_label(outcome, written, words))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="sparkbars" role="img" aria-label="{label}"><title>{label}</title>'
        f'<line x1="0" x2="{WIDTH}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" stroke="{GRID}"/>'
    ]
    slot = WIDTH / max(len(outcome.years), 1)
    width = slot * 0.6
    for index, year in enumerate(outcome.years):
        value = year.percentage(outcome.indicator)
        x = index * slot + slot * 0.2
        if year.masked or value is None or not year.present:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{HEIGHT - PAD - 3}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{"*" if year.masked else "–"}</text>'
            )
            continue
        top = y(value)
        own = year.year in outcome.own_years
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{max(HEIGHT - PAD - top, 1):.1f}" fill="{"#ffffff" if own else BAR}" '
            f'stroke="{BAR}" stroke-width="{1.5 if own else 0}"/>'
        )
    if outcome.norm is not None:
        level = y(outcome.norm)
        parts.append(
            f'<line x1="0" x2="{WIDTH}" y1="{level:.1f}" y2="{level:.1f}" stroke="{NORM}" '
            f'stroke-width="1.5" stroke-dasharray="4 2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - the only text, the label, is escaped
