"""Parsing the inspectorate's "Leerresultaten primair onderwijs" file (ODS, XLSX or CSV).

The file has an `ovt` column, three years of `Gemiddelde %1F`, `Gemiddelde %1S/2F` and
`Aantal leerlingen`, and optionally the inspectorate's computed columns (schoolweging, band,
norms, 3-year values, outcomes). Years are written `2223` (school year 2022-2023) or `2023`; both
name the year 2023. Only the published headers are accepted, in any order and letter case: a
renamed or unknown column is refused rather than guessed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from stelsel.insight.numbers import ColumnReader
from stelsel.insight.po_model import Year
from stelsel.insight.sheets import (
    DataFileError,
    Sheet,
    read_tables,
    refuse_cells_beyond_header,
    refuse_pupil_data,
)

OVT = re.compile(r"[0-9]{2}[A-Z]{2}\|C[0-9]{1,2}")
YEAR_COLUMN = re.compile(
    r"^(?:(gemiddeld[e]? ?%) ?(1f|1s/2f)|(aantal leerlingen)) "
    r"((?:19|20)[0-9]{2}|[0-9]{4}|20[0-9]{2}[-/]20[0-9]{2})$"
)
COMPUTED = {
    "schoolweging": "schoolweging",
    "schoolwegingscategorie": "band",
    "signaleringswaarde 1f": "norm_1F",
    "signaleringswaarde 1s/2f": "norm_1S/2F",
    "gewogen driejaarsgemiddelde %1f": "percentage_1F",
    "gewogen driejaarsgemiddelde %1s/2f": "percentage_1S/2F",
    "totaal aantal leerlingen 3 jaar": "pupils",
    "uitkomst indicator 1f": "outcome_1F",
    "uitkomst indicator 1s/2f": "outcome_1S/2F",
}
OUTCOMES = {
    "boven de signaleringswaarde": "above",
    "onder de signaleringswaarde": "below",
    "kleine school - beoordeling over 5 jaar": "small_school",
    "te weinig gegevens": "insufficient_data",
}
EXPECTED = "ovt, Gemiddelde %1F <jaar>, Gemiddelde %1S/2F <jaar>, Aantal leerlingen <jaar>"


def year_of(token: str) -> int:
    """`2223` and `2022-2023` name the school year ending in 2023; `2023` is 2023 itself.

    `2021` reads either way and means 2021 either way.
    """
    if "-" in token or "/" in token:
        return int(token[-4:])
    first, last = int(token[:2]), int(token[2:])
    return 2000 + last if (first + 1) % 100 == last else int(token)


def _key(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


@dataclass
class Published:
    schoolweging: Decimal | None = None
    band: str = ""
    norms: dict[str, Decimal | None] = field(default_factory=dict)
    percentages: dict[str, Decimal | None] = field(default_factory=dict)
    pupils: int | None = None
    outcomes: dict[str, str] = field(default_factory=dict)


@dataclass
class ResultRow:
    row: int
    ovt: str
    years: list[Year]
    published: Published | None


@dataclass
class ResultsFile:
    file: str
    sheet: str
    years: tuple[int, int, int]
    rows: list[ResultRow]
    computed_columns: bool

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    @property
    def period(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"


def is_results_sheet(sheet: Sheet) -> bool:
    """Whether a sheet has the results file's columns (an `ovt` and yearly results)."""
    keys = [_key(cell) for cell in sheet.rows[0]] if sheet.rows else []
    return "ovt" in keys and any(YEAR_COLUMN.match(key) for key in keys)


