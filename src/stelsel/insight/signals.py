"""Early warning: signals derived from the results, the norms and the board's own indicators.

Signals are computed from the data every time it changes and stored with a stable key, so a
signal keeps its first-seen date, the digest after an import names only the new ones, and a
signal that no longer holds is closed rather than forgotten. Each signal carries the figures it
rests on; its sentence is written when shown, in the reader's language.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stelsel.insight import po_model, vo_model
from stelsel.insight.library import po_norms_by_period
from stelsel.insight.models import Measurement, Signal, SignalKind, WarningSettings
from stelsel.insight.outcomes import (
    OvtData,
    OvtOutcome,
    coming_schoolweging,
    norms_for_period,
    official_last_year,
    outcomes_for,
    ovt_data,
    with_schoolweging,
)
from stelsel.insight.vo_results import (
    AFDELING_LABELS,
    INDICATOR_LABELS,
    JUDGEMENT_LABELS,
    latest_periods,
)
from stelsel.organisations.models import Board, School, SchoolKind
from stelsel.picture.models import Direction, Indicator

SEVERITY = {
    SignalKind.BELOW_NORM: 3,
    SignalKind.COMING_BELOW: 3,
    SignalKind.NEAR_NORM: 2,
    SignalKind.FALLING: 2,
    SignalKind.OWN_BELOW: 2,
    SignalKind.BAND_CHANGE: 1,
    SignalKind.MISSING_DATA: 1,
}
DEFAULT_MARGIN = Decimal(3)
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _n(value) -> str | None:
    return None if value is None else str(value)


def outcome_record(outcome: OvtOutcome) -> dict:
    """One line of `signals --json`: the fields other tools rely on, in this form."""
    return {
        "ovt": outcome.ovt,
        "indicator": outcome.indicator,
        "period": outcome.period,
        "percentage": float(outcome.percentage) if outcome.percentage is not None else None,
        "pupils": outcome.pupils,
        "schoolweging": float(outcome.schoolweging) if outcome.schoolweging is not None else None,
        "norm": float(outcome.norm) if outcome.norm is not None else None,
        "outcome": outcome.outcome,
        "published_outcome": outcome.published_outcome,
        "source": outcome.source,
        "board": int(outcome.board_number) if outcome.board_number else None,
        "school": outcome.school_id,
    }


@dataclass
class SignalData:
    key: str
    kind: str
    school_id: int | None
    indicator: str
    figures: dict

    @property
    def severity(self) -> int:
        return SEVERITY[self.kind]


def margin_for(board: Board) -> Decimal:
    settings = WarningSettings.objects.filter(board=board).first()
    return settings.margin if settings else DEFAULT_MARGIN


def _figures(outcome: OvtOutcome, **extra) -> dict:
    return {
        "ovt": outcome.ovt,
        "period": outcome.period,
        "percentage": _n(outcome.percentage),
        "pupils": outcome.pupils,
        "norm": _n(outcome.norm),
        "schoolweging": _n(outcome.schoolweging),
        "source": outcome.source,
        "own_years": sorted(outcome.own_years),
        "years": [
            {"year": y.year, "pupils": y.pupils, "percentage": _n(y.percentage(outcome.indicator))}
            for y in outcome.years
        ],
        **extra,
    }


def needed_for(data: OvtData, indicator: str, norms_by_period: dict, base: int):
    """What the school needs in the year after `base` (the newest year held) to stay at or
    above the norm; the same norms and schoolweging as the school's results page."""
    year = base + 1
    norms, _provisional = norms_for_period(year, norms_by_period)
    if norms is None:
        return None
    kept = [data.years.get(y, po_model.Year(y)) for y in (base - 1, base)]
    if any(not y.present or y.masked for y in kept):
        return None
    if indicator == "1F":
        norm = norms.fundamental
    else:
        schoolweging, _estimated = coming_schoolweging(data, year)
        found = norms.target_norm(schoolweging) if schoolweging is not None else None
        if not found:
            return None
        norm = found[1]
    return po_model.needed_next_year(indicator, kept, kept[-1].pupils or 0, norm)


