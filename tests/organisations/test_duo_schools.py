"""The DUO school-locations import: the parser, the plan and the one-transaction apply.

Parser tests need no database; the import tests check the database before and after, so a
malformed file is proven to change nothing (also when the mistake is on the last row).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stelsel.organisations.duo_schools import (
    DuoFileError,
    SchoolRow,
    apply_import,
    import_school_locations,
    parse_school_locations,
    plan_import,
)
from stelsel.organisations.models import Board, School
from tests.factories import make_board, make_school

DATA = Path(__file__).resolve().parent.parent / "data"
BO_EXCERPT = DATA / "vestigingen-bo-excerpt.csv"
VO_EXCERPT = DATA / "vestigingen-vo-excerpt.csv"

HEADER = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM;INTERNETADRES"
GOOD_ROWS = [
    "41775;00DO;00DO00;Van Rijckevorsel;HOEK VAN HOLLAND;www.rijckevorselschool.nl",
    "41775;03DX;03DX00;Jan Prins;ROTTERDAM;www.janprinsschool.nl",
    '10249;16AH;16AH00;"Openbare Basisschool ""\'t Eenspan""";EMMEN;www.obs-eenspan.nl',
]


def csv_file(*lines: str, header: str = HEADER, encoding: str = "cp1252", end: str = "\r\n"):
    return (end.join([header, *lines]) + end).encode(encoding)


def parse_error(data: bytes) -> DuoFileError:
    with pytest.raises(DuoFileError) as caught:
        parse_school_locations(data)
    return caught.value


def snapshot() -> dict:
    """Everything an import may touch, including the audit history it writes."""
    return {
        "boards": sorted(Board.objects.values_list("number", "name", "sector")),
        "schools": sorted(
            School.objects.values_list(
                "vestigingscode", "board__number", "name", "kind", "city", "website"
            )
        ),
        "board_history": Board.history.count(),
        "school_history": School.history.count(),
    }


