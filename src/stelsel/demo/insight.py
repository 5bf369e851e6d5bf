"""The demo's data and early warning: three years of results that tell a story, own indicators,
and the signals they give.

The story, in the results 2023-2025 of the demo board's primary schools (the SBO has no
signalling values and is not in the inspectorate's file):

- KBS Sint Jozef, judged insufficient in March 2026, is below the 1S/2F signalling value; its own
  2026 results are better, but the coming window is still below;
- OBS De Regenboog is just above the 1S/2F value and has fallen three years in a row; with its
  own 2026 results the coming window drops below;
- CBS De Wegwijzer is recovering: below the value in 2023, rising since, now clearly above;
- the others are comfortably above, with the variation of small numbers; OBS Het Palet's
  schoolweging falls into a band with a higher 1S/2F value for the next period; OBS De Vlinderhof
  has not entered its 2026 results, which every other school did;
- own indicators with three years of measurements; Sint Jozef's staff sickness absence is above
  the board's norm. De Eik, the single-school board, has its results too.

The inspectorate's figures come in as a board would bring them: the inspectorate's files (here
written for the demo in the published layout) imported for the board, with the computed columns,
so the import compares them with Stelsel's own computation; there must be no difference. The
board then confirms the links between the inspectorate's schools and its own. Dates follow the
story: the schoolweging files in October 2024 and 2025, the results in November 2025, the
schools' own 2026 results in June 2026.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stelsel.demo.board import BOARD_NUMBER, SINGLE_SCHOOL_BOARD_NUMBER
from stelsel.demo.story import created
from stelsel.insight.imports import import_results, import_schoolweging
from stelsel.insight.library import norms_ensure_loaded, po_norms_by_period
from stelsel.insight.models import (
    DataImport,
    Measurement,
    Ovt,
    PoResult,
    ResultSource,
    Signal,
    SignalKind,
)
from stelsel.insight.po_model import Year, reached, round2, school_results
from stelsel.insight.signals import signals_refresh
from stelsel.lib.ods import ods_bytes
from stelsel.organisations.models import Board
from stelsel.picture.models import Direction, Indicator

LAST_YEAR = 2025  # the results period 2023-2025, the inspectorate's latest
OWN_YEAR = 2026  # this year's doorstroomtoets, entered by the schools themselves

# The CBS schoolweging per school year (by the year it ends in): 2022-2024 make the value applied
# to 2023-2025; 2023-2025 the one for the coming period.
SCHOOLWEGING = {
    "99XA": (Decimal("30.20"), Decimal("30.60"), Decimal("30.90"), Decimal("31.20")),
    "99XB": (Decimal("28.10"), Decimal("27.60"), Decimal("28.30"), Decimal("28.40")),
    "99XD": (Decimal("31.80"), Decimal("32.40"), Decimal("32.10"), Decimal("32.30")),
    "99XE": (Decimal("30.40"), Decimal("29.90"), Decimal("30.10"), Decimal("28.60")),
    "99XF": (Decimal("27.20"), Decimal("27.50"), Decimal("27.00"), Decimal("27.40")),
    "99XG": (Decimal("29.00"), Decimal("29.40"), Decimal("29.90"), Decimal("29.60")),
    "99XH": (Decimal("26.50"), Decimal("26.20"), Decimal("26.90"), Decimal("26.60")),
    "99XJ": (Decimal("25.80"), Decimal("25.40"), Decimal("26.00"), Decimal("25.70")),
}
SCHOOLWEGING_YEARS = (2022, 2023, 2024, 2025)
SIZE = {  # the pupils and the spread the CBS reports beside the schoolweging
    "99XA": (312, Decimal("6.41")),
    "99XB": (388, Decimal("5.87")),
    "99XD": (244, Decimal("6.95")),
    "99XE": (257, Decimal("6.12")),
    "99XF": (201, Decimal("5.64")),
    "99XG": (129, Decimal("6.30")),
    "99XH": (446, Decimal("5.51")),
    "99XJ": (118, Decimal("5.92")),
}

# Per school (BRIN) and year: pupils, %1F, %1S/2F as near as whole reference levels allow (the
# stored percentage is the one the levels give, as in the inspectorate's file).
RESULTS = {
    "99XA": {2023: (38, "95.6", "50.0"), 2024: (42, "96.0", "47.6"), 2025: (36, "94.4", "43.5")},
    "99XB": {2023: (45, "97.0", "62.2"), 2024: (52, "96.2", "64.7"), 2025: (48, "97.9", "61.8")},
    "99XD": {2023: (28, "91.7", "40.5"), 2024: (31, "89.2", "35.5"), 2025: (26, "92.3", "37.2")},
    "99XE": {2023: (33, "96.0", "57.6"), 2024: (29, "97.7", "55.2"), 2025: (35, "95.2", "58.1")},
    "99XF": {2023: (24, "93.1", "45.8"), 2024: (27, "95.1", "54.3"), 2025: (25, "97.3", "62.7")},
    "99XG": {2023: (17, "94.1", "56.9"), 2024: (15, "97.8", "60.0"), 2025: (19, "94.7", "54.4")},
    "99XH": {2023: (55, "97.6", "66.1"), 2024: (58, "98.3", "68.4"), 2025: (60, "97.2", "65.6")},
    "99XJ": {2023: (16, "97.9", "66.7"), 2024: (15, "100", "71.1"), 2025: (18, "98.1", "68.5")},
}
# This year's own results, entered by the school (De Vlinderhof has not delivered them yet).
OWN_RESULTS = {
    "99XA": (40, "93.3", "41.7"),
    "99XB": (50, "96.7", "63.3"),
    "99XD": (30, "93.3", "43.3"),
    "99XE": (31, "96.8", "56.0"),
    "99XF": (26, "97.4", "61.5"),
    "99XH": (57, "98.2", "67.8"),
}
OWN_ENTERED_BY = {  # the school leaders with a login; the others' by the quality officer
    "99XA": "directeur.regenboog@demo.stelsel.nl",
    "99XD": "directeur.sintjozef@demo.stelsel.nl",
}
BOARDS = {BOARD_NUMBER: ["99XA", "99XB", "99XD", "99XE", "99XF", "99XG", "99XH"]}
BOARDS[SINGLE_SCHOOL_BOARD_NUMBER] = ["99XJ"]

SCHOOLWEGING_FILES = {  # the school years a file holds -> the day the board imported it
    (2022, 2023, 2024): datetime.date(2024, 10, 15),
    (2023, 2024, 2025): datetime.date(2025, 10, 14),
}
RESULTS_IMPORTED = datetime.date(2025, 11, 4)
OWN_ENTERED = datetime.date(2026, 6, 19)


class OwnIndicator(NamedTuple):
    code: str
    perspective: str
    level: str
    title: str
    unit: str
    direction: str
    norm: str | None
    target: str | None
    source: str


OWN_INDICATORS = [
    OwnIndicator(
        "ZV1",
        "ambitions",
        "both",
        "Ziekteverzuim personeel",
        "%",
        Direction.LOWER,
        "5.5",
        "4.5",
        "Personeelsadministratie, verzuimpercentage over het schooljaar",
    ),
    OwnIndicator(
        "TO1",
        "expectations",
        "school",
        "Tevredenheid ouders",
        "cijfer",
        Direction.HIGHER,
        "7.0",
        "7.5",
        "Oudertevredenheidspeiling, gemiddeld rapportcijfer",
    ),
    OwnIndicator(
        "LL1",
        "requirements",
        "both",
        "Leerlingen op 1 oktober",
        "leerlingen",
        Direction.HIGHER,
        None,
        None,
        "Leerlingadministratie, teldatum 1 oktober",
    ),
    OwnIndicator(
        "SV1",
        "requirements",
        "school",
        "Sociale veiligheid leerlingen",
        "%",
        Direction.HIGHER,
        "85",
        "90",
        "Monitor sociale veiligheid, leerlingen groep 6-8 die zich veilig voelen",
    ),
]
MEASURED_ON = {
    "ZV1": (datetime.date(2024, 7, 31), datetime.date(2025, 7, 31), datetime.date(2026, 7, 31)),
    "TO1": (datetime.date(2024, 3, 15), datetime.date(2025, 3, 14), datetime.date(2026, 3, 13)),
    "LL1": (datetime.date(2024, 10, 1), datetime.date(2025, 10, 1), datetime.date(2026, 10, 1)),
    "SV1": (datetime.date(2024, 5, 17), datetime.date(2025, 5, 16), datetime.date(2026, 5, 15)),
}
# Per school (vestigingscode; None = the board as a whole): three values per indicator, oldest
# first. Sint Jozef's sickness absence rises above the norm of 5.5%.
MEASUREMENTS = {
    "ZV1": {
        "99XA00": ("4.1", "3.8", "4.2"),
        "99XB00": ("3.6", "4.0", "3.4"),
        "99XC00": ("5.0", "4.6", "4.3"),
        "99XD00": ("6.1", "6.8", "7.4"),
        "99XE00": ("3.9", "3.1", "3.5"),
        "99XF00": ("4.8", "4.4", "4.0"),
        "99XG00": ("2.7", "3.9", "3.2"),
        "99XH00": ("4.2", "4.5", "4.1"),
        None: ("4.5", "4.4", "4.3"),
    },
    "TO1": {
        "99XA00": ("7.8", "7.6", "7.6"),
        "99XB00": ("8.0", "8.1", "7.9"),
        "99XC00": ("8.3", "8.4", "8.2"),
        "99XD00": ("7.1", "7.4", "7.6"),
        "99XE00": ("7.7", "7.9", "8.0"),
        "99XF00": ("7.4", "7.6", "7.8"),
        "99XG00": ("8.2", "8.0", "8.1"),
        "99XH00": ("7.9", "7.8", "8.0"),
    },
    "LL1": {
        "99XA00": ("318", "309", "301"),
        "99XB00": ("384", "396", "402"),
        "99XC00": ("112", "118", "121"),
        "99XD00": ("241", "236", "229"),
        "99XE00": ("255", "262", "258"),
        "99XF00": ("198", "204", "211"),
        "99XG00": ("131", "127", "133"),
        "99XH00": ("441", "452", "463"),
        None: ("2080", "2104", "2118"),
    },
    "SV1": {
        "99XA00": ("92", "90", "91"),
        "99XB00": ("95", "94", "96"),
        "99XC00": ("90", "91", "93"),
        "99XD00": ("88", "90", "92"),
        "99XE00": ("93", "95", "94"),
        "99XF00": ("91", "93", "92"),
        "99XG00": ("97", "96", "96"),
        "99XH00": ("94", "93", "95"),
    },
}

# When each signal first showed in the story: with the import or the entry that brought it.
FIRST_SEEN = {
    SignalKind.BELOW_NORM: RESULTS_IMPORTED,
    SignalKind.NEAR_NORM: RESULTS_IMPORTED,
    SignalKind.FALLING: RESULTS_IMPORTED,
    SignalKind.BAND_CHANGE: RESULTS_IMPORTED,
    SignalKind.COMING_BELOW: OWN_ENTERED,
    SignalKind.MISSING_DATA: OWN_ENTERED,
    SignalKind.OWN_BELOW: MEASURED_ON["ZV1"][-1] + datetime.timedelta(days=14),
}

OUTCOME_TEXT = {
    "above": "Boven de signaleringswaarde",
    "below": "Onder de signaleringswaarde",
    "small_school": "Kleine school - Beoordeling over 5 jaar",
    "insufficient_data": "Te weinig gegevens",
}


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


def _at(day: datetime.date, hour: int = 10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def year_of(year: int, pupils: int, fundamental: str, target: str) -> Year:
    """A year as the inspectorate's file holds it: the percentage of whole reference levels."""

    def levels(percentage: str) -> Decimal:
        return round2(Decimal(reached(Decimal(percentage), pupils) * 100) / (3 * pupils))

    return Year(year, pupils, levels(fundamental), levels(target))


