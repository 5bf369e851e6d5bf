"""Entering a secondary school's four indicators as the board reads them in its Internet
Schooldossier (ISD), where public data lack them.

One save holds one school's results period whole: the location's R1 and R2 and, per afdeling,
R3 and R4, each with the norm that applies to this school. Where the inspectorate's norm is
published (the norms library), it is used when the board gives none; onderbouwsnelheid can
instead be corrected from the shares of the school's pupils from poverty areas and lateral
entrants (`vo_model.corrected_norm`). Everything is checked before anything is written, the
period is replaced in one transaction, and the board's signals are brought up to date in it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.insight import vo_model
from stelsel.insight.models import VoValue
from stelsel.insight.signals import signals_refresh
from stelsel.insight.vo_results import published_norms
from stelsel.organisations.models import Board, School, SchoolKind

ISD = "isd"
FIRST_YEAR = 2015
HUNDRED = Decimal(100)


def slots() -> list[tuple[str, str]]:
    """Every (indicator, afdeling) a period can hold, in the order the form shows them."""
    return [(code, "") for code in vo_model.LOCATION_INDICATORS] + [
        (code, afdeling)
        for afdeling in vo_model.AFDELINGEN
        for code in vo_model.AFDELING_INDICATORS
    ]


def field_name(indicator: str, afdeling: str, part: str) -> str:
    """The form field of one part (value, norm, or a correction's share) of one slot; the
    service names its errors by it, so they land on the field."""
    return f"{indicator}__{afdeling or 'vestiging'}__{part}"


def latest_school_year(today: date | None = None) -> int:
    """The last school year that has ended (named by its end): results come after August."""
    today = today or timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


@dataclass(frozen=True)
class Entry:
    """What the board typed for one slot; `shares` are percentages (0 … 100) of pupils."""

    value: Decimal | None = None
    norm: Decimal | None = None
    shares: dict[str, Decimal | None] = field(default_factory=dict)


def _two_decimals(number: Decimal) -> bool:
    return number == number.quantize(vo_model.CENT)


def _check_number(errors, name: str, number, low, high) -> None:
    if number is None:
        return
    if not low <= number <= high:
        errors[name] = _("Expected a value between %(low)s and %(high)s.") % {
            "low": low,
            "high": high,
        }
    elif not _two_decimals(number):
        errors[name] = _("Give at most two decimals.")


def _validate_year(last_year: int) -> None:
    high = timezone.localdate().year + 1
    if not FIRST_YEAR <= last_year <= high:
        raise ValidationError(
            _("A results period ends between %(low)s and %(high)s.")
            % {"low": FIRST_YEAR, "high": high}
        )


def plan_values(
    *, board: Board, school: School, last_year: int, entries: dict[tuple[str, str], Entry], user
) -> list[VoValue]:
    """The rows a save writes, or ValidationError naming each field that is wrong."""
    if school.board_id != board.pk:
        raise ValidationError(_("This school belongs to another board."))
    if school.kind != SchoolKind.VO:
        raise ValidationError(_("Only a secondary school has these indicators."))
    _validate_year(last_year)
    known = set(slots())
    unknown = set(entries) - known
    if unknown:
        raise ValidationError(
            _("Unknown indicators: %(names)s")
            % {"names": ", ".join(f"{i} {a}".strip() for i, a in sorted(unknown))}
        )
    norms = published_norms(last_year)
    errors: dict[str, str] = {}
    rows: list[VoValue] = []
    now = timezone.now()
    for (indicator, afdeling), entry in entries.items():

        def name(part: str, indicator=indicator, afdeling=afdeling) -> str:
            return field_name(indicator, afdeling, part)

        published = norms.get((indicator, afdeling))
        low, high = vo_model.RANGES[indicator]
        _check_number(errors, name("value"), entry.value, low, high)
        _check_number(errors, name("norm"), entry.norm, low, high)
        shares = {k: v for k, v in entry.shares.items() if v is not None}
        for key, share in shares.items():
            if published is None or key not in published.corrections:
                errors[name(key)] = _("This norm has no correction for that.")
            else:
                _check_number(errors, name(key), share, Decimal(0), HUNDRED)
        if entry.value is None:
            untouched = entry.norm is None or (published and entry.norm == published.norm)
            if not untouched or shares:
                errors[name("value")] = _("Enter the value too, or leave this indicator empty.")
            continue
        if any(key.startswith(f"{indicator}__{afdeling or 'vestiging'}__") for key in errors):
            continue
        norm, fractions = entry.norm, {}
        if shares:
            fractions = {k: v / HUNDRED for k, v in shares.items()}
            computed = vo_model.corrected_norm(published.norm, published.corrections, fractions)
            if norm is None or norm == published.norm:
                norm = computed
            elif abs(norm - computed) > vo_model.CENT:
                errors[name("norm")] = _(
                    "The norm %(norm)s does not match the norm computed from the shares, "
                    "%(computed)s. Correct the norm or the shares, or leave one of them empty."
                ) % {"norm": entry.norm, "computed": computed}
                continue
        if norm is None:
            if published is None:
                errors[name("norm")] = _(
                    "Enter the norm the Internet Schooldossier shows for this school: Stelsel "
                    "has no published norm for it."
                )
                continue
            norm = published.norm
        rows.append(
            VoValue(
                board=board,
                school=school,
                last_year=last_year,
                indicator=indicator,
                afdeling=afdeling,
                value=entry.value,
                norm=norm,
                shares={k: str(v) for k, v in fractions.items()},
                source=ISD,
                entered_by=user,
                updated_at=now,
            )
        )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(
            _("Enter at least one indicator's value; to remove this period, delete it.")
        )
    return rows


@transaction.atomic
def vo_values_save(
    *, board: Board, school: School, last_year: int, entries: dict[tuple[str, str], Entry], user
) -> list[VoValue]:
    """Replace the school's values for the period ending in `last_year`; refresh the signals."""
    rows = plan_values(board=board, school=school, last_year=last_year, entries=entries, user=user)
    VoValue.objects.filter(school=school, last_year=last_year, source=ISD).delete()
    VoValue.objects.bulk_create(rows)
    signals_refresh(board)
    return rows


@transaction.atomic
def vo_values_delete(*, board: Board, school: School, last_year: int) -> int:
    """Remove what the board entered for the period; its signals close with it."""
    deleted, _details = VoValue.objects.filter(
        board=board, school=school, last_year=last_year, source=ISD
    ).delete()
    if deleted:
        signals_refresh(board)
    return deleted