@pytest.fixture(autouse=True)
def _english():
    """The reasons are asserted in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield


# --- reading real DUO files -------------------------------------------------------------------


class TestExcerpts:
    def test_it_reads_the_windows_1252_primary_excerpt(self):
        rows = parse_school_locations(BO_EXCERPT.read_bytes())

        assert len(rows) == 12
        by_code = {row.vestigingscode: row for row in rows}
        kompas = by_code["05OC00"]
        assert kompas.name == "Dalton Kindcentrum \u2019t Kompas"
        assert kompas.board_number == "32073"
        assert kompas.instellingscode == "05OC"
        assert kompas.municipality == "AA EN HUNZE"
        assert kompas.city == "GASSELTERNIJVEEN"
        assert kompas.denomination == "Protestants-Christelijk"
        assert kompas.website == "www.dkckompas.nl"
        assert kompas.row == 10
        assert by_code["04NA00"].name == 'Algemeen Bijzondere basisschool "de Fluessen"'
        assert by_code["00AR00"].name == 'Basisschool "De Maasparel"'
        assert by_code["23FD01"].denomination == "Hindoe\u00efstisch"
        assert {row.kind for row in rows} == {"bo"}
        assert [row.row for row in rows] == list(range(2, 14))

    def test_it_reads_the_secondary_excerpt_as_vo_and_strips_padded_empty_values(self):
        rows = parse_school_locations(VO_EXCERPT.read_bytes())

        assert {row.kind for row in rows} == {"vo"}
        by_code = {row.vestigingscode: row for row in rows}
        assert by_code["18BR01"].website == ""
        assert by_code["18BR00"].website == "www.pro-assen.nl"
        assert by_code["18BR00"].board_name == ""

    def test_it_reads_the_excerpt_the_same_after_conversion_to_utf8_with_a_bom(self):
        original = BO_EXCERPT.read_bytes()
        converted = original.decode("cp1252").encode("utf-8-sig")

        assert parse_school_locations(converted) == parse_school_locations(original)


# --- formats the parser accepts ---------------------------------------------------------------


class TestFormats:
    @pytest.mark.parametrize(
        "header",
        [
            "BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM",
            "BEVOEGD_GEZAG_NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM",
            "bevoegd gezag nummer;brin nummer;vestigingsnummer;vestigingsnaam",
            '"BEVOEGD GEZAG NUMMER";"BRIN NUMMER";"VESTIGINGSNUMMER";"VESTIGINGSNAAM"',
            " BEVOEGD  GEZAG NUMMER ;BRIN_NUMMER; VESTIGINGSNUMMER ;VESTIGINGSNAAM",
        ],
    )
    def test_it_reads_both_generations_of_identifier_columns(self, header):
        rows = parse_school_locations(csv_file("41775;00DO;00DO00;Van Rijckevorsel", header=header))

        assert [(r.board_number, r.instellingscode, r.vestigingscode, r.name) for r in rows] == [
            ("41775", "00DO", "00DO00", "Van Rijckevorsel")
        ]

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
    def test_it_reads_utf8_with_or_without_bom_and_windows_1252(self, encoding):
        data = csv_file(
            '41775;00DO;00DO00;"Caf\u00e9 \u2019t H\u00fbis; ""oud""";\u00c9de;',
            encoding=encoding,
        )

        [row] = parse_school_locations(data)

        assert row.name == 'Caf\u00e9 \u2019t H\u00fbis; "oud"'
        assert row.city == "\u00c9de"
        assert row.website == ""

    def test_it_strips_padding_and_normalises_numbers_and_codes(self):
        data = csv_file("  1234 ;  16ah ;16ah00   ;   De   Esdoorn   ;  EMMEN  ; www.x.nl ")

        [row] = parse_school_locations(data)

        assert row.board_number == "01234"
        assert row.instellingscode == "16AH"
        assert row.vestigingscode == "16AH00"
        assert row.name == "De Esdoorn"
        assert (row.city, row.website) == ("EMMEN", "www.x.nl")

    @pytest.mark.parametrize(
        ("written", "code"), [("0", "16AH00"), ("1", "16AH01"), ("12", "16AH12")]
    )
    def test_it_accepts_a_location_number_without_the_brin(self, written, code):
        [row] = parse_school_locations(csv_file(f"10249;16AH;{written};De Esdoorn;EMMEN;"))

        assert row.vestigingscode == code

    @pytest.mark.parametrize("end", ["\r\n", "\n", "\r"])
    def test_it_reads_any_line_ending_and_counts_rows_by_line(self, end):
        rows = parse_school_locations(csv_file(*GOOD_ROWS, end=end))

        assert [row.row for row in rows] == [2, 3, 4]

    def test_it_accepts_a_trailing_semicolon_and_skips_blank_lines(self):
        data = csv_file(GOOD_ROWS[0] + ";", "", " ; ; ; ; ; ", GOOD_ROWS[1])

        rows = parse_school_locations(data)

        assert [(row.vestigingscode, row.row) for row in rows] == [("00DO00", 2), ("03DX00", 5)]

    def test_it_reads_a_quoted_name_over_two_lines_and_reports_the_row_it_starts_on(self):
        data = csv_file('41775;00DO;00DO00;"Van\r\nRijckevorsel";HOEK VAN HOLLAND;', GOOD_ROWS[1])

        rows = parse_school_locations(data)

        assert [(row.name, row.row) for row in rows] == [
            ("Van Rijckevorsel", 2),
            ("Jan Prins", 4),
        ]

    def test_it_leaves_values_of_absent_columns_as_none(self):
        data = csv_file("41775;00DO;00DO00;Van Rijckevorsel", header=HEADER.rsplit(";", 2)[0])

        [row] = parse_school_locations(data)

        assert (row.municipality, row.city, row.denomination, row.website) == (None,) * 4
        assert row.board_name == ""

    def test_it_truncates_long_optional_values_to_the_column_size(self):
        [row] = parse_school_locations(csv_file(f"41775;00DO;00DO00;X;{'a' * 150};{'w' * 250}"))

        assert (len(row.city), len(row.website)) == (100, 200)