def results_years(brin: str) -> list[Year]:
    return [year_of(year, *values) for year, values in sorted(RESULTS[brin].items())]


def applied_schoolweging(brin: str, last_year: int = LAST_YEAR) -> Decimal:
    """The 3-year schoolweging of the period ending in `last_year`, as the inspectorate's file
    gives it (the clipped mean of the three school years before its last)."""
    values = dict(zip(SCHOOLWEGING_YEARS, SCHOOLWEGING[brin], strict=True))
    known = [values[y] for y in range(last_year - 3, last_year)]
    return min(Decimal(40), max(Decimal(20), round2(sum(known) / len(known))))


def _text(value: Decimal) -> str:
    """A percentage as the inspectorate writes it: 94,44; 88,1; 100."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _code(value: int) -> str:
    """The inspectorate's year label: 2223 for the school year 2022-2023."""
    return f"{(value - 1) % 100:02d}{value % 100:02d}"


def schoolweging_file(board: Board, brins: list[str], years: tuple[int, int, int]) -> bytes:
    """The inspectorate's schoolweging file for these school years, for this board's schools."""
    names = {s.instellingscode: s.name for s in board.schools.all()}
    values = {b: dict(zip(SCHOOLWEGING_YEARS, SCHOOLWEGING[b], strict=True)) for b in brins}
    labels = [f"{y - 1}-{y}" for y in years]
    three_year = [["OVT", "Naam", "BGNR", "schoolweging " + ", ".join(labels)]]
    three_year += [
        [f"{b}|C1", names[b], int(board.number), applied_schoolweging(b, years[-1] + 1)]
        for b in brins
    ]
    sheets = [("Driejaarsgemiddelde", three_year)]
    for year, label in reversed(list(zip(years, labels, strict=True))):
        rows = [["OVT", "Naam", "BGNR", "schoolweging", "aantal_leerlingen", "spreiding"]]
        rows += [[f"{b}|C1", names[b], int(board.number), values[b][year], *SIZE[b]] for b in brins]
        sheets.append((label, rows))
    return ods_bytes(sheets)