def _po_signals(data: OvtData, norms_by_period, margin: Decimal) -> list[SignalData]:
    found: list[SignalData] = []
    last_year = official_last_year(data)
    if last_year is None:
        return found
    school = data.school_id
    latest_norms = norms_by_period[max(norms_by_period)] if norms_by_period else None
    newest = max(data.years) if data.years else last_year
    for outcome in outcomes_for(data, last_year, norms_by_period):
        base = f"{data.code}:{outcome.indicator}:{outcome.last_year}"
        needed = needed_for(data, outcome.indicator, norms_by_period, newest)
        extra = {}
        if needed is not None:
            extra["needed"] = {
                "year": newest + 1,
                "percentage": _n(needed.percentage),
                "pupils": needed.pupils,
                "pupils_expected": needed.pupils_expected,
                "norm": _n(needed.norm),
            }
        if outcome.outcome == po_model.BELOW:
            found.append(
                SignalData(
                    f"below:{base}",
                    SignalKind.BELOW_NORM,
                    school,
                    outcome.indicator,
                    _figures(outcome, **extra),
                )
            )
        elif (
            outcome.outcome == po_model.ABOVE
            and outcome.percentage is not None
            and outcome.norm is not None
            and outcome.percentage - outcome.norm < margin
        ):
            found.append(
                SignalData(
                    f"near:{base}",
                    SignalKind.NEAR_NORM,
                    school,
                    outcome.indicator,
                    _figures(outcome, margin=_n(margin), **extra),
                )
            )
        values = [y.percentage(outcome.indicator) for y in outcome.years]
        if (
            all(v is not None for v in values)
            and not any(y.masked for y in outcome.years)
            and values[0] > values[1] > values[2]
        ):
            found.append(
                SignalData(
                    f"falling:{base}",
                    SignalKind.FALLING,
                    school,
                    outcome.indicator,
                    _figures(outcome),
                )
            )
    # The coming window: as soon as the school has entered a year after the official period,
    # computed as the school's results page computes it.
    if newest > last_year:
        use, provisional = norms_for_period(newest, norms_by_period)
        schoolweging, estimated = coming_schoolweging(data, newest)
        period_norms = dict(norms_by_period)
        if use is not None:
            period_norms[newest] = use
        coming = with_schoolweging(data, newest, schoolweging)
        for outcome in outcomes_for(coming, newest, period_norms):
            if outcome.outcome == po_model.BELOW:
                found.append(
                    SignalData(
                        f"coming:{data.code}:{outcome.indicator}:{newest}",
                        SignalKind.COMING_BELOW,
                        school,
                        outcome.indicator,
                        _figures(
                            outcome,
                            provisional_norms=provisional,
                            estimated_schoolweging=estimated,
                        ),
                    )
                )
    # A schoolweging band change that moves the 1S/2F norm up for the next period.
    if latest_norms is not None:
        now = data.applied_schoolweging(last_year)
        following = [data.schoolweging.get((y, y)) for y in range(last_year - 2, last_year + 1)]
        if now is not None and following[-1] is not None:
            nxt = po_model.schoolweging_applied(following)
            band_now = latest_norms.target_norm(now)
            band_next = latest_norms.target_norm(nxt)
            if (
                band_now
                and band_next
                and band_now[0] != band_next[0]
                and band_next[1] > band_now[1]
            ):
                found.append(
                    SignalData(
                        f"band:{data.code}:{last_year + 1}",
                        SignalKind.BAND_CHANGE,
                        school,
                        "1S/2F",
                        {
                            "ovt": data.code,
                            "schoolweging": _n(now),
                            "schoolweging_next": _n(nxt),
                            "band": band_now[0],
                            "band_next": band_next[0],
                            "norm": _n(band_now[1]),
                            "norm_next": _n(band_next[1]),
                            "period": f"{last_year - 1}-{last_year + 1}",
                        },
                    )
                )
    return found


def _own_signals(board: Board) -> list[SignalData]:
    found = []
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(board=board, active=True)
        .exclude(unit="")
        .filter(Q(norm__isnull=False) | Q(target__isnull=False))
    }
    latest: dict[tuple[int, int | None], Measurement] = {}
    for m in Measurement.objects.filter(board=board, indicator_id__in=indicators).order_by(
        "measured_on"
    ):
        latest[(m.indicator_id, m.school_id)] = m
    for (indicator_id, school_id), m in latest.items():
        indicator = indicators[indicator_id]
        worse = (
            (lambda a, b: a < b)
            if indicator.direction == Direction.HIGHER
            else (lambda a, b: a > b)
        )
        for limit, name in ((indicator.norm, "norm"), (indicator.target, "target")):
            if limit is not None and worse(m.value, limit):
                found.append(
                    SignalData(
                        f"own:{indicator.code}:{school_id or 'board'}",
                        SignalKind.OWN_BELOW,
                        school_id,
                        indicator.code,
                        {
                            "indicator_id": indicator.pk,
                            "title": indicator.title,
                            "value": _n(m.value),
                            "unit": indicator.unit,
                            "limit": _n(limit),
                            "limit_kind": name,
                            "direction": indicator.direction,
                            "measured_on": m.measured_on.isoformat(),
                            "source": m.source,
                        },
                    )
                )
                break
    return found