class TestKinds:
    @pytest.mark.parametrize(
        ("soort", "kind"),
        [
            ("Bo", "bo"),
            ("Sbo", "sbo"),
            ("SO", "so"),
            ("(v)so", "so"),
            ("VSO", "so"),
            (" sbo ", "sbo"),
        ],
    )
    def test_it_takes_the_kind_from_the_soort_po_column(self, soort, kind):
        header = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;SOORT PO"

        [row] = parse_school_locations(
            csv_file(f"41775;00DO;00DO00;De Wissel;{soort}", header=header)
        )

        assert row.kind == kind

    def test_a_soort_po_column_wins_over_the_name(self):
        header = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;SOORT PO"

        [row] = parse_school_locations(
            csv_file("41775;00DO;00DO00;Speciale Basisschool De Wissel;Bo", header=header)
        )

        assert row.kind == "bo"

    def test_it_marks_every_school_of_a_file_with_onderwijsstructuur_as_secondary(self):
        header = (
            "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;ONDERWIJSSTRUCTUUR"
        )

        rows = parse_school_locations(
            csv_file(
                "10053;18BR;18BR00;Praktijkonderwijs Assen;PRO",
                "10053;20LO;20LO00;X;",
                header=header,
            )
        )

        assert [row.kind for row in rows] == ["vo", "vo"]

    @pytest.mark.parametrize(
        ("name", "kind"),
        [
            ("SBO De Wissel", "sbo"),
            ("S.B.O. Het Kompas", "sbo"),
            ("Speciale Basisschool De Toermalijn", "sbo"),
            ("School voor Speciaal Basisonderwijs De Bolster", "sbo"),
            ("Basis Speciaal Onderwijs Prisma", "sbo"),
            ("Openbare Basisschool De Sbonk", "bo"),
            ("Obs Jacobus", "bo"),
        ],
    )
    def test_without_a_kind_column_it_recognises_special_primary_schools_by_name(self, name, kind):
        [row] = parse_school_locations(csv_file(f"41775;00DO;00DO00;{name};;"))

        assert row.kind == kind


# --- malformed files --------------------------------------------------------------------------


@dataclass
class Bad:
    data: bytes
    row: int | None
    reason: str
    column: str | None = None


def bad_last_row(line: str | bytes) -> bytes:
    """Three good rows, then `line` as the last row (line 5 of the file)."""
    start = csv_file(*GOOD_ROWS)
    return start + (line if isinstance(line, bytes) else line.encode("cp1252"))