def results_file(brins: list[str]) -> bytes:
    """The inspectorate's "Leerresultaten primair onderwijs 2023-2024-2025" for these schools,
    with the computed columns as the inspectorate fills them."""
    norms = po_norms_by_period()[LAST_YEAR]
    years = range(LAST_YEAR - 2, LAST_YEAR + 1)
    header = ["ovt"]
    for year in years:
        header += [
            f"Gemiddelde %1F {_code(year)}",
            f"Gemiddelde %1S/2F {_code(year)}",
            f"Aantal leerlingen {_code(year)}",
        ]
    header += [
        "Schoolweging",
        "Schoolwegingscategorie",
        "Signaleringswaarde 1F",
        "Signaleringswaarde 1S/2F",
        "Gewogen driejaarsgemiddelde %1F",
        "Gewogen driejaarsgemiddelde %1S/2F",
        "Totaal aantal leerlingen 3 jaar",
        "Uitkomst indicator 1F",
        "Uitkomst indicator 1S/2F",
    ]
    rows = [header]
    for brin in brins:
        found = results_years(brin)
        weging = applied_schoolweging(brin)
        fundamental, target = school_results(found, weging, norms)
        row = [f"{brin}|C1"]
        for year in found:
            row += [_text(year.fundamental), _text(year.target), str(year.pupils)]
        row += [
            weging,
            target.band,
            fundamental.norm,
            target.norm,
            _text(fundamental.percentage),
            _text(target.percentage),
            str(fundamental.pupils),
            OUTCOME_TEXT[fundamental.outcome],
            OUTCOME_TEXT[target.outcome],
        ]
        rows.append(row)
    return ods_bytes([("Data", rows)])


