"""The bad-input corpus: every kind of wrong file the issue names, through the command line and
through the board's web upload, each refused with a message that names the file (and the row and
column where there is one), with the database exactly as it was.

And the other side: the valid variants of the inspectorate's file (CSV with either separator and
decimal sign, XLSX, without the computed columns) import with the same figures as the ODS.
The files are built from the excerpts in tests/insight/data (see tests/insight/excerpts.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from stelsel.insight.imports import import_results, import_schoolweging
from stelsel.insight.models import (
    DataImport,
    Ovt,
    PoResult,
    PublishedOutcome,
    Schoolweging,
    Signal,
)
from stelsel.insight.outcomes import po_outcomes
from stelsel.organisations.roles import Role
from tests.insight import excerpts

pytestmark = pytest.mark.django_db

RESULTS = "inspectie-results"
SCHOOLWEGING = "schoolweging"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def counts() -> tuple[int, ...]:
    return (
        Ovt.objects.count(),
        PoResult.objects.count(),
        PublishedOutcome.objects.count(),
        Schoolweging.objects.count(),
        DataImport.objects.count(),
        Signal.objects.count(),
    )


def rows() -> list[list[str]]:
    return excerpts.results_rows()


def changed(row: int, column: int, value: str) -> list[list[str]]:
    """The excerpt with one cell changed; `row` as a spreadsheet numbers it (1 = header)."""
    table = rows()
    table[row - 1][column] = value
    return table


def without_column(name: str) -> list[list[str]]:
    table = rows()
    index = table[0].index(name)
    return [row[:index] + row[index + 1 :] for row in table]


def with_column(name: str, values: dict[int, str]) -> list[list[str]]:
    table = rows()
    table[0].append(name)
    for number, row in enumerate(table[1:], start=2):
        row.append(values.get(number, ""))
    return table


def schoolweging_changed(sheet: str, row: int, column: int, value: str) -> bytes:
    sheets = excerpts.schoolweging_sheets()
    sheets[sheet][row - 1][column] = value
    return excerpts.to_ods(sheets)


@dataclass
class Case:
    """A bad file: its kind, name and bytes, and what the message must say.

    `where` is the place as the message names it ("row 4, column X"); the file's name is always
    in the message. `web` is what the upload form says instead, where the form itself refuses
    the file before it is read (an empty or oversized upload).
    """

    id: str
    kind: str
    name: str
    build: Callable[[], bytes]
    says: str
    where: str = ""
    web: str = ""
    settings: dict = field(default_factory=dict)


CASES = [
    Case(
        "duo-locations-as-results",
        RESULTS,
        "alle-vestigingen-bo.csv",
        excerpts.DUO_LOCATIONS.read_bytes,
        "this is a DUO file of school locations, not the inspectorate's results file for "
        "primary education; expected the columns ovt, Gemiddelde %1F <jaar>",
    ),
    Case(
        "schoolweging-as-results",
        RESULTS,
        "schoolweging.ods",
        excerpts.SCHOOLWEGING.read_bytes,
        "this is the inspectorate's schoolweging file, not the inspectorate's results file",
    ),
    Case(
        "results-as-schoolweging",
        SCHOOLWEGING,
        "leerresultaten.ods",
        excerpts.RESULTS.read_bytes,
        "this is the inspectorate's results file for primary education, not the "
        "inspectorate's schoolweging file",
    ),
    Case(
        "duo-locations-as-schoolweging",
        SCHOOLWEGING,
        "alle-vestigingen-bo.csv",
        excerpts.DUO_LOCATIONS.read_bytes,
        "this is a DUO file of school locations, not the inspectorate's schoolweging file",
    ),
    Case(
        "missing-column",
        RESULTS,
        "zonder-kolom.csv",
        lambda: excerpts.to_csv(without_column("Aantal leerlingen 2425")),
        "the column “Aantal leerlingen 2025” is missing",
        "row 1",
    ),
    Case(
        "renamed-column",
        RESULTS,
        "hernoemd.csv",
        lambda: excerpts.to_csv(
            [["Leerlingen 2223" if c == "Aantal leerlingen 2223" else c for c in rows()[0]]]
            + rows()[1:]
        ),
        "unknown column “Leerlingen 2223”",
        "row 1, column Leerlingen 2223",
    ),
    Case(
        "some-computed-columns-missing",
        RESULTS,
        "half-berekend.csv",
        lambda: excerpts.to_csv(without_column("Uitkomst indicator 1F")),
        "some of the inspectorate's computed columns are missing: uitkomst indicator 1f",
        "row 1",
    ),
    Case(
        "percentage-above-100",
        RESULTS,
        "te-hoog.csv",
        lambda: excerpts.to_csv(changed(4, 1, "101,5")),
        "expected a percentage between 0 and 100, found 101,5",
        "row 4, column Gemiddelde %1F 2223",
    ),
    Case(
        "published-average-above-100",
        RESULTS,
        "gemiddelde-te-hoog.csv",
        lambda: excerpts.to_csv(changed(5, 14, "100,5")),
        "expected a percentage between 0 and 100, found 100,5",
        "row 5, column Gewogen driejaarsgemiddelde %1F",
    ),
    Case(
        "negative-pupils",
        RESULTS,
        "negatief.csv",
        lambda: excerpts.to_csv(changed(5, 6, "-3")),
        "expected a number of pupils (a whole number, 0 or more), found -3",
        "row 5, column Aantal leerlingen 2324",
    ),
    Case(
        "pupils-not-whole",
        RESULTS,
        "halve-leerling.csv",
        lambda: excerpts.to_csv(changed(6, 3, "12,5")),
        "expected a number of pupils (a whole number, 0 or more), found 12,5",
        "row 6, column Aantal leerlingen 2223",
    ),
    Case(
        "target-above-fundamental",
        RESULTS,
        "omgekeerd.csv",
        lambda: excerpts.to_csv(changed(2, 2, "95,5")),
        "%1S/2F (95.5) cannot be higher than %1F (94.44)",
        "row 2, column Gemiddelde %1S/2F 2223",
    ),
    Case(
        "duplicate-ovt",
        RESULTS,
        "dubbel.csv",
        lambda: excerpts.to_csv(rows() + [rows()[3]]),
        "00FE|C1 appears twice (also in row 4)",
        "row 63, column ovt",
    ),
    Case(
        "duplicate-ovt-in-schoolweging",
        SCHOOLWEGING,
        "schoolweging-dubbel.ods",
        lambda: schoolweging_changed("2022-2023", 5, 0, "00AP|C1"),
        "00AP|C1 appears twice (also in row 2)",
        "2022-2023, row 5, column OVT",
    ),
    Case(
        "not-an-ovt-code",
        RESULTS,
        "vestigingscode.csv",
        lambda: excerpts.to_csv(changed(3, 0, "00AV00")),
        "expected an OVT code such as 00AP|C1, found “00AV00”",
        "row 3, column ovt",
    ),
    Case(
        "mixed-decimal-signs",
        RESULTS,
        "gemengd.csv",
        lambda: excerpts.to_csv(changed(7, 2, "74.44")),
        "“74.44” uses another decimal sign than the rows above it (,)",
        "row 7, column Gemiddelde %1S/2F 2223",
    ),
    Case(
        "thousands-separator",
        RESULTS,
        "duizendtal.csv",
        lambda: excerpts.to_csv(changed(2, 3, "1.018,0")),
        "expected a number of pupils, found “1.018,0”",
        "row 2, column Aantal leerlingen 2223",
    ),
    Case(
        "mixed-decimal-signs-in-schoolweging",
        SCHOOLWEGING,
        "schoolweging-gemengd.ods",
        lambda: schoolweging_changed("Driejaarsgemiddelde", 6, 3, "30,12"),
        "“30,12” uses another decimal sign than the rows above it (.)",
        "Driejaarsgemiddelde, row 6, column schoolweging 2021-2022, 2022-2023, 2023-2024",
    ),
    Case(
        "bad-board-number-in-schoolweging",
        SCHOOLWEGING,
        "schoolweging-bgnr.ods",
        lambda: schoolweging_changed("2023-2024", 3, 2, "41646X"),
        "expected a board number of up to 5 digits, found “41646X”",
        "2023-2024, row 3, column BGNR",
    ),
    Case(
        "empty-file",
        RESULTS,
        "leeg.csv",
        lambda: b"",
        "the file is empty",
        web="The submitted file is empty.",
    ),
    Case("blank-file", SCHOOLWEGING, "spaties.csv", lambda: b"\r\n  \r\n", "the file is empty"),
    Case(
        "header-without-schools",
        RESULTS,
        "alleen-kop.csv",
        lambda: excerpts.to_csv(rows()[:1]),
        "the file has a header but no schools",
    ),
    Case(
        "over-the-size-limit",
        RESULTS,
        "groot.ods",
        excerpts.RESULTS.read_bytes,
        "the file is larger than 1000\xa0bytes, the most Stelsel reads",
        web="The file is larger than 1000\xa0bytes, the most Stelsel reads.",
        settings={"INSIGHT_MAX_UPLOAD_BYTES": 1000},
    ),
    Case(
        "formula-in-xlsx",
        RESULTS,
        "formule.xlsx",
        lambda: excerpts.to_xlsx(rows(), formulas={"B3": "=1+1"}),
        "holds a formula (=1+1); save the sheet with values only",
        "Data, row 3, column B",
    ),
    Case(
        "formula-in-ods",
        RESULTS,
        "formule.ods",
        lambda: excerpts.to_ods(
            {"Data": rows()}, formulas={("Data", 4, 3): 'HYPERLINK("https://example.org";"x")'}
        ),
        'holds a formula (HYPERLINK("https://example.org";"x"))',
        "Data, row 4, column C",
    ),
    Case(
        "formula-in-csv",
        RESULTS,
        "formule.csv",
        lambda: excerpts.to_csv(changed(5, 1, '=HYPERLINK("https://x.nl","x")')),
        'holds a formula (=HYPERLINK("https://x.nl","x")); save the file with values only',
        "row 5, column Gemiddelde %1F 2223",
    ),
    Case(
        "formula-in-schoolweging-ods",
        SCHOOLWEGING,
        "schoolweging-formule.ods",
        lambda: excerpts.to_ods(
            excerpts.schoolweging_sheets(), formulas={("2021-2022", 2, 4): "AVERAGE(D3:D9)"}
        ),
        "holds a formula (AVERAGE(D3:D9))",
        "2021-2022, row 2, column D",
    ),
    Case(
        "password-protected-workbook",
        RESULTS,
        "beveiligd.xlsx",
        lambda: OLE2 + bytes(4088),
        "this is a password-protected or old binary (.xls) workbook; save it without a "
        "password as .xlsx, .ods or .csv",
    ),
    Case(
        "not-a-spreadsheet",
        RESULTS,
        "archief.xlsx",
        lambda: b"PK\x03\x04" + bytes(200),
        "not a readable spreadsheet (.ods, .xlsx) or CSV file",
    ),
    Case(
        "pupil-names-and-birth-dates",
        RESULTS,
        "leerlingen.csv",
        lambda: excerpts.to_csv(
            [["Naam", "Geboortedatum", "BSN"], ["Sanne de Vries", "2013-04-02", "111222333"]]
        ),
        "this looks like data about individual pupils (column “Naam”); Stelsel holds figures "
        "per school only",
        "row 1, column Naam",
    ),
    Case(
        "pupil-column-in-the-results",
        RESULTS,
        "met-geboortedatum.csv",
        lambda: excerpts.to_csv(with_column("Geboortedatum", {2: "2013-04-02"})),
        "this looks like data about individual pupils (column “Geboortedatum”)",
        "row 1, column Geboortedatum",
    ),
    Case(
        "citizen-service-number",
        RESULTS,
        "met-bsn.csv",
        lambda: excerpts.to_csv(with_column("Opmerking", {9: "111222333"})),
        "this looks like a citizen service number; Stelsel holds figures per school only",
        "row 9, column Opmerking",
    ),
    Case(
        "citizen-service-number-in-schoolweging",
        SCHOOLWEGING,
        "schoolweging-bsn.ods",
        lambda: schoolweging_changed("2023-2024", 4, 1, "111222333"),
        "this looks like a citizen service number",
        "2023-2024, row 4, column Naam",
    ),
]


@pytest.fixture
def loaded():
    """Data already in Stelsel, so 'nothing changed' means something: the excerpts imported."""
    import_schoolweging(excerpts.SCHOOLWEGING.read_bytes(), "schoolweging.ods")
    import_results(excerpts.RESULTS.read_bytes(), "leerresultaten.ods")
    assert all(counts()[:5])


@pytest.fixture
def board(world, loaded):
    return excerpts.board_41646(board=world.board)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_command_line_refuses_it_with_where_and_what(case, loaded, tmp_path, settings):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    path = tmp_path / case.name
    path.write_bytes(case.build())
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("import", case.kind, str(path), stdout=StringIO())
    message = str(refused.value)
    assert message.startswith(str(path)), message
    assert case.says in message, message
    assert f", {case.where}: " in message if case.where else True, message
    assert message.endswith("; nothing was changed")
    assert counts() == before


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_web_upload_refuses_it_on_the_form(case, english, client, world, board, settings):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    before = counts()
    response = client.post(
        reverse("insight:import", args=[board.pk]),
        {"kind": case.kind, "file": SimpleUploadedFile(case.name, case.build())},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    if case.web:
        assert error == case.web
    else:
        assert error.startswith(case.name), error
        assert case.says in error, error
        assert f", {case.where}: " in error if case.where else True, error
    assert response.context["previews"] == []
    assert "Nothing was imported" in response.content.decode()
    assert counts() == before


def test_the_corpus_covers_every_kind_of_bad_input_the_issue_names():
    named = {
        "duo-locations-as-results",
        "missing-column",
        "renamed-column",
        "percentage-above-100",
        "negative-pupils",
        "duplicate-ovt",
        "mixed-decimal-signs",
        "empty-file",
        "over-the-size-limit",
        "formula-in-xlsx",
        "formula-in-ods",
        "formula-in-csv",
        "password-protected-workbook",
        "pupil-names-and-birth-dates",
        "citizen-service-number",
    }
    assert named <= {case.id for case in CASES}


# --- a schoolweging of another period ---------------------------------------------------------


def test_results_without_their_schoolweging_are_refused_when_another_period_is_stored(
    tmp_path,
):
    """The command line: the schoolweging of 2020/2021-2022/2023 is stored, the results
    2023-2025 need 2021/2022-2023/2024 and have no schoolweging of their own."""
    other = tmp_path / "schoolweging-2020-2023.ods"
    other.write_bytes(excerpts.schoolweging_of_other_period())
    call_command("import", SCHOOLWEGING, str(other), stdout=StringIO())
    path = tmp_path / "zonder-berekening.csv"
    path.write_bytes(excerpts.to_csv(excerpts.without_computed(rows())))
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("import", RESULTS, str(path), stdout=StringIO())
    assert str(refused.value) == (
        f"{path}: these results (2023-2025) need the schoolweging of 2021/2022-2023/2024, but "
        "Stelsel holds the schoolweging of 2020/2021-2022/2023 only; import the right "
        "schoolweging file first; nothing was changed"
    )
    assert counts() == before


def test_a_schoolweging_of_another_period_uploaded_with_the_results_is_refused(
    english, client, world, board
):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    before = counts()
    response = client.post(
        reverse("insight:import", args=[board.pk]),
        {
            "kind": RESULTS,
            "file": SimpleUploadedFile("leerresultaten.ods", excerpts.RESULTS.read_bytes()),
            "schoolweging_file": SimpleUploadedFile(
                "schoolweging-2020-2023.ods", excerpts.schoolweging_of_other_period()
            ),
        },
    )
    (error,) = response.context["form"].errors["schoolweging_file"]
    assert error.startswith("schoolweging-2020-2023.ods: this is the schoolweging of ")
    assert "need the schoolweging of 2021/2022-2023/2024" in error
    assert counts() == before


def test_a_bad_schoolweging_file_uploaded_with_good_results_stops_both(
    english, client, world, board
):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    before = counts()
    response = client.post(
        reverse("insight:import", args=[board.pk]),
        {
            "kind": RESULTS,
            "file": SimpleUploadedFile("leerresultaten.ods", excerpts.RESULTS.read_bytes()),
            "schoolweging_file": SimpleUploadedFile("schoolweging.xlsx", OLE2 + bytes(100)),
        },
    )
    (error,) = response.context["form"].errors["schoolweging_file"]
    assert "password-protected" in error
    assert "file" not in response.context["form"].errors
    assert counts() == before


# --- BRINs Stelsel does not know: reported, never dropped ---------------------------------------


def test_unknown_brins_are_imported_and_named_by_the_command_line(tmp_path):
    output = StringIO()
    call_command("import", RESULTS, str(excerpts.RESULTS), stdout=output)
    text = output.getvalue()
    assert "OVTs whose BRIN matches no school in Stelsel: 61" in text
    assert "BRIN matches no school in Stelsel (stored, not linked): 00AP|C1, " in text
    assert Ovt.objects.count() == 61


# --- the valid variants ---------------------------------------------------------------------


def _stored() -> dict:
    return {
        (o.ovt, o.indicator): (o.percentage, o.pupils, o.outcome, o.published_outcome)
        for o in po_outcomes()
    }


VALID = {
    "semicolon-decimal-comma.csv": lambda: excerpts.to_csv(rows(), ";"),
    "comma-decimal-point.csv": lambda: excerpts.to_csv(excerpts.with_decimal_point(rows()), ","),
    "windows-1252.csv": lambda: excerpts.to_csv(rows(), ";", encoding="cp1252"),
    "utf-8-bom.csv": lambda: b"\xef\xbb\xbf" + excerpts.to_csv(rows()),
    "excerpt.xlsx": lambda: excerpts.to_xlsx(rows()),
    "excerpt.ods": lambda: excerpts.to_ods({"Toelichting": [["Uitleg"]], "Data": rows()}),
}


@pytest.fixture
def reference():
    """The figures Stelsel holds after importing the published ODS."""
    import_results(excerpts.RESULTS.read_bytes(), "leerresultaten.ods")
    figures = _stored()
    Ovt.objects.all().delete()
    DataImport.objects.all().delete()
    return figures


@pytest.mark.parametrize("name", sorted(VALID))
def test_a_valid_variant_imports_the_same_figures(name, reference, tmp_path):
    path = tmp_path / name
    path.write_bytes(VALID[name]())
    output = StringIO()
    call_command("import", RESULTS, str(path), stdout=output)
    assert "differences from the published values: 0" in output.getvalue()
    assert _stored() == reference


@pytest.mark.parametrize("name", sorted(VALID))
def test_a_valid_variant_previews_without_differences_on_the_web(
    name, english, client, world, board
):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(
        reverse("insight:import", args=[board.pk]),
        {"kind": RESULTS, "file": SimpleUploadedFile(name, VALID[name]())},
    )
    assert response.context["form"].errors == {}
    (preview,) = response.context["previews"]
    assert len(preview["report"].kept) == 25 and preview["report"].differences == []


def test_the_comma_separated_file_really_uses_points():
    text = VALID["comma-decimal-point.csv"]().decode()
    assert "94.44" in text and "94,44" not in text and '"[31,32)"' in text
    assert re.search(r"^ovt,Gemiddelde %1F 2223,", text)


def test_without_the_computed_columns_the_outcomes_are_the_published_ones(reference, tmp_path):
    """With the schoolweging from the schoolweging file, as `signals --json` shows them."""
    call_command("import", SCHOOLWEGING, str(excerpts.SCHOOLWEGING), stdout=StringIO())
    path = tmp_path / "zonder-berekening.xlsx"
    path.write_bytes(excerpts.to_xlsx(excerpts.without_computed(rows())))
    call_command("import", RESULTS, str(path), stdout=StringIO())
    ours = _stored()
    masked = {row[0] for row in rows()[1:] if "*" in row[1:10]}
    compared = 0
    for (ovt, indicator), (percentage, pupils, outcome, _published) in reference.items():
        if ovt in masked:
            continue
        assert ours[(ovt, indicator)][:3] == (percentage, pupils, outcome), ovt
        compared += 1
    assert compared == 2 * (61 - len(masked))