SOORT_HEADER = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;SOORT PO"
BAD_FILES = {
    "empty file": Bad(b"", None, "the file is empty"),
    "only whitespace": Bad(b"  \r\n\r\n ", None, "the file is empty"),
    "only a byte order mark": Bad(b"\xef\xbb\xbf", None, "the file is empty"),
    "header only": Bad(csv_file(), 2, "has a header but no school locations"),
    "header and blank lines": Bad(csv_file("", " ;;"), 2, "has a header but no school locations"),
    "missing columns": Bad(
        csv_file("Zuid-Holland;00DO", header="PROVINCIE;BRIN NUMMER"),
        1,
        "missing column(s) BEVOEGD GEZAG NUMMER, VESTIGINGSCODE, VESTIGINGSNAAM",
    ),
    "not a DUO file at all": Bad(b"name,age\nJan,12\n", 1, "missing column(s)"),
    "too few fields on the last row": Bad(
        bad_last_row("41775;06BG;06BG00;Het Landje;ROTTERDAM\r\n"), 5, "expected 6 fields, found 5"
    ),
    "too many fields": Bad(
        bad_last_row("41775;06BG;06BG00;Het; Landje;ROTTERDAM;www.landje.nl\r\n"),
        5,
        "expected 6 fields, found 7",
    ),
    "truncated last line": Bad(bad_last_row("41775;06BG;06B"), 5, "expected 6 fields, found 3"),
    "truncated inside a quoted name": Bad(
        bad_last_row('41775;06BG;06BG00;"Openbare Basisschool Het La'), 5, "unexpected end of data"
    ),
    "text after a closing quote": Bad(
        bad_last_row('41775;06BG;06BG00;"Het" Landje;ROTTERDAM;\r\n'), 5, "';' expected after '\"'"
    ),
    "letters in the board number": Bad(
        bad_last_row("4177A;06BG;06BG00;Het Landje;ROTTERDAM;\r\n"),
        5,
        "board number '4177A' is not a number of at most five digits",
        "BEVOEGD GEZAG NUMMER",
    ),
    "six-digit board number": Bad(
        bad_last_row("417750;06BG;06BG00;Het Landje;ROTTERDAM;\r\n"),
        5,
        "'417750'",
        "BEVOEGD GEZAG NUMMER",
    ),
    "empty board number": Bad(
        bad_last_row(" ;06BG;06BG00;Het Landje;ROTTERDAM;\r\n"),
        5,
        "board number ''",
        "BEVOEGD GEZAG NUMMER",
    ),
    "digits of another script in the board number": Bad(
        csv_file(*GOOD_ROWS, "4177\u0665;06BG;06BG00;Het Landje;;", encoding="utf-8"),
        5,
        "not a number of at most five digits",
        "BEVOEGD GEZAG NUMMER",
    ),
    "bad BRIN": Bad(
        bad_last_row("41775;6BGG;6BGG00;Het Landje;ROTTERDAM;\r\n"),
        5,
        "instellingscode '6BGG' is not two digits and two letters",
        "INSTELLINGSCODE",
    ),
    "BRIN of superscript digits": Bad(
        csv_file(
            *GOOD_ROWS, "41775;\u00b9\u00b2BG;\u00b9\u00b2BG00;Het Landje;;", encoding="utf-8"
        ),
        5,
        "is not two digits and two letters",
        "INSTELLINGSCODE",
    ),
    "vestigingscode of another BRIN": Bad(
        bad_last_row("41775;06BG;07BG00;Het Landje;ROTTERDAM;\r\n"),
        5,
        "vestigingscode '07BG00' is not the instellingscode 06BG followed by two digits",
        "VESTIGINGSCODE",
    ),
    "vestigingscode too long": Bad(
        bad_last_row("41775;06BG;06BG001;Het Landje;ROTTERDAM;\r\n"),
        5,
        "'06BG001'",
        "VESTIGINGSCODE",
    ),
    "location number of another script": Bad(
        csv_file(*GOOD_ROWS, "41775;06BG;\u00b2;Het Landje;;", encoding="utf-8"),
        5,
        "is not the instellingscode 06BG followed by two digits",
        "VESTIGINGSCODE",
    ),
    "duplicate location": Bad(
        bad_last_row("41775;03dx; 03DX00 ;Jan Prins bis;ROTTERDAM;\r\n"),
        5,
        "school location 03DX00 appears twice (also on row 3)",
        "VESTIGINGSCODE",
    ),
    "no name": Bad(
        bad_last_row('41775;06BG;06BG00;"  ";ROTTERDAM;\r\n'), 5, "no name", "VESTIGINGSNAAM"
    ),
    "name too long": Bad(
        bad_last_row(f"41775;06BG;06BG00;{'x' * 201};ROTTERDAM;\r\n"),
        5,
        "longer than 200",
        "VESTIGINGSNAAM",
    ),
    "neither UTF-8 nor Windows-1252": Bad(
        bad_last_row(b"41775;06BG;06BG00;Het \x81Landje;ROTTERDAM;\r\n"),
        5,
        "neither UTF-8 nor Windows-1252 (byte 0x81)",
    ),
    "NUL bytes": Bad(
        bad_last_row(b"41775;06BG;06BG00;Het\x00Landje;ROTTERDAM;\r\n"), 5, "NUL bytes"
    ),
    "unknown SOORT PO": Bad(
        csv_file(
            "41775;00DO;00DO00;Van Rijckevorsel;Bo",
            "41775;03DX;03DX00;Jan Prins;Mbo",
            header=SOORT_HEADER,
        ),
        3,
        "unknown kind of primary school 'Mbo'",
        "SOORT PO",
    ),
    "empty SOORT PO": Bad(
        csv_file("41775;00DO;00DO00;Van Rijckevorsel;", header=SOORT_HEADER), 2, "''", "SOORT PO"
    ),
}


class TestMalformedFiles:
    @pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
    def test_it_stops_with_the_row_and_the_reason(self, case):
        error = parse_error(case.data)

        assert error.row == case.row
        assert case.reason in error.reason
        assert error.column == case.column
        if case.row is not None:
            assert str(error).startswith(f"row {case.row}")

    def test_it_reports_a_stray_quote_on_its_own_row_not_at_the_end_of_the_file(self):
        lines = [f"41775;{n:02d}AB;{n:02d}AB00;School {n};ROTTERDAM;" for n in range(10, 20)]
        lines[2] = '41775;12AB;12AB00;"School 12;ROTTERDAM;'

        error = parse_error(csv_file(*lines))

        assert error.row == 4
        assert "unexpected end of data" in error.reason

    def test_it_reports_an_undecodable_byte_on_its_line(self):
        data = csv_file(*GOOD_ROWS).replace(b"Jan Prins", b"Jan \x8d Prins")

        error = parse_error(data)

        assert error.row == 3
        assert "(byte 0x8d)" in error.reason

    @pytest.mark.django_db
    @pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
    def test_it_changes_nothing_when_the_file_is_malformed(self, case):
        board = make_board(number="41775", name="Stichting BOOR")
        make_school(board, name="Oude naam", instellingscode="00DO", vestigingscode="00DO00")
        before = snapshot()

        with pytest.raises(DuoFileError):
            import_school_locations(case.data)

        assert snapshot() == before