def _imported(report, board: Board, day: datetime.date) -> None:
    """The import as the story dates it; a difference means the demo's figures are wrong."""
    if report.differences:
        raise ValueError(
            "the demo's inspectorate figures differ from Stelsel's computation: "
            + "; ".join(map(str, report.differences))
        )
    latest = DataImport.objects.filter(board=board, kind=report.kind).order_by("-pk").first()
    DataImport.objects.filter(pk=latest.pk).update(imported_at=_at(day))


def _inspectorate(board: Board, brins: list[str], user) -> None:
    for years, day in SCHOOLWEGING_FILES.items():
        name = "schoolweging-" + "-".join(str(y) for y in (years[0] - 1, *years)) + ".ods"
        report = import_schoolweging(
            schoolweging_file(board, brins, years), name, board_number=board.number, user=user
        )
        _imported(report, board, day)
    report = import_results(
        results_file(brins),
        f"leerresultaten-po-{LAST_YEAR - 2}-{LAST_YEAR - 1}-{LAST_YEAR}.ods",
        board_number=board.number,
        user=user,
    )
    _imported(report, board, RESULTS_IMPORTED)
    schools = {s.instellingscode: s for s in board.schools.all()}
    for ovt in Ovt.objects.filter(code__in=[f"{b}|C1" for b in brins]):
        ovt.school, ovt.board = schools[ovt.brin], board
        ovt.linked_by, ovt.linked_at = user, _at(SCHOOLWEGING_FILES[(2022, 2023, 2024)])
        ovt.save(update_fields=["school", "board", "linked_by", "linked_at"])
    PoResult.objects.filter(ovt__board=board, source=ResultSource.INSPECTORATE).update(
        updated_at=_at(RESULTS_IMPORTED)
    )


