"""Synthetic national files of the inspectorate, for the benchmarks (and a quick test).

The benchmarks must run on a fresh machine from the repository alone, and the real national
files are not part of it. This module writes files of the national size with the inspectorate's
layout and cell formats (seeded, so the same bytes every time):

- "Leerresultaten primair onderwijs 2023-2024-2025": the sheets Toelichting, Bestandsbeschrijving
  and Data, 6,205 OVT rows of the 19 published columns. As in the real file, the yearly
  percentages and pupils and the 3-year values are text with a decimal comma, the schoolweging
  and the signalling values are numbers; years with fewer than 5 pupils are masked (`*`) in all
  three years, new schools have empty years, a few schools have no schoolweging;
- the schoolweging file "Schoolweging 2021/2022 - 2022/2023 - 2023/2024": Toelichting,
  Driejaarsgemiddelde (6,338 OVTs) and one sheet per school year (6,410 OVTs each).

The published columns are computed with Stelsel's own model (`po_model`) and the norms of the
library, and the results' schoolweging is the 3-year sheet's value, so importing both files must
report no difference: anything else is a fault in the import, not in the data.

    python bench/national_files.py DIRECTORY [--schools N] [--seed S]
"""

import argparse
import math
import os
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RESULTS_ROWS = 6205  # OVTs in the national results file 2023-2025
SCHOOLWEGING_ROWS = 6410  # OVTs in each yearly sheet of the schoolweging file
THREE_YEAR_ROWS = 6338  # OVTs in its Driejaarsgemiddelde sheet
BOARDS = 779  # boards (BGNR) in the schoolweging file
LAST_YEAR = 2025
MASKED_BELOW = 5  # a year with fewer pupils is shown as * (the library's masked_below)

OUTCOME_TEXT = {
    "above": "Boven de signaleringswaarde",
    "below": "Onder de signaleringswaarde",
    "small_school": "Kleine school - Beoordeling over 5 jaar",
    "insufficient_data": "Te weinig gegevens",
}
PREFIXES = [
    "Basisschool",
    "OBS",
    "CBS",
    "RKBS",
    "IKC",
    "Kindcentrum",
    "Daltonschool",
    "Montessorischool",
    "Jenaplanschool",
    "o.b.s.",
    "c.b.s.",
    "PCBS",
]
NAMES = [
    "De Regenboog",
    "De Linde",
    "Het Kompas",
    "De Wegwijzer",
    "De Fontein",
    "Het Palet",
    "De Vlinder",
    "De Horizon",
    "De Springplank",
    "Sint Jozef",
    "De Klimop",
    "De Zonnewijzer",
    "Het Mozaïek",
    "De Bolster",
    "Prins Willem-Alexander",
    "De Wilgen",
    "'t Kofschip",
    "De Ark",
    "Oranje Nassau",
    "De Eiche",
    "Het Startpunt",
    "De Toermalijn",
    "Overvecht & Zuilen",
    "De Meander",
]


@dataclass
class FileOvt:
    code: str
    name: str
    board: str  # BGNR, "" for a school the schoolweging file does not know
    yearly: dict[int, Decimal | None] = field(default_factory=dict)
    pupils: dict[int, int | None] = field(default_factory=dict)  # whole school, per year
    spread: dict[int, Decimal | None] = field(default_factory=dict)
    three_year: bool = True  # in the Driejaarsgemiddelde sheet
    applied: Decimal | None = None


@dataclass
class NationalFiles:
    results: bytes
    schoolweging: bytes
    results_rows: int
    schoolweging_rows: int
    three_year_rows: int
    schoolweging_ovts: dict[str, str]  # OVT -> BGNR of every OVT in the schoolweging file
    board_numbers: list[str]
    counts: dict[str, int]