# --- property tests of the parser -------------------------------------------------------------

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAME_CHARS = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
    "'-.,&()/;\"\u00e9\u00eb\u00ef\u00f6\u00fc\u00e7\u00f1\u00e0\u00e8\u00c9\u2019\u20ac\u2013"
)
text_values = st.text(st.sampled_from(NAME_CHARS), max_size=40)
names = st.text(st.sampled_from(NAME_CHARS), min_size=1, max_size=60).filter(
    lambda name: bool(name.split())
)
SOORT_PO = {
    "Bo": "bo",
    "bo": "bo",
    "Sbo": "sbo",
    "SBO": "sbo",
    "So": "so",
    "(v)so": "so",
    "VSO": "so",
}
OPTIONAL = {
    "board_name": "BEVOEGD GEZAG NAAM",
    "municipality": "GEMEENTENAAM",
    "city": "PLAATSNAAM",
    "denomination": "DENOMINATIE",
    "website": "INTERNETADRES",
}
SBO_WORDS = re.compile(
    r"speciaal basisonderwijs|speciale basisschool|basis speciaal onderwijs|\bs\.?b\.?o\b", re.I
)


def clean(value: str) -> str:
    return " ".join(value.split())


@st.composite
def cells(draw, value: str) -> str:
    """One field as DUO writes it: padded, quoted when needed (and sometimes when not)."""
    left, right = draw(st.sampled_from(["", " ", "   "])), draw(st.sampled_from(["", " ", "   "]))
    if any(c in value for c in ';"\r\n') or draw(st.booleans()):
        return '"' + left + value.replace('"', '""') + right + '"'
    return left + value + right


@st.composite
def locations_files(draw):
    """A valid DUO file and the SchoolRows it must parse to."""
    newer = draw(st.booleans())
    kind_column = draw(st.sampled_from([None, "SOORT PO", "ONDERWIJSSTRUCTUUR"]))
    optional = draw(st.sets(st.sampled_from(sorted(OPTIONAL))))
    columns = [
        "BEVOEGD GEZAG NUMMER",
        "INSTELLINGSCODE" if newer else "BRIN NUMMER",
        "VESTIGINGSCODE" if newer else "VESTIGINGSNUMMER",
        "VESTIGINGSNAAM",
        "PROVINCIE",
        *(OPTIONAL[key] for key in sorted(optional)),
        *([kind_column] if kind_column else []),
    ]
    columns = draw(st.permutations(columns))
    underscores = draw(st.booleans())
    header = ";".join(draw(cells(c.replace(" ", "_") if underscores else c)) for c in columns)
    codes = draw(
        st.lists(
            st.tuples(st.from_regex(r"[0-9]{2}[A-Z]{2}", fullmatch=True), st.integers(0, 99)),
            min_size=1,
            max_size=6,
            unique_by=lambda t: f"{t[0]}{t[1]:02d}",
        )
    )
    lines, expected = [], []
    end = draw(st.sampled_from(["\r\n", "\n"]))
    for index, (brin, number) in enumerate(codes):
        board = draw(st.integers(0, 99999))
        name = draw(names)
        values = {key: draw(text_values) for key in optional}
        soort = draw(st.sampled_from(sorted(SOORT_PO)))
        written_brin = brin.lower() if draw(st.booleans()) else brin
        written_code = (
            f"{number}" if newer and draw(st.booleans()) else f"{written_brin}{number:02d}"
        )
        raw = {
            "BEVOEGD GEZAG NUMMER": str(board) if draw(st.booleans()) else f"{board:05d}",
            "INSTELLINGSCODE": written_brin,
            "BRIN NUMMER": written_brin,
            "VESTIGINGSCODE": written_code,
            "VESTIGINGSNUMMER": written_code,
            "VESTIGINGSNAAM": name,
            "PROVINCIE": draw(text_values),
            "SOORT PO": soort,
            "ONDERWIJSSTRUCTUUR": draw(st.sampled_from(["HAVO/VWO", "VMBO", "PRO", ""])),
            **{OPTIONAL[key]: value for key, value in values.items()},
        }
        lines.append(";".join(draw(cells(raw[c])) for c in columns))
        if kind_column == "SOORT PO":
            kind = SOORT_PO[soort]
        elif kind_column == "ONDERWIJSSTRUCTUUR":
            kind = "vo"
        else:
            kind = "sbo" if SBO_WORDS.search(clean(name)) else "bo"
        optional_value = {key: clean(values[key]) if key in optional else None for key in OPTIONAL}
        expected.append(
            SchoolRow(
                row=index + 2,
                board_number=f"{board:05d}",
                board_name=optional_value["board_name"] or "",
                instellingscode=brin,
                vestigingscode=f"{brin}{number:02d}",
                name=clean(name),
                kind=kind,
                municipality=optional_value["municipality"],
                city=optional_value["city"],
                denomination=optional_value["denomination"],
                website=optional_value["website"],
            )
        )
    text = end.join([header, *lines]) + (end if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding)
    if encoding == "cp1252" and not data.isascii():
        # Windows-1252 bytes that happen to be valid UTF-8 ("Ã©") are read as UTF-8, as any
        # program would; such names do not occur in DUO's files.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)
    return data, expected


