"""A school's own figures from another system's export: read as CSV, XLSX or ODS through a
column mapping, planned row by row with every problem named, and applied at once or not at all."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from stelsel.insight.models import (
    ColumnMapping,
    DataImport,
    ImportKind,
    Measurement,
    Signal,
    SignalKind,
)
from stelsel.insight.own_figures import (
    BY_NAME,
    Mapping,
    apply_own_figures,
    column_mapping_save,
    outline,
    parse_day,
    plan_own_figures,
    read_export,
)
from stelsel.insight.sheets import DataFileError
from stelsel.organisations.roles import Role
from stelsel.organisations.units import BOARD_UNIT
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective
from tests.factories import grant, make_board, make_school, make_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
D = datetime.date


class Setting:
    """A board with two schools (codes as in the test files), a quality officer, a school
    leader of the first school, and two measured own indicators."""

    def __init__(self):
        self.board = make_board(name="Stichting Eigen Cijfers")
        self.school = make_school(
            self.board, name="De Eigen School", instellingscode="77AA", vestigingscode="77AA00"
        )
        self.other = make_school(
            self.board, name="De Andere School", instellingscode="77BB", vestigingscode="77BB00"
        )
        self.officer = make_user()
        grant(self.officer, self.board, Role.QUALITY_OFFICER)
        self.leader = make_user()
        grant(self.leader, self.board, Role.SCHOOL_LEADER, self.school)
        self.absence = Indicator.objects.create(
            board=self.board,
            perspective=Perspective.AMBITIONS,
            code="VERZ",
            title="Ziekteverzuim leerlingen",
            unit="%",
            direction=Direction.LOWER,
            norm=Decimal(5),
        )
        self.parents = Indicator.objects.create(
            board=self.board,
            perspective=Perspective.EXPECTATIONS,
            code="TEVO",
            title="Tevredenheid ouders",
            unit="cijfer",
        )

    def plan(self, data: bytes, mapping: Mapping, *, file="export.csv", user=None):
        return plan_own_figures(data, file, mapping, board=self.board, user=user or self.officer)


@pytest.fixture
def s():
    return Setting()


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def by_code(s, **extra) -> Mapping:
    values = extra.pop("values", [("Verzuim %", s.absence.pk)])
    return Mapping(values=values, school_column="Vestigingscode", date_column="Peildatum", **extra)


def stored(s):
    return {
        (m.indicator.code, m.school.name if m.school else None, m.measured_on): m.value
        for m in Measurement.objects.select_related("indicator", "school")
    }


# --- Reading the three formats --------------------------------------------------------------


def test_it_reads_a_windows_1252_csv_with_semicolons_and_decimal_commas(s):
    data = (DATA / "eigen-cijfers-verzuim.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    [sheet] = outline(read_export(data, "verzuim.csv"))
    assert sheet["sample"][1][1] == "De Andere School (één locatie)"
    mapping = by_code(
        s, values=[("Verzuim %", s.absence.pk), ("Tevredenheid ouders", s.parents.pk)]
    )
    plan = s.plan(data, mapping)
    assert plan.ok, plan.problems
    assert plan.rows == 3 and plan.empty_cells == 1
    assert plan.counts == {"create": 5}
    assert {
        (v.school.name, v.indicator.split()[0], v.measured_on, v.value) for v in plan.values
    } == {
        ("De Eigen School", "VERZ", D(2025, 10, 1), Decimal("4.5")),
        ("De Eigen School", "TEVO", D(2025, 10, 1), Decimal("7.8")),
        ("De Andere School", "VERZ", D(2025, 10, 1), Decimal("6.1")),
        ("De Eigen School", "VERZ", D(2024, 10, 1), Decimal("5.2")),
        ("De Eigen School", "TEVO", D(2024, 10, 1), Decimal("7.4")),
    }


def test_it_reads_a_csv_with_commas_decimal_points_and_a_bom(s):
    data = b"\xef\xbb\xbf" + csv(
        "Vestigingscode,Peildatum,Verzuim %",
        "77AA00,2025-10-01,4.5",
        "77BB00,2025-10-01,6",
    )
    plan = s.plan(data, by_code(s))
    assert plan.ok and [v.value for v in plan.values] == [Decimal("4.5"), Decimal(6)]


def test_it_reads_an_xlsx_with_brin_and_vestiging_in_two_columns_and_real_dates(s):
    mapping = Mapping(
        values=[("Verzuim", s.absence.pk)],
        school_column="Brin",
        vestiging_column="Vestiging",
        date_column="Datum",
    )
    data = (DATA / "eigen-cijfers-verzuim.xlsx").read_bytes()
    plan = s.plan(data, mapping, file="verzuim.xlsx")
    assert plan.ok, plan.problems
    assert [(v.school, v.measured_on, v.value) for v in plan.values] == [
        (s.school, D(2025, 10, 1), Decimal("4.5")),
        (s.other, D(2025, 10, 1), Decimal("6.25")),
    ]


def test_it_reads_the_sheet_the_mapping_names_in_an_ods_and_schools_by_name(s):
    data = (DATA / "eigen-cijfers-tevredenheid.ods").read_bytes()
    # The sheet of explanation holds no table and is left out.
    assert [sheet["name"] for sheet in outline(read_export(data, "peiling.ods"))] == ["Cijfers"]
    mapping = Mapping(
        values=[("Tevredenheid", s.parents.pk)],
        school_column="School",
        school_by=BY_NAME,
        date=D(2025, 6, 1),
        sheet="Cijfers",
    )
    plan = s.plan(data, mapping, file="peiling.ods")
    assert plan.ok, plan.problems
    assert {(v.school.name, v.value) for v in plan.values} == {
        ("De Eigen School", Decimal("7.8")),
        ("De Andere School", Decimal("8.1")),
    }


def test_a_brin_alone_names_a_school_when_the_board_has_one_location_with_it(s):
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77aa;2025-10-01;4", "77BB 00;2025-10-01;5")
    plan = s.plan(data, by_code(s))
    assert plan.ok and [v.school for v in plan.values] == [s.school, s.other]
    make_school(s.board, name="Dependance", instellingscode="77AA", vestigingscode="77AA01")
    plan = s.plan(data, by_code(s))
    assert [(p.row, p.column) for p in plan.problems] == [(2, "Vestigingscode")]
    assert "several locations" in plan.problems[0].message


def test_one_school_and_one_date_for_the_whole_file(s):
    data = csv("Verzuim %", "4,5")
    mapping = Mapping(
        values=[("Verzuim %", s.absence.pk)], unit=str(s.school.pk), date=D(2025, 1, 6)
    )
    plan = s.plan(data, mapping)
    assert plan.ok and [(v.school, v.measured_on) for v in plan.values] == [
        (s.school, D(2025, 1, 6))
    ]
    board_level = Indicator.objects.create(
        board=s.board,
        perspective=Perspective.AMBITIONS,
        code="PERS",
        title="Verzuim personeel",
        unit="%",
        level=IndicatorLevel.BOARD,
    )
    mapping = Mapping(values=[("Verzuim %", board_level.pk)], unit=BOARD_UNIT, date=D(2025, 1, 6))
    plan = s.plan(data, mapping)
    assert plan.ok and plan.values[0].school is None
    # A school leader does not enter the board's own figures.
    with pytest.raises(DataFileError, match="board office"):
        s.plan(data, mapping, user=s.leader)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-10-01", D(2025, 10, 1)),
        ("2025-10-01T00:00:00", D(2025, 10, 1)),
        ("1-10-2025", D(2025, 10, 1)),
        ("01/10/2025", D(2025, 10, 1)),
        ("1.10.2025", D(2025, 10, 1)),
        ("31-02-2025", None),
        ("10/2025", None),
        ("oktober", None),
    ],
)
def test_dates_are_read_as_exports_write_them(text, day):
    assert parse_day(text) == day


# --- Applying -------------------------------------------------------------------------------


def test_applying_adds_changes_and_keeps_and_records_the_import(s):
    Measurement.objects.create(
        board=s.board, indicator=s.absence, school=s.school, measured_on=D(2025, 10, 1), value=9
    )
    Measurement.objects.create(
        board=s.board, indicator=s.absence, school=s.school, measured_on=D(2024, 10, 1), value="5.2"
    )
    data = (DATA / "eigen-cijfers-verzuim.csv").read_bytes()
    plan = s.plan(data, by_code(s), file="verzuim.csv")
    assert plan.counts == {"create": 1, "update": 1, "unchanged": 1}
    changed = next(v for v in plan.values if v.action == "update")
    assert changed.previous == 9 and changed.value == Decimal("4.5")
    counts = apply_own_figures(plan, board=s.board, user=s.officer, sha256="abc")
    assert counts == {"create": 1, "update": 1, "unchanged": 1}
    assert stored(s) == {
        ("VERZ", "De Eigen School", D(2025, 10, 1)): Decimal("4.5"),
        ("VERZ", "De Eigen School", D(2024, 10, 1)): Decimal("5.2"),
        ("VERZ", "De Andere School", D(2025, 10, 1)): Decimal("6.1"),
    }
    record = DataImport.objects.get()
    assert (record.kind, record.board, record.file_name, record.rows, record.imported_by) == (
        ImportKind.OWN_FIGURES,
        s.board,
        "verzuim.csv",
        3,
        s.officer,
    )
    assert record.summary["created"] == 1 and record.summary["updated"] == 1
    new = Measurement.objects.get(school=s.other)
    assert new.source == "verzuim.csv" and new.entered_by == s.officer
    # The absence above the board's norm of 5% is a signal now.
    assert Signal.objects.filter(kind=SignalKind.OWN_BELOW, school=s.other).exists()


def test_the_mapping_source_is_stored_with_each_value(s):
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4")
    plan = s.plan(data, by_code(s, source="ParnasSys"))
    apply_own_figures(plan, board=s.board, user=s.officer, sha256="")
    assert Measurement.objects.get().source == "ParnasSys"


# --- Bad input: refused with row and column, nothing changed --------------------------------


def problems(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def assert_refused(s, plan, *expected):
    """Each expected (row, column, words) is among the plan's problems; applying writes
    nothing."""
    found = problems(plan)
    for row, column, words in expected:
        assert any(r == row and c == column and words in m for r, c, m in found), found
    before = stored(s)
    with pytest.raises(DataFileError, match="nothing was imported"):
        apply_own_figures(plan, board=s.board, user=s.officer, sha256="")
    assert stored(s) == before
    assert not DataImport.objects.exists()


def test_an_unknown_school_and_another_boards_school_are_refused_with_their_row(s):
    other_board = make_board()
    make_school(other_board, instellingscode="88ZZ", vestigingscode="88ZZ00")
    data = csv(
        "Vestigingscode;Peildatum;Verzuim %",
        "77AA00;2025-10-01;4",
        "99XX00;2025-10-01;4",
        "88ZZ00;2025-10-01;4",
        ";2025-10-01;4",
    )
    plan = s.plan(data, by_code(s))
    assert plan.problem_count == 3
    assert_refused(
        s,
        plan,
        (3, "Vestigingscode", "no school of this board has the code “99XX00”"),
        (4, "Vestigingscode", "“88ZZ00” is a school of another board"),
        (5, "Vestigingscode", "expected a school"),
    )


def test_a_school_leader_enters_figures_for_their_own_school_only(s):
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4", "77BB00;2025-10-01;5")
    plan = s.plan(data, by_code(s), user=s.leader)
    assert_refused(s, plan, (3, "Vestigingscode", "you may not enter figures for De Andere School"))
    fixed = Mapping(values=[("Verzuim %", s.absence.pk)], unit=str(s.other.pk), date=D(2025, 1, 1))
    with pytest.raises(DataFileError, match="may not enter figures"):
        s.plan(csv("Verzuim %", "4"), fixed, user=s.leader)
    foreign = make_school(make_board())
    fixed = Mapping(values=[("Verzuim %", s.absence.pk)], unit=str(foreign.pk), date=D(2025, 1, 1))
    with pytest.raises(DataFileError, match="not this board's"):
        s.plan(csv("Verzuim %", "4"), fixed)


def test_duplicate_rows_are_refused(s):
    data = csv(
        "Vestigingscode;Peildatum;Verzuim %",
        "77AA00;2025-10-01;4",
        "77BB00;2025-10-01;5",
        "77AA00;1-10-2025;4",
    )
    plan = s.plan(data, by_code(s))
    assert_refused(s, plan, (4, "Verzuim %", "row 2 already gives VERZ"))


def test_bad_dates_and_values_are_refused_with_what_was_expected(s):
    data = csv(
        "Vestigingscode;Peildatum;Verzuim %",
        "77AA00;2099-10-01;4",
        "77AA00;1998-10-01;4",
        "77AA00;morgen;4",
        "77BB00;2025-10-01;140",
        "77BB00;2025-11-01;veel",
        "77BB00;2025-12-01;4,125",
    )
    plan = s.plan(data, by_code(s))
    assert plan.problem_count == 6 and not plan.values
    assert_refused(
        s,
        plan,
        (2, "Peildatum", "in the future"),
        (3, "Peildatum", "2000 or later"),
        (4, "Peildatum", "expected a date such as 2025-10-01"),
        (5, "Verzuim %", "between 0 and 100"),
        (6, "Verzuim %", "expected a number, found “veel”"),
        (7, "Verzuim %", "at most two decimals"),
    )


def test_mixed_decimal_signs_in_one_column_are_refused(s):
    data = csv(
        "Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4,5", "77BB00;2025-10-01;4.5"
    )
    assert_refused(s, s.plan(data, by_code(s)), (3, "Verzuim %", "another decimal sign"))


def test_a_value_for_a_unit_the_indicator_does_not_apply_to_is_refused(s):
    board_level = Indicator.objects.create(
        board=s.board,
        perspective=Perspective.AMBITIONS,
        code="PERS",
        title="Verzuim personeel",
        unit="%",
        level=IndicatorLevel.BOARD,
    )
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4")
    plan = s.plan(data, by_code(s, values=[("Verzuim %", board_level.pk)]))
    assert_refused(s, plan, (2, "Verzuim %", "measured for the board itself"))


def test_a_column_the_mapping_needs_that_the_file_lacks_refuses_the_file(s):
    data = csv("Vestiging;Peildatum;Verzuim", "77AA00;2025-10-01;4")
    with pytest.raises(DataFileError) as caught:
        s.plan(data, by_code(s))
    assert "“Vestigingscode”" in str(caught.value) and "“Verzuim %”" in str(caught.value)


def test_an_indicator_that_is_no_longer_measured_refuses_the_mapping(s):
    s.absence.active = False
    s.absence.save()
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4")
    with pytest.raises(DataFileError, match="no longer measured"):
        s.plan(data, by_code(s))
    other = Indicator.objects.create(
        board=make_board(), perspective="ambitions", code="X", title="X", unit="%"
    )
    with pytest.raises(DataFileError, match="no longer measured"):
        s.plan(data, by_code(s, values=[("Verzuim %", other.pk)]))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Vestigingscode;Peildatum;Verzuim %\r\n", "no rows of figures"),
        (csv("Naam;Geboortedatum;Verzuim %", "Jan;2015-01-01;4"), "individual pupils"),
        (csv("Vestigingscode;BSN;Verzuim %", "77AA00;111222333;4"), "individual pupils"),
        (csv("Vestigingscode;Leerling;Verzuim %", "77AA00;123456782;4"), "citizen service"),
        (csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;=1+3"), "formula"),
        (csv("Verzuim;Verzuim", "4;5"), "two columns are called"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "password-protected"),
    ],
)
def test_whole_files_that_are_not_aggregates_per_school_are_refused(s, data, words):
    with pytest.raises(DataFileError, match=words):
        read_export(data, "export.csv")


def test_a_workbook_with_a_formula_is_refused_before_reading_its_cells(s):
    data = (DATA / "eigen-cijfers-formule.xlsx").read_bytes()
    with pytest.raises(DataFileError, match="formula"):
        read_export(data, "formule.xlsx")


def test_a_percentage_column_of_fractions_gets_a_warning(s):
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;0,045")
    plan = s.plan(data, by_code(s))
    assert not plan.ok  # three decimals
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;0,05")
    plan = s.plan(data, by_code(s))
    assert plan.ok and "between 0 and 1" in plan.warnings[0]


def test_a_problem_found_after_the_preview_changes_nothing(s):
    data = csv("Vestigingscode;Peildatum;Verzuim %", "77AA00;2025-10-01;4")
    plan = s.plan(data, by_code(s))
    # Someone enters the same value between the preview and the confirmation.
    Measurement.objects.create(
        board=s.board, indicator=s.absence, school=s.school, measured_on=D(2025, 10, 1), value=3
    )
    with pytest.raises(DataFileError, match="entered meanwhile"):
        apply_own_figures(plan, board=s.board, user=s.officer, sha256="")
    assert Measurement.objects.get().value == 3
    assert not DataImport.objects.exists()


# --- Saved mappings -------------------------------------------------------------------------


def test_a_mapping_is_saved_under_a_name_and_read_back_the_same(s):
    mapping = Mapping(
        values=[("Verzuim %", s.absence.pk)],
        school_column="Brin",
        vestiging_column="Vestiging",
        date=D(2025, 10, 1),
        sheet="Blad1",
        source="Eduscope",
    )
    saved = column_mapping_save(board=s.board, name=" Verzuim ", mapping=mapping)
    assert saved.name == "Verzuim"
    assert Mapping.from_json(saved.columns) == mapping
    mapping.source = "Eduscope 2"
    column_mapping_save(board=s.board, name="Verzuim", mapping=mapping)
    assert ColumnMapping.objects.get().columns["source"] == "Eduscope 2"
    with pytest.raises(ValidationError):
        column_mapping_save(board=s.board, name="  ", mapping=mapping)


def test_a_saved_mapping_says_which_columns_a_file_lacks(s):
    mapping = by_code(s)
    assert mapping.missing(["Vestigingscode", "Verzuim %"]) == ["Peildatum"]
    assert mapping.missing(["Peildatum", "Vestigingscode", "Verzuim %", "Extra"]) == []


@pytest.mark.parametrize("columns", [{}, {"school": {}}, {"school": {}, "date": {}, "values": 3}])
def test_a_saved_mapping_that_does_not_read_is_refused(columns):
    with pytest.raises(DataFileError, match="cannot be read"):
        Mapping.from_json(columns)