def _find_sheet(sheets: list[Sheet], file: str) -> Sheet:
    """The sheet with the results (`Data` in the published file); else say what the file is.

    A file of another kind is named as such, so a user who picked the wrong file sees which
    one; a file that looks like pupil data is refused as that, whatever else it is.
    """
    for sheet in sorted(sheets, key=lambda s: s.name.lower() != "data"):
        if is_results_sheet(sheet):
            return sheet
    filled = [sheet for sheet in sheets if sheet.rows]
    duo = {"bevoegd gezag nummer", "vestigingsnummer", "vestigingscode"}
    shown = next((s for s in filled if duo & {_key(c) for c in s.rows[0]}), None)
    kind = _("a DUO file of school locations")
    if shown is None:
        shown = next(
            (
                s
                for s in filled
                if "ovt" in (keys := [_key(c) for c in s.rows[0]])
                and any(k.startswith("schoolweging") for k in keys)
            ),
            None,
        )
        kind = _("the inspectorate's schoolweging file")
    if shown is None:
        for sheet in filled:
            refuse_pupil_data(sheet, file)
        shown = filled[0] if filled else None
        kind = _("another kind of file")
    header = [cell for cell in shown.rows[0] if cell] if shown else []
    raise DataFileError(
        _(
            "this is %(kind)s, not the inspectorate's results file for primary education; "
            "expected the columns %(expected)s; found: %(found)s"
        )
        % {"kind": kind, "expected": EXPECTED, "found": ", ".join(header[:8]) or "-"},
        file=file,
    )