class TestParserProperties:
    @FAST
    @given(locations_files())
    def test_valid_files_round_trip_to_the_same_values(self, file):
        data, expected = file

        assert parse_school_locations(data) == expected

    @FAST
    @given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]), st.binary(max_size=400))
    def test_arbitrary_bytes_raise_nothing_but_duo_file_error(self, start, data):
        check_only_duo_errors(start + data)

    @FAST
    @given(st.binary(max_size=300))
    def test_arbitrary_bytes_after_a_valid_header_raise_nothing_but_duo_file_error(self, data):
        check_only_duo_errors(HEADER.encode() + b"\r\n" + data)

    @FAST
    @given(locations_files(), st.data())
    def test_damaged_valid_files_raise_nothing_but_duo_file_error(self, file, data):
        original = file[0]
        position = data.draw(st.integers(0, len(original)))
        damage = data.draw(
            st.sampled_from(["truncate", "insert", "replace", "delete_line", "duplicate_line"])
        )
        if damage == "truncate":
            damaged = original[:position]
        elif damage == "insert":
            damaged = (
                original[:position]
                + data.draw(st.binary(min_size=1, max_size=3))
                + original[position:]
            )
        elif damage == "replace":
            damaged = (
                original[:position]
                + data.draw(st.binary(min_size=1, max_size=1))
                + original[position + 1 :]
            )
        else:
            lines = original.split(b"\n")
            index = data.draw(st.integers(0, len(lines) - 1))
            lines[index : index + 1] = [] if damage == "delete_line" else [lines[index]] * 2
            damaged = b"\n".join(lines)

        check_only_duo_errors(damaged)


def check_only_duo_errors(data: bytes) -> None:
    try:
        rows = parse_school_locations(data)
    except DuoFileError as error:
        lines = data.count(b"\n") + data.count(b"\r") + 2
        assert error.row is None or 1 <= error.row <= lines
        assert error.reason
    else:
        assert rows
        assert all(re.fullmatch(r"[0-9]{5}", row.board_number) for row in rows)
        assert all(re.fullmatch(r"[0-9]{2}[A-Z]{2}[0-9]{2}", row.vestigingscode) for row in rows)
        assert len({row.vestigingscode for row in rows}) == len(rows)


# --- importing into the database --------------------------------------------------------------