def _own_results(brins: list[str], user) -> None:
    ovts = {o.brin: o for o in Ovt.objects.filter(code__in=[f"{b}|C1" for b in brins])}
    for brin in brins:
        if brin not in OWN_RESULTS:
            continue
        year = year_of(OWN_YEAR, *OWN_RESULTS[brin])
        PoResult.objects.create(
            ovt=ovts[brin],
            year=OWN_YEAR,
            source=ResultSource.SCHOOL,
            pupils=year.pupils,
            fundamental=year.fundamental,
            target=year.target,
            entered_by=_user(OWN_ENTERED_BY[brin]) if brin in OWN_ENTERED_BY else user,
            updated_at=_at(OWN_ENTERED),
        )


def _own_indicators(board: Board, user) -> None:
    schools = {s.vestigingscode: s for s in board.schools.all()}
    measurements = []
    for position, own in enumerate(OWN_INDICATORS, start=11):
        indicator = Indicator.objects.create(
            board=board,
            perspective=own.perspective,
            level=own.level,
            code=own.code,
            title=own.title,
            unit=own.unit,
            direction=own.direction,
            norm=Decimal(own.norm) if own.norm else None,
            target=Decimal(own.target) if own.target else None,
            position=position,
        )
        # Set up just before its first measurements were entered.
        created(indicator, _at(MEASURED_ON[own.code][0], 9))
        for school_code, values in MEASUREMENTS[own.code].items():
            for day, value in zip(MEASURED_ON[own.code], values, strict=True):
                measurements.append(
                    Measurement(
                        board=board,
                        indicator=indicator,
                        school=schools[school_code] if school_code else None,
                        measured_on=day,
                        value=Decimal(value),
                        source=own.source,
                        entered_by=user,
                        updated_at=_at(day + datetime.timedelta(days=14)),
                    )
                )
    Measurement.objects.bulk_create(measurements)


@transaction.atomic
def demo_insight_create() -> None:
    """Results, schoolweging, own indicators and signals for the demo boards; skipped for a
    board that has its inspectorate's schools already."""
    norms_ensure_loaded()
    quality = _user("kwaliteit@demo.stelsel.nl")
    for number, brins in BOARDS.items():
        board = Board.objects.filter(number=number).first()
        if board is None or Ovt.objects.filter(board=board).exists():
            continue
        user = quality if number == BOARD_NUMBER else _user("directeur@de-eik.demo.stelsel.nl")
        _inspectorate(board, brins, user)
        _own_results(brins, user)
        if number == BOARD_NUMBER:
            _own_indicators(board, quality)
        signals_refresh(board)
        for kind, day in FIRST_SEEN.items():
            Signal.objects.filter(board=board, kind=kind).update(first_seen=_at(day))