def parse_results(data: bytes, file: str) -> ResultsFile:
    """Parse and check the whole file; raise DataFileError at the first problem."""
    sheet = _find_sheet(read_tables(data, file), file)
    refuse_pupil_data(sheet, file)
    refuse_cells_beyond_header(sheet, file)
    header = sheet.rows[0]
    columns: dict[str, int] = {}
    year_columns: dict[tuple[str, int], int] = {}
    for index, name in enumerate(header):
        key = _key(name)
        if not key:
            continue
        match = YEAR_COLUMN.match(key)
        if key == "ovt":
            target = "ovt"
        elif match:
            what = match.group(2).upper() if match.group(2) else "pupils"
            target = (what, year_of(match.group(4)))
        elif key in COMPUTED:
            target = COMPUTED[key]
        else:
            raise DataFileError(
                _(
                    "unknown column “%(name)s”; expected %(expected)s "
                    "and the inspectorate's computed columns"
                )
                % {"name": name, "expected": EXPECTED},
                file=file,
                sheet=sheet.name,
                row=1,
                column=name,
            )
        store = year_columns if isinstance(target, tuple) else columns
        if target in store:
            raise DataFileError(
                _("the column “%(name)s” appears twice") % {"name": name},
                file=file,
                sheet=sheet.name,
                row=1,
                column=name,
            )
        store[target] = index
    years = sorted({year for _what, year in year_columns})
    if len(years) != 3 or years != list(range(years[0], years[0] + 3)):
        raise DataFileError(
            _("expected three consecutive years of results, found: %(years)s")
            % {"years": ", ".join(map(str, years)) or "-"},
            file=file,
            sheet=sheet.name,
            row=1,
        )
    for year in years:
        for what, label in (
            ("1F", "Gemiddelde %1F"),
            ("1S/2F", "Gemiddelde %1S/2F"),
            ("pupils", "Aantal leerlingen"),
        ):
            if (what, year) not in year_columns:
                raise DataFileError(
                    _("the column “%(label)s %(year)s” is missing")
                    % {"label": label, "year": year},
                    file=file,
                    sheet=sheet.name,
                    row=1,
                )
    computed = [c for c in COMPUTED.values() if c in columns]
    if computed and len(computed) != len(COMPUTED):
        missing = [name for name, c in COMPUTED.items() if c not in columns]
        raise DataFileError(
            _(
                "some of the inspectorate's computed columns are missing: %(names)s; "
                "give all or none"
            )
            % {"names": ", ".join(missing)},
            file=file,
            sheet=sheet.name,
            row=1,
        )
    readers = {
        index: ColumnReader(header[index], file=file, sheet=sheet.name)
        for index in range(len(header))
    }
    rows: list[ResultRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(sheet.rows[1:], start=2):
        cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
        ovt = cells[columns["ovt"]].upper()
        if not OVT.fullmatch(ovt):
            raise DataFileError(
                _("expected an OVT code such as 00AP|C1, found “%(cell)s”") % {"cell": ovt[:40]},
                file=file,
                sheet=sheet.name,
                row=number,
                column=header[columns["ovt"]],
            )
        if ovt in seen:
            raise DataFileError(
                _("%(ovt)s appears twice (also in row %(other)d)")
                % {"ovt": ovt, "other": seen[ovt]},
                file=file,
                sheet=sheet.name,
                row=number,
                column=header[columns["ovt"]],
            )
        seen[ovt] = number
        row_years = []
        for year in years:
            raw = {w: cells[year_columns[(w, year)]] for w in ("1F", "1S/2F", "pupils")}
            if all(v == "*" for v in raw.values()):
                row_years.append(Year(year, masked=True))
                continue
            if all(v == "" for v in raw.values()):
                row_years.append(Year(year))
                continue
            for w, v in raw.items():
                if v in ("", "*"):
                    raise DataFileError(
                        _("a year must be given whole, empty or masked (*) in all three columns"),
                        file=file,
                        sheet=sheet.name,
                        row=number,
                        column=header[year_columns[(w, year)]],
                    )
            pupils = readers[year_columns[("pupils", year)]].count(raw["pupils"], number)
            values = {
                w: readers[year_columns[(w, year)]].decimal(
                    raw[w], number, low=0, high=100, what=_("a percentage")
                )
                for w in ("1F", "1S/2F")
            }
            if values["1S/2F"] > values["1F"]:
                raise DataFileError(
                    _("%%1S/2F (%(target)s) cannot be higher than %%1F (%(fundamental)s)")
                    % {"target": values["1S/2F"], "fundamental": values["1F"]},
                    file=file,
                    sheet=sheet.name,
                    row=number,
                    column=header[year_columns[("1S/2F", year)]],
                )
            if pupils == 0 and (values["1F"] or values["1S/2F"]):
                raise DataFileError(
                    _("a percentage without pupils"),
                    file=file,
                    sheet=sheet.name,
                    row=number,
                    column=header[year_columns[("pupils", year)]],
                )
            row_years.append(Year(year, pupils or None, values["1F"], values["1S/2F"]))
        published = (
            _published(cells, columns, readers, number, file, sheet.name, header)
            if computed
            else None
        )
        rows.append(ResultRow(number, ovt, row_years, published))
    if not rows:
        raise DataFileError(_("the file has a header but no schools"), file=file, sheet=sheet.name)
    return ResultsFile(file, sheet.name, tuple(years), rows, bool(computed))


def _published(cells, columns, readers, number, file, sheet, header) -> Published:
    def value(key: str, *, low=None, high=None, what=""):
        text = cells[columns[key]].strip()
        if text in ("", "*"):
            return None
        return readers[columns[key]].decimal(text, number, low=low, high=high, what=what)

    published = Published()
    published.schoolweging = value("schoolweging", low=0, high=100, what=_("a schoolweging"))
    published.band = cells[columns["band"]].strip()
    pupils = cells[columns["pupils"]].strip()
    published.pupils = (
        None if pupils in ("", "*") else readers[columns["pupils"]].count(pupils, number)
    )
    for indicator in ("1F", "1S/2F"):
        published.norms[indicator] = value(f"norm_{indicator}", low=0, high=100, what=_("a norm"))
        published.percentages[indicator] = value(
            f"percentage_{indicator}", low=0, high=100, what=_("a percentage")
        )
        text = cells[columns[f"outcome_{indicator}"]].strip()
        outcome = OUTCOMES.get(_key(text))
        if outcome is None:
            raise DataFileError(
                _("expected one of %(outcomes)s, found “%(cell)s”")
                % {"outcomes": "; ".join(o.capitalize() for o in OUTCOMES), "cell": text[:60]},
                file=file,
                sheet=sheet,
                row=number,
                column=header[columns[f"outcome_{indicator}"]],
            )
        published.outcomes[indicator] = outcome
    return published