@pytest.mark.django_db
class TestImport:
    def test_it_creates_boards_and_schools_and_reports_what_it_created(self):
        plan = import_school_locations(BO_EXCERPT.read_bytes())

        assert plan.rows == 12
        assert plan.boards_in_file == 6
        assert plan.counts == {
            "boards_created": 6,
            "boards_updated": 0,
            "schools_created": 12,
            "schools_updated": 0,
            "schools_unchanged": 0,
            "schools_not_in_file": 0,
            "memberships_ended": 0,
        }
        assert Board.objects.count() == 6
        assert School.objects.count() == 12
        school = School.objects.select_related("board").get(vestigingscode="05OC00")
        assert school.name == "Dalton Kindcentrum \u2019t Kompas"
        assert (school.board.number, school.board.name) == ("32073", "Bestuur 32073")
        assert (school.instellingscode, school.kind, school.city) == (
            "05OC",
            "bo",
            "GASSELTERNIJVEEN",
        )
        assert set(Board.objects.values_list("sector", flat=True)) == {"po"}
        assert School.history.filter(history_type="+").count() == 12

    def test_it_is_idempotent_a_second_run_changes_nothing(self):
        import_school_locations(BO_EXCERPT.read_bytes())
        import_school_locations(VO_EXCERPT.read_bytes())
        before = snapshot()

        again = import_school_locations(BO_EXCERPT.read_bytes())

        assert not again.has_changes
        assert again.changes == []
        assert again.counts["schools_unchanged"] == 12
        assert snapshot() == before

    def test_a_dry_run_reports_the_changes_and_changes_nothing(self):
        board = make_board(number="41775", name="Oude naam")
        make_school(board, name="Oude naam", instellingscode="00DO", vestigingscode="00DO00")
        data = csv_file(
            GOOD_ROWS[0] + ";BOOR",
            GOOD_ROWS[1] + ";BOOR",
            GOOD_ROWS[2] + ";Stichting Openbaar Onderwijs Emmen",
            header=HEADER + ";BEVOEGD GEZAG NAAM",
        )
        before = snapshot()

        plan = import_school_locations(data, dry_run=True)

        assert snapshot() == before
        assert [(c.action, c.code) for c in plan.changes] == [
            ("create_board", "10249"),
            ("update_board", "41775"),
            ("update_school", "00DO00"),
            ("create_school", "03DX00"),
            ("create_school", "16AH00"),
        ]
        assert plan.changes[1].fields == {"name": ("Oude naam", "BOOR")}
        applied = import_school_locations(data)
        assert applied.counts == plan.counts
        assert Board.objects.get(number="41775").name == "BOOR"
        assert Board.objects.get(number="10249").name == "Stichting Openbaar Onderwijs Emmen"
        assert School.objects.get(vestigingscode="00DO00").name == "Van Rijckevorsel"

    def test_it_updates_changed_values_and_reports_old_and_new(self):
        board = make_board(number="41775", name="BOOR")
        make_school(
            board,
            name="Van Rijckevorsel",
            instellingscode="00DO",
            vestigingscode="00DO00",
            city="ROTTERDAM",
            website="www.oud.nl",
        )

        plan = import_school_locations(csv_file(GOOD_ROWS[0]))

        [change] = plan.changes
        assert change.action == "update_school"
        assert change.code == "00DO00"
        assert change.fields == {
            "city": ("ROTTERDAM", "HOEK VAN HOLLAND"),
            "website": ("www.oud.nl", "www.rijckevorselschool.nl"),
        }
        school = School.objects.get(vestigingscode="00DO00")
        assert (school.city, school.website) == ("HOEK VAN HOLLAND", "www.rijckevorselschool.nl")
        assert Board.objects.get(number="41775").name == "BOOR"

    def test_a_later_file_without_a_column_keeps_the_stored_value(self):
        import_school_locations(csv_file(*GOOD_ROWS))
        header = "BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;PLAATSNAAM"
        newer = csv_file("41775;00DO;00DO00;Van Rijckevorsel;HOEK VAN HOLLAND", header=header)

        plan = import_school_locations(newer)

        assert not plan.has_changes
        assert School.objects.get(vestigingscode="00DO00").website == "www.rijckevorselschool.nl"

    def test_an_empty_value_in_a_present_column_does_clear_the_stored_value(self):
        import_school_locations(csv_file(*GOOD_ROWS))

        import_school_locations(csv_file("41775;00DO;00DO00;Van Rijckevorsel;HOEK VAN HOLLAND;   "))

        assert School.objects.get(vestigingscode="00DO00").website == ""

    def test_it_moves_a_school_to_another_board_and_refreshes_both_sectors(self):
        old = make_board(number="10053", name="Oud bestuur", sector="mixed")
        make_school(
            old, name="Basisschool", instellingscode="11AA", vestigingscode="11AA00", kind="bo"
        )
        make_school(
            old,
            name="Praktijkonderwijs",
            instellingscode="18BR",
            vestigingscode="18BR00",
            kind="vo",
        )
        header = (
            "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;ONDERWIJSSTRUCTUUR"
        )

        plan = import_school_locations(
            csv_file("20000;18BR;18BR00;Praktijkonderwijs;PRO", header=header)
        )

        assert [(c.action, c.code) for c in plan.changes] == [
            ("create_board", "20000"),
            ("update_school", "18BR00"),
        ]
        assert plan.changes[1].fields == {"board": ("10053", "20000")}
        moved = School.objects.select_related("board").get(vestigingscode="18BR00")
        assert moved.board.number == "20000"
        assert Board.objects.get(number="20000").sector == "vo"
        assert Board.objects.get(number="10053").sector == "po"
        assert School.objects.get(vestigingscode="11AA00").board_id == old.pk
        assert not import_school_locations(
            csv_file("20000;18BR;18BR00;Praktijkonderwijs;PRO", header=header)
        ).has_changes

    def test_a_changed_kind_updates_the_boards_sector(self):
        board = make_board(number="41775", sector="po")
        make_school(
            board, name="De Wissel", instellingscode="00DO", vestigingscode="00DO00", kind="bo"
        )

        import_school_locations(csv_file("41775;00DO;00DO00;De Wissel;So", header=SOORT_HEADER))

        assert School.objects.get(vestigingscode="00DO00").kind == "so"
        assert Board.objects.get(number="41775").sector == "so"

    def test_a_new_board_with_primary_and_secondary_schools_is_mixed(self):
        header = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;SOORT PO"
        import_school_locations(
            csv_file("41775;00DO;00DO00;A;Bo", "41775;03DX;03DX00;B;So", header=header)
        )

        assert Board.objects.get(number="41775").sector == "mixed"

    def test_it_counts_stored_schools_of_the_boards_that_are_not_in_the_file(self):
        board = make_board(number="41775")
        make_school(board, name="Gesloten school", instellingscode="99ZZ", vestigingscode="99ZZ00")

        plan = import_school_locations(csv_file(*GOOD_ROWS))

        assert plan.counts["schools_not_in_file"] == 1
        assert School.objects.filter(vestigingscode="99ZZ00", board=board).exists()

    def test_it_imports_only_the_chosen_board(self):
        plan = import_school_locations(BO_EXCERPT.read_bytes(), board_number=" 41775 ")

        assert plan.rows == 5
        assert list(Board.objects.values_list("number", flat=True)) == ["41775"]
        assert School.objects.filter(board__number="41775").count() == 5
        assert School.objects.count() == 5

    def test_it_pads_a_short_board_number_given_to_choose_the_board(self):
        import_school_locations(csv_file("1234;00DO;00DO00;A;;"), board_number="1234")

        assert Board.objects.get().number == "01234"

    def test_it_refuses_a_board_that_is_not_in_the_file_and_changes_nothing(self):
        make_board(number="41775")
        before = snapshot()

        with pytest.raises(DuoFileError) as caught:
            import_school_locations(BO_EXCERPT.read_bytes(), board_number="99999")

        assert "no school locations of board 99999" in caught.value.reason
        assert snapshot() == before

    def test_it_writes_everything_or_nothing_when_the_database_refuses_a_row(self):
        """A plan made before someone else stored one of its schools fails as a whole."""
        plan = plan_import(parse_school_locations(csv_file(*GOOD_ROWS)))
        other = make_board(number="77777", name="Ander bestuur")
        make_school(other, name="Ertussen", instellingscode="16AH", vestigingscode="16AH00")
        before = snapshot()

        with pytest.raises(IntegrityError):
            apply_import(plan)

        assert snapshot() == before
        assert not Board.objects.filter(number__in=["41775", "10249"]).exists()

    def test_a_failure_on_the_last_row_of_a_large_file_changes_nothing(self):
        brins = [f"{n % 100:02d}{chr(65 + n // 100)}A" for n in range(300)]
        lines = [f"{40000 + n // 10};{brin};{brin}00;School {n};;" for n, brin in enumerate(brins)]
        data = csv_file(*lines, "40000;ZZ;ZZ00;Kapot;;")
        make_board(number="40000", name="Bestaand")
        before = snapshot()

        with pytest.raises(DuoFileError) as caught:
            import_school_locations(data)

        assert caught.value.row == 302
        assert snapshot() == before
        assert import_school_locations(csv_file(*lines)).counts["schools_created"] == 300


@pytest.mark.django_db
def test_a_school_moved_by_the_national_import_takes_no_roles_along(world):
    """The old board's school leader loses the role; open invitations for it are withdrawn."""
    from stelsel.organisations.models import Invitation, Membership
    from stelsel.organisations.roles import Role
    from stelsel.organisations.services import invitation_create

    school = world.school
    invitation_create(
        board=world.board,
        school=school,
        email="nieuw@example.org",
        role=Role.STAFF,
        invited_by=None,
    )
    header = b"BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM\n"
    row = (
        ";".join(
            [world.other_board.number, school.instellingscode, school.vestigingscode, school.name]
        )
        + "\n"
    )
    plan = import_school_locations(header + row.encode(), dry_run=True)
    assert plan.counts["memberships_ended"] == 2
    import_school_locations(header + row.encode())
    school.refresh_from_db()
    assert school.board == world.other_board
    assert not Membership.objects.filter(school=school).exists()
    assert Invitation.objects.get(school=school).state == "revoked"