def setup_settings() -> None:
    """Enough of Django to read the norms library (no database)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stelsel.settings")
    import django

    django.setup()


def library_norms(last_year: int = LAST_YEAR):
    """The library's primary norms for the period ending in `last_year`, read from its file."""
    from stelsel.insight.library import library_files, parse_norms_file
    from stelsel.insight.po_model import Norms

    for path in library_files():
        spec = parse_norms_file(path)
        if spec.sector == "po" and spec.last_year == last_year:
            return Norms(
                fundamental=spec.fundamental_norm,
                bands=tuple((b.lower, b.upper, b.target_norm) for b in spec.bands),
                small_school_pupils=spec.small_school_pupils,
            )
    raise LookupError(f"the norms library has no primary norms for {last_year}")


def percent_text(value: Decimal) -> str:
    """As the inspectorate writes a percentage: two decimals at most, decimal comma."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _scaled(count: int, national: int, of: int, *, least: int = 1) -> int:
    return max(least, round(count * national / of))


def _brins(rng: random.Random, count: int) -> list[str]:
    """Unique BRINs: two digits and two letters, as the real ones (00AP, 32AU)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    picked = rng.sample(range(100 * 26 * 26), count)
    return [f"{n // 676:02d}{letters[(n // 26) % 26]}{letters[n % 26]}" for n in picked]


def _codes(rng: random.Random, brins: list[str], extra: list[int]) -> list[tuple[str, int]]:
    """Every BRIN as C1; some also as C2, fewer as C3, and so on (nested, as in the file)."""
    out = [(brin, 1) for brin in brins]
    holders = sorted(brins)
    for number, count in enumerate(extra, start=2):
        holders = sorted(rng.sample(holders, count))
        out.extend((brin, number) for brin in holders)
    return sorted(out)


def _pupils(rng: random.Random, kind: str) -> list[int | None]:
    """Pupils per year of the period (None: no results that year) for a kind of row."""
    if kind == "tiny":  # one year of fewer than 5 pupils: even the 3-year values are masked
        return [None, None, rng.randint(1, 4)]
    size = (
        rng.uniform(3.0, 8.0)
        if kind == "masked"
        else _clip(math.exp(rng.gauss(math.log(26), 0.5)), 6.0, 130.0)
    )
    pupils: list[int | None] = [
        max(1 if kind == "masked" else 5, round(size * _clip(rng.gauss(1, 0.12), 0.6, 1.4)))
        for _year in range(3)
    ]
    if kind == "masked" and all(n >= MASKED_BELOW for n in pupils):
        pupils[1] = rng.randint(1, MASKED_BELOW - 1)
    if kind == "new":  # results in the last year only
        pupils[0] = pupils[1] = None
    elif kind == "started":  # no results in the first year
        pupils[0] = None
    return pupils


def _levels(rng: random.Random, pupils: int, quality: tuple[float, float]) -> tuple[int, int]:
    """Reference levels reached (of 3 × pupils) at 1F and at 1S/2F, around the school's
    shares; a level at 1S/2F is also one at 1F."""
    p1, p2 = quality
    levels = 3 * pupils
    share2 = _clip(p2 + rng.gauss(0, 0.05), 0.0, 1.0)
    spread2 = math.sqrt(levels * share2 * (1 - share2))
    reached2 = round(_clip(rng.gauss(levels * share2, spread2), 0, levels))
    rest = levels - reached2
    extra = (p1 - p2) / (1 - p2) if p2 < 1 else 1.0
    spread1 = math.sqrt(max(rest * extra * (1 - extra), 0))
    return reached2 + round(_clip(rng.gauss(rest * extra, spread1), 0, rest)), reached2