def _missing_signals(board: Board, data: list[OvtData]) -> list[SignalData]:
    """Linked primary schools without the newest year's results that the board's other linked
    schools have. A school whose OVT the board has not linked yet is not "missing" its data:
    the data page asks for the link instead (right after a national import, that is every
    school)."""
    linked = [d for d in data if d.school_id]
    latest = max((max(d.years) for d in linked if d.years), default=None)
    if latest is None:
        return []
    have = {d.school_id for d in linked if latest in d.years}
    lacking = {d.school_id for d in linked} - have
    found = []
    for school_id, name in (
        School.objects.filter(board=board, kind=SchoolKind.BO, pk__in=lacking)
        .order_by("pk")
        .values_list("pk", "name")
    ):
        found.append(
            SignalData(
                f"missing:po:{school_id}:{latest}",
                SignalKind.MISSING_DATA,
                school_id,
                "PO",
                {"year": latest, "school": name},
            )
        )
    return found


def _vo_signals(board: Board, margin: Decimal) -> list[SignalData]:
    """Secondary schools, from the values the board entered (the newest period of each school):
    an indicator below the school's norm, a percentage indicator within the margin above it,
    and a computed judgement that is insufficient. The margin is in percentage points, so it
    applies to onderbouwsnelheid and bovenbouwsucces only, not to a mean score or a grade."""
    found: list[SignalData] = []
    periods = latest_periods(School.objects.filter(board=board))
    for school_id, period in periods.items():
        base = {"sector": "vo", "period": period.label, "source": "isd"}
        for value in period.values:
            r = vo_model.R_NUMBER[value.indicator]
            name = f"VO {r} {value.indicator} {value.afdeling}".strip()
            figures = {
                **base,
                "code": value.indicator,
                "r": r,
                "afdeling": value.afdeling,
                "value": _n(value.value),
                "norm": _n(value.norm),
                "entered_on": value.updated_at.date().isoformat(),
            }
            key = f"vo:{school_id}:{value.indicator}:{value.afdeling or '-'}:{period.last_year}"
            qualification = vo_model.qualify(value.value, value.norm)
            if qualification == vo_model.BELOW:
                found.append(
                    SignalData(f"below:{key}", SignalKind.BELOW_NORM, school_id, name, figures)
                )
            elif (
                qualification == vo_model.ABOVE
                and vo_model.RANGES[value.indicator][1] == 100
                and value.value - value.norm < margin
            ):
                found.append(
                    SignalData(
                        f"near:{key}",
                        SignalKind.NEAR_NORM,
                        school_id,
                        name,
                        {**figures, "margin": _n(margin)},
                    )
                )
        for row in period.judgements:
            if row.judgement not in (vo_model.ONVOLDOENDE, vo_model.ONVOLDOENDE_TENZIJ):
                continue
            found.append(
                SignalData(
                    f"judgement:vo:{school_id}:{row.afdeling or '-'}:{period.last_year}",
                    SignalKind.BELOW_NORM,
                    school_id,
                    f"VO {row.afdeling}".strip(),
                    {
                        **base,
                        "judgement": row.judgement,
                        "afdeling": row.afdeling,
                        "below": [vo_model.R_NUMBER[c] for c in row.below],
                        "entered_on": period.updated_at.date().isoformat(),
                    },
                )
            )
    return found


def compute_signals(board: Board) -> list[SignalData]:
    norms = po_norms_by_period()
    margin = margin_for(board)
    data = ovt_data(board=board)
    found: list[SignalData] = []
    for item in data:
        found.extend(_po_signals(item, norms, margin))
    found.extend(_own_signals(board))
    found.extend(_vo_signals(board, margin))
    found.extend(_missing_signals(board, data))
    return found


@transaction.atomic
def signals_refresh(board: Board) -> list[Signal]:
    """Bring the stored signals in line with the data; return the ones that are new."""
    now = timezone.now()
    current = {s.key: s for s in compute_signals(board)}
    # Unordered: the default ordering joins the nullable school, which PostgreSQL cannot lock.
    stored = {s.key: s for s in Signal.objects.select_for_update().filter(board=board).order_by()}
    new, changed = [], []
    for key, data in current.items():
        signal = stored.get(key)
        if signal is None:
            new.append(
                Signal(
                    board=board,
                    school_id=data.school_id,
                    key=key,
                    kind=data.kind,
                    indicator=data.indicator,
                    severity=data.severity,
                    figures=data.figures,
                    first_seen=now,
                )
            )
        elif (
            signal.figures != data.figures
            or signal.resolved_at
            or signal.school_id != data.school_id
        ):
            signal.figures, signal.resolved_at, signal.school_id = (
                data.figures,
                None,
                data.school_id,
            )
            changed.append(signal)
    gone = [s for key, s in stored.items() if key not in current and s.resolved_at is None]
    for signal in gone:
        signal.resolved_at = now
    Signal.objects.bulk_create(new)
    Signal.objects.bulk_update(changed + gone, ["figures", "resolved_at", "school"])
    return new