def generate(
    *,
    results: int = RESULTS_ROWS,
    schoolweging: int = SCHOOLWEGING_ROWS,
    seed: int = 2025,
    last_year: int = LAST_YEAR,
    norms=None,
) -> NationalFiles:
    """The two files, with `results` OVT rows and `schoolweging` OVTs per yearly sheet."""
    from stelsel.insight.po_model import Year, round2, school_results, schoolweging_applied
    from stelsel.lib.ods import ods_bytes

    norms = norms or library_norms(last_year)
    rng = random.Random(seed)
    three_year = round(schoolweging * THREE_YEAR_ROWS / SCHOOLWEGING_ROWS)
    new_ovts = _scaled(10, results, RESULTS_ROWS)
    if results < 20:
        raise ValueError("at least 20 results rows: every kind of row must have room")
    if results - new_ovts > three_year:
        raise ValueError("more results rows than schools with a 3-year schoolweging")
    weging_years = list(range(last_year - 3, last_year))  # by end year: 2022, 2023, 2024
    # C2 … C5 in the proportions of the real file (297, 71, 11 and 5 of 6,410), nested.
    extra: list[int] = []
    for share in (297, 71, 11, 5):
        extra.append(
            min(extra[-1] if extra else schoolweging, max(1, round(schoolweging * share / 6410)))
        )
    brins = _brins(rng, schoolweging - sum(extra) + new_ovts)
    fresh = sorted(brins[:new_ovts])  # new schools: in the results, not yet in the schoolweging
    codes = _codes(rng, brins[new_ovts:], extra)
    board_count = _scaled(BOARDS, schoolweging, SCHOOLWEGING_ROWS)
    board_numbers = [f"{n:05d}" for n in sorted(rng.sample(range(20000, 45000), board_count))]
    # Boards differ in size as they do: a third run one school, most a handful, a few sixty.
    weights = [
        1.0 if rng.random() < 0.35 else _clip(math.exp(rng.gauss(math.log(8), 0.9)), 2, 90)
        for _board in board_numbers
    ]
    # Every board holds at least one school; the others go to boards by their weight.
    registered = brins[new_ovts:]
    brin_board = dict(zip(registered, board_numbers, strict=False))
    for brin in registered[len(board_numbers) :]:
        brin_board[brin] = rng.choices(board_numbers, weights=weights)[0]

    ovts: list[FileOvt] = []
    unknown = set(rng.sample(range(len(codes)), _scaled(24, schoolweging, SCHOOLWEGING_ROWS)))
    yearly_only = set(
        rng.sample(sorted(set(range(len(codes))) - unknown), schoolweging - three_year)
    )
    for index, (brin, number) in enumerate(codes):
        base = _clip(rng.gauss(29.7, 3.6), 18.5, 43.0)
        size = _clip(math.exp(rng.gauss(math.log(200), 0.5)), 20, 1200)
        ovt = FileOvt(
            code=f"{brin}|C{number}",
            name=f"{rng.choice(PREFIXES)} {rng.choice(NAMES)}",
            board=brin_board[brin],
            three_year=index not in yearly_only,
        )
        for year in weging_years:
            if index in unknown or rng.random() < 0.015:
                ovt.yearly[year], ovt.pupils[year], ovt.spread[year] = None, 0, None
                continue
            ovt.yearly[year] = Decimal(f"{base + rng.gauss(0, 0.55):.2f}")
            ovt.pupils[year] = max(1, round(size * _clip(rng.gauss(1, 0.06), 0.7, 1.3)))
            ovt.spread[year] = Decimal(f"{_clip(rng.gauss(6.3, 1.1), 2, 15):.2f}")
        ovt.applied = schoolweging_applied([ovt.yearly[y] for y in weging_years])
        ovts.append(ovt)

    # The results: schools of the 3-year sheet (all without a schoolweging among them), and a
    # few new schools the schoolweging file does not know yet.
    candidates = [o for o in ovts if o.three_year]
    without = [o for o in candidates if o.applied is None]
    others = [o for o in candidates if o.applied is not None]
    chosen = without + rng.sample(others, results - new_ovts - len(without))
    chosen += [
        FileOvt(code=f"{brin}|C1", name="", board="", applied=None) for brin in sorted(fresh)
    ]
    chosen.sort(key=lambda o: o.code)
    # Kinds of rows as the real file has them, in about its proportions: masked (a year with
    # fewer than 5 pupils), a first year without results, two (new schools), a single year
    # of fewer than 5 pupils (the 3-year values masked too).
    counts = {
        kind: _scaled(number, results, RESULTS_ROWS)
        for kind, number in (("masked", 380), ("started", 60), ("new", 15), ("tiny", 3))
    }
    kinds = ["regular" if o.board else "new" for o in chosen]
    slots = iter(rng.sample([i for i, o in enumerate(chosen) if o.board], sum(counts.values())))
    for kind, count in counts.items():
        for _n in range(count):
            kinds[next(slots)] = kind

    header = [
        "ovt",
        *(
            label
            for year in range(last_year - 2, last_year + 1)
            for label in (
                f"Gemiddelde %1F {(year - 1) % 100:02d}{year % 100:02d}",
                f"Gemiddelde %1S/2F {(year - 1) % 100:02d}{year % 100:02d}",
                f"Aantal leerlingen {(year - 1) % 100:02d}{year % 100:02d}",
            )
        ),
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
    data_rows: list[list] = [header]
    tally = {"masked": 0, "empty years": 0, "no schoolweging": 0, "below 1S/2F": 0}
    for ovt, kind in zip(chosen, kinds, strict=True):
        weging = float(ovt.applied) if ovt.applied is not None else 29.7
        p2 = _clip(0.60 - 0.022 * (weging - 29.7) + rng.gauss(0, 0.09), 0.08, 0.97)
        p1 = _clip(rng.gauss(0.955, 0.03) + 0.15 * (p2 - 0.60), p2 + 0.01, 1.0)
        true_years = []
        for year, pupils in zip(
            range(last_year - 2, last_year + 1), _pupils(rng, kind), strict=True
        ):
            if pupils is None:
                true_years.append(Year(year))
                continue
            reached1, reached2 = _levels(rng, pupils, (p1, p2))
            true_years.append(
                Year(
                    year,
                    pupils,
                    round2(Decimal(reached1) * 100 / (3 * pupils)),
                    round2(Decimal(reached2) * 100 / (3 * pupils)),
                )
            )
        fundamental, target = school_results(true_years, ovt.applied, norms)
        present = [y for y in true_years if y.present]
        masked = any(y.pupils < MASKED_BELOW for y in present)
        total = sum(y.pupils for y in present)
        row: list = [ovt.code]
        for y in true_years:
            if not y.present:
                row += ["", "", ""]
            elif masked:
                row += ["*", "*", "*"]
            else:
                row += [percent_text(y.fundamental), percent_text(y.target), str(y.pupils)]
        hidden = total < MASKED_BELOW
        row += [
            ovt.applied,
            target.band or "",
            fundamental.norm,
            target.norm,
            "*" if hidden else percent_text(fundamental.percentage),
            "*" if hidden else percent_text(target.percentage),
            "*" if hidden else str(fundamental.pupils),
            OUTCOME_TEXT[fundamental.outcome],
            OUTCOME_TEXT[target.outcome],
        ]
        data_rows.append(row)
        tally["masked"] += masked
        tally["empty years"] += len(present) < 3
        tally["no schoolweging"] += ovt.applied is None
        tally["below 1S/2F"] += target.outcome == "below"

    period = f"{last_year - 2}-{last_year - 1}-{last_year}"
    results_bytes = ods_bytes(
        [
            (
                "Toelichting",
                [
                    [f"Toelichting leerresultaten primair onderwijs {period}"],
                    [
                        "Synthetisch bestand voor de prestatiemetingen van Stelsel: dezelfde "
                        "tabbladen, kolommen en celformaten als het bestand van de Inspectie van "
                        "het Onderwijs, met verzonnen scholen en cijfers."
                    ],
                ],
            ),
            (
                "Bestandsbeschrijving",
                [
                    [f"Bestandsbeschrijving leerresultaten primair onderwijs {period}"],
                    [f"Aantal records in bestand: {len(data_rows)}"],
                ],
            ),
            ("Data", data_rows),
        ]
    )

    names = [f"{y - 1}-{y}" for y in weging_years]
    three_year_rows = [["OVT", "Naam", "BGNR", "schoolweging " + ", ".join(names)]]
    three_year_rows += [[o.code, o.name, int(o.board), o.applied] for o in ovts if o.three_year]
    yearly_sheets = []
    for year, name in reversed(list(zip(weging_years, names, strict=True))):
        rows = [["OVT", "Naam", "BGNR", "schoolweging", "aantal_leerlingen", "spreiding"]]
        rows += [
            [o.code, o.name, int(o.board), o.yearly[year], o.pupils[year], o.spread[year]]
            for o in ovts
        ]
        yearly_sheets.append((name, rows))
    schoolweging_bytes = ods_bytes(
        [
            (
                "Toelichting",
                [
                    [f"Schoolweging {' - '.join(n.replace('-', '/') for n in names)}"],
                    [
                        "Synthetisch bestand voor de prestatiemetingen van Stelsel, met de "
                        "tabbladen en kolommen van het bestand van de Inspectie van het Onderwijs."
                    ],
                ],
            ),
            ("Driejaarsgemiddelde", three_year_rows),
            *yearly_sheets,
        ]
    )
    return NationalFiles(
        results=results_bytes,
        schoolweging=schoolweging_bytes,
        results_rows=len(data_rows) - 1,
        schoolweging_rows=len(ovts),
        three_year_rows=len(three_year_rows) - 1,
        schoolweging_ovts={o.code: o.board for o in ovts},
        board_numbers=board_numbers,
        counts=tally,
    )


def registry_create(files: NationalFiles) -> dict[str, int]:
    """Boards and schools as Stelsel holds them after DUO's national registry: a board per
    BGNR and a school location for each OVT. Needs the database; returns OVT -> school id."""
    from stelsel.organisations.models import Board, School

    Board.objects.bulk_create(
        Board(number=number, name=f"Stichting {number}", sector="po")
        for number in files.board_numbers
    )
    boards = dict(Board.objects.values_list("number", "pk"))
    location: dict[str, str] = {}
    per_brin: Counter = Counter()
    for code in files.schoolweging_ovts:
        location[code] = f"{code[:4]}{per_brin[code[:4]]:02d}"
        per_brin[code[:4]] += 1
    School.objects.bulk_create(
        (
            School(
                board_id=boards[files.schoolweging_ovts[code]],
                name=f"School {code}",
                instellingscode=code[:4],
                vestigingscode=vestiging,
                kind="bo",
            )
            for code, vestiging in location.items()
        ),
        batch_size=1000,
    )
    schools = dict(School.objects.values_list("vestigingscode", "pk"))
    return {code: schools[vestiging] for code, vestiging in location.items()}


def links_confirm(schools: dict[str, int]) -> int:
    """Every OVT linked to its school, as the boards confirm them once: the steady state."""
    from django.utils import timezone

    from stelsel.insight.models import Ovt

    now = timezone.now()
    ovts = list(Ovt.objects.filter(code__in=schools, school__isnull=True))
    for ovt in ovts:
        ovt.school_id, ovt.linked_at = schools[ovt.code], now
    Ovt.objects.bulk_update(ovts, ["school", "linked_at"], batch_size=1000)
    return len(ovts)


def write(directory: Path, **options) -> tuple[Path, Path, NationalFiles]:
    files = generate(**options)
    directory.mkdir(parents=True, exist_ok=True)
    last = options.get("last_year", LAST_YEAR)
    results = directory / f"leerresultaten-po-{last - 2}-{last - 1}-{last}.ods"
    weging = directory / f"schoolweging-{last - 4}-{last - 3}-{last - 2}-{last - 1}.ods"
    results.write_bytes(files.results)
    weging.write_bytes(files.schoolweging)
    return results, weging, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--schools", type=int, default=RESULTS_ROWS, help="results rows")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    setup_settings()
    schoolweging = round(args.schools * SCHOOLWEGING_ROWS / RESULTS_ROWS)
    results, weging, files = write(
        args.directory, results=args.schools, schoolweging=schoolweging, seed=args.seed
    )
    print(f"{results}: {files.results_rows} OVTs, {len(files.results):,} bytes; {files.counts}")
    print(
        f"{weging}: {files.schoolweging_rows} OVTs per school year, {files.three_year_rows} "
        f"with a 3-year value, {len(files.board_numbers)} boards, {len(files.schoolweging):,} bytes"
    )


if __name__ == "__main__":
    main()