def _localised(value):
    """Figures are stored as plain decimals ("43.50"); a sentence shows them as the reader
    writes numbers ("43,50" in Dutch)."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return number_format(Decimal(value), decimal_pos=len(value.partition(".")[2]) or None)
    return value


def signal_sentence(signal: Signal) -> str:
    """The signal in one sentence, with its figures and the rule behind it."""
    f = {key: _localised(value) for key, value in signal.figures.items()}
    kind = signal.kind
    if f.get("sector") == "vo":
        return _vo_sentence(signal, f)
    if kind == SignalKind.BELOW_NORM:
        return _(
            "%(indicator)s over %(period)s is %(percentage)s%%, below the signalling value of "
            "%(norm)s%% (%(pupils)s pupils over three years)."
        ) % {"indicator": signal.indicator, **f}
    if kind == SignalKind.NEAR_NORM:
        return _(
            "%(indicator)s over %(period)s is %(percentage)s%%, less than %(margin)s points above "
            "the signalling value of %(norm)s%%."
        ) % {"indicator": signal.indicator, **f}
    if kind == SignalKind.FALLING:
        values = " → ".join(f"{_localised(y['percentage'])}%" for y in f["years"])
        return _("%(indicator)s has fallen three years in a row: %(values)s.") % {
            "indicator": signal.indicator,
            "values": values,
        }
    if kind == SignalKind.COMING_BELOW:
        return _(
            "With this year's own results, %(indicator)s over %(period)s comes to "
            "%(percentage)s%%, below the signalling value of %(norm)s%%."
        ) % {"indicator": signal.indicator, **f}
    if kind == SignalKind.BAND_CHANGE:
        return (
            _(
                "The schoolweging moves from %(schoolweging)s to about %(schoolweging_next)s: the "
                "1S/2F signalling value rises from %(norm)s%% to %(norm_next)s%%."
            )
            % f
        )
    if kind == SignalKind.OWN_BELOW:
        if f["limit_kind"] == "norm":
            text = _(
                "%(title)s is %(value)s %(unit)s, worse than the board's norm of "
                "%(limit)s %(unit)s."
            )
        else:
            text = _("%(title)s is %(value)s %(unit)s, short of the target of %(limit)s %(unit)s.")
        return text % f
    if kind == SignalKind.MISSING_DATA:
        return _("No results for %(year)s yet, while the board's other schools have them.") % f
    return ""


def _vo_sentence(signal: Signal, f: dict) -> str:
    """A secondary school's signal: the indicator (or the judgement) with its figures, the rule
    and the source, the Internet Schooldossier as the board entered it on that date."""
    words = {**f, "afdeling": AFDELING_LABELS.get(f.get("afdeling", ""), f.get("afdeling", ""))}
    if "judgement" in f:
        return _(
            "The computed judgement for %(afdeling)s over %(period)s is “%(judgement)s”: "
            "%(below)s below the norm (two or more below is insufficient; only R1 and R2 below "
            "is insufficient unless accounted for). Source: Internet Schooldossier, entered "
            "%(entered_on)s."
        ) % {
            **words,
            "judgement": JUDGEMENT_LABELS.get(f["judgement"], f["judgement"]),
            "below": ", ".join(f["below"]),
        }
    indicator = f"{f['r']} {INDICATOR_LABELS.get(f['code'], f['code'])}"
    if f.get("afdeling"):
        indicator = f"{indicator} ({words['afdeling']})"
    if signal.kind == SignalKind.NEAR_NORM:
        return _(
            "%(indicator)s over %(period)s is %(value)s, less than %(margin)s points above the "
            "school's norm of %(norm)s. Source: Internet Schooldossier, entered %(entered_on)s."
        ) % {**words, "indicator": indicator}
    return _(
        "%(indicator)s over %(period)s is %(value)s, below the school's norm of %(norm)s. "
        "Source: Internet Schooldossier, entered %(entered_on)s."
    ) % {**words, "indicator": indicator}
