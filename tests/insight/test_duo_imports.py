"""Importing DUO's exam results and pupil counts: both header generations and encodings, the year,
matching locations to schools, and every kind of bad input refused with where and why, with
nothing changed.

Data (tests/insight/data): `duo-examens-2018-2019-excerpt.csv` holds the original bytes
(Windows-1252) of the first 40 lines of DUO's "geslaagden, gezakten en cijfers 2018-2019", the
five lines of SGM Mariëndael (a non-ASCII name) and the line of VMBO "De Jutter" (a quoted name
with doubled quotes). `duo-examens-nieuw-utf8-bom.csv` is constructed from it in the newer
generation's shape: INSTELLINGSCODE/VESTIGINGSCODE, a SCHOOLJAAR column (2023-2024), UTF-8 with
a byte order mark, padded values, counts of 1-4 hidden as `<5`.
`duo-leerlingen-per-vestiging-constructed.csv` is a constructed pupil-count file of the
documented shape (no sample is published here): rows per location and onderwijstype, a TOTAAL
and a PEILDATUM, one location with a hidden count.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stelsel.insight.duo_files import parse_exams, parse_pupils
from stelsel.insight.duo_imports import (
    PUPILS_CODE,
    import_exams,
    import_pupils,
    plan_exams,
)
from stelsel.insight.models import DataImport, ExamResult, Measurement, Signal, SignalKind
from stelsel.insight.sheets import DataFileError
from stelsel.picture.models import Indicator
from tests.factories import make_board, make_school

DATA = Path(__file__).resolve().parent / "data"
OLD = DATA / "duo-examens-2018-2019-excerpt.csv"
NEW = DATA / "duo-examens-nieuw-utf8-bom.csv"
PUPILS = DATA / "duo-leerlingen-per-vestiging-constructed.csv"
OLD_HEADER = (
    "BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;GEMEENTENAAM VESTIGING;"
    "PROVINCIE VESTIGING;ONDERWIJSTYPE VO;LEERWEG VMBO;VMBO SECTOR;AFDELING;EXAMENKANDIDATEN;"
    "GESLAAGDEN;GEZAKTEN;GEMIDDELD CIJFER SCHOOLEXAMEN;GEMIDDELD CIJFER CENTRAAL EXAMEN;"
    "GEMIDDELD CIJFER CIJFERLIJST"
)
ROW = "00AH;00AH00;Lyceum;ENSCHEDE;Overijssel;HAVO;;;Natuur en Gezondheid;33;29;4;6,5;6,3;6,6"


def exam_file(*rows: str, header: str = OLD_HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def refused(data: bytes, name: str = "examens.csv", **kwargs) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        parse_exams(data, name, **{"year": 2019, **kwargs})
    return info.value


# --- reading both generations ----------------------------------------------------------------


def test_the_older_generation_in_windows_1252():
    parsed = parse_exams(OLD.read_bytes(), OLD.name, year=2019)
    assert len(parsed.rows) == 45
    assert parsed.years == [2019]
    first = parsed.rows[0]
    assert (first.row, first.vestigingscode, first.afdeling, first.programme) == (
        2,
        "00AH00",
        "havo",
        "Cultuur en Maatschappij",
    )
    assert (first.candidates, first.passed, first.failed) == (7, 6, 1)
    assert (first.school_exam_mean, first.central_exam_mean, first.list_mean) == (
        Decimal("6.4"),
        Decimal("6.6"),
        Decimal("6.6"),
    )
    names = {row.name for row in parsed.rows}
    assert "SGM Mariëndael VBO LWOO" in names
    assert 'VMBO "De Jutter" Vlieland' in names
    by_code = {(r.vestigingscode, r.leerweg, r.sector, r.programme): r for r in parsed.rows}
    kader = by_code[("00TQ00", "KL", "Economie", "Handel en Administratie -ISP")]
    assert (kader.afdeling, kader.onderwijstype) == ("vmbo-k", "VMBO")
    assert by_code[("00AH07", "TL", "Economie", "")].afdeling == "vmbo-gt"
    assert by_code[("00AH17", "BL", "Economie", "EO")].afdeling == "vmbo-b"


def test_the_newer_generation_in_utf8_with_a_bom_reads_the_same():
    old = parse_exams(OLD.read_bytes(), OLD.name, year=2019)
    new = parse_exams(NEW.read_bytes(), NEW.name)
    assert new.years == [2024]  # SCHOOLJAAR 2023-2024: the year it ends
    assert len(new.rows) == len(old.rows)
    for a, b in zip(old.rows, new.rows, strict=True):
        assert (a.vestigingscode, a.afdeling, a.programme, a.name) == (
            b.vestigingscode,
            b.afdeling,
            b.programme,
            b.name,  # padded with spaces in the new file: cleaned
        )
        assert a.central_exam_mean == b.central_exam_mean
        for field in ("candidates", "passed", "failed"):
            old_count, new_count = getattr(a, field), getattr(b, field)
            assert new_count == (None if 1 <= old_count <= 4 else old_count)
    assert sum(row.masked for row in new.rows) > 0


def test_counts_hidden_as_less_than_five_stay_empty():
    parsed = parse_exams(exam_file(ROW.replace(";33;29;4;", ";<5;<5;0;")), "e.csv", year=2019)
    row = parsed.rows[0]
    assert (row.candidates, row.passed, row.failed, row.masked) == (None, None, 0, True)


# --- the year ----------------------------------------------------------------------------------


def test_a_file_without_a_year_column_needs_the_year():
    error = refused(OLD.read_bytes(), OLD.name, year=None)
    assert "no column with the school year" in error.reason


def test_the_year_given_must_agree_with_the_file_name():
    error = refused(OLD.read_bytes(), OLD.name, year=2018)
    assert "2018-2019" in error.reason and "2018" in error.reason


def test_the_year_given_must_agree_with_the_schooljaar_column():
    error = refused(NEW.read_bytes(), "examens.csv", year=2023)
    assert (error.row, error.column) == (2, "SCHOOLJAAR")


def test_a_single_year_in_schooljaar_is_ambiguous():
    data = exam_file(ROW + ";2019", header=OLD_HEADER + ";SCHOOLJAAR")
    error = refused(data, year=None)
    assert (error.row, error.column) == (2, "SCHOOLJAAR")
    assert "2018-2019" in error.reason


def test_examenjaar_is_the_year_itself():
    data = exam_file(ROW + ";2019", header=OLD_HEADER + ";EXAMENJAAR")
    assert parse_exams(data, "examens.csv").years == [2019]


# --- bad input ---------------------------------------------------------------------------------


def test_the_locations_file_offered_as_exam_results_is_refused():
    data = (DATA / "duo-alle-vestigingen-bo-excerpt.csv").read_bytes()
    error = refused(data, "alle-vestigingen-bo.csv")
    assert error.row == 1
    assert "ONDERWIJSTYPE VO" in error.reason and "EXAMENKANDIDATEN" in error.reason


def test_a_renamed_column_is_refused_not_guessed():
    data = exam_file(ROW, header=OLD_HEADER.replace("EXAMENKANDIDATEN", "KANDIDATEN"))
    error = refused(data)
    assert "EXAMENKANDIDATEN" in error.reason and error.row == 1


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (ROW.replace(";33;29;4;", ";-3;29;4;"), "EXAMENKANDIDATEN", "0 or more"),
        (ROW.replace(";33;29;4;", ";33,5;29;4;"), "EXAMENKANDIDATEN", "whole number"),
        (ROW.replace(";33;29;4;", ";;29;4;"), "EXAMENKANDIDATEN", "empty"),
        (ROW.replace(";33;29;4;", ";33;34;0;"), "GESLAAGDEN", "more passed"),
        (ROW.replace(";33;29;4;", ";33;29;5;"), "GEZAKTEN", "add up"),
        (ROW.replace(";6,3;", ";11,2;"), "GEMIDDELD CIJFER CENTRAAL EXAMEN", "between 1 and 10"),
        (ROW.replace(";6,3;", ";zes;"), "GEMIDDELD CIJFER CENTRAAL EXAMEN", "mean grade"),
        (ROW.replace(";HAVO;", ";MBO;"), "ONDERWIJSTYPE VO", "VMBO, HAVO or VWO"),
        (ROW.replace(";HAVO;;", ";VMBO;XL;"), "LEERWEG VMBO", "BL, KL, GL or TL"),
        (ROW.replace(";HAVO;;", ";HAVO;TL;"), "LEERWEG VMBO", "no vmbo leerweg"),
        (ROW.replace("00AH;00AH00", "0AH;00AH00"), "BRIN NUMMER", "two digits and two letters"),
        (ROW.replace("00AH;00AH00", "00AH;01AB00"), "VESTIGINGSNUMMER", "followed by two digits"),
        (ROW.replace(";6,5;", ";=1+1;"), "GEMIDDELD CIJFER SCHOOLEXAMEN", "formula"),
    ],
    ids=[
        "negative count",
        "count with decimals",
        "empty count",
        "more passed than candidates",
        "passed and failed do not add up",
        "grade above 10",
        "grade not a number",
        "another onderwijstype",
        "unknown leerweg",
        "leerweg outside vmbo",
        "malformed instellingscode",
        "vestigingscode of another instelling",
        "a formula",
    ],
)
def test_a_bad_value_is_refused_with_its_row_and_column(row, column, words):
    error = refused(exam_file(ROW.replace("Natuur en Gezondheid", "Cultuur en Maatschappij"), row))
    assert (error.file, error.row, error.column) == ("examens.csv", 3, column)
    assert words in error.reason


def test_mixed_decimal_signs_in_one_column_are_refused():
    error = refused(
        exam_file(ROW, ROW.replace("Gezondheid;33;29;4;6,5;6,3", "Techniek;33;29;4;6,5;6.3"))
    )
    assert (error.row, error.column) == (3, "GEMIDDELD CIJFER CENTRAAL EXAMEN")
    assert "decimal sign" in error.reason


def test_a_line_twice_is_refused():
    error = refused(exam_file(ROW, ROW))
    assert (error.row, error.column) == (3, "VESTIGINGSNUMMER")
    assert "row 2" in error.reason


def test_a_truncated_line_is_refused():
    error = refused(exam_file(ROW, ROW.rsplit(";", 3)[0]))
    assert error.row == 3
    assert "15 fields" in error.reason


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "empty"),
        (OLD_HEADER.encode() + b"\r\n", "no rows"),
        (b"PK\x03\x04rest of a workbook", "CSV"),
        (b"\xd0\xcf\x11\xe0 an old workbook", "CSV"),
        (OLD_HEADER.encode() + b"\r\n\x81\x8d", "UTF-8 or Windows-1252"),
        (OLD_HEADER.encode() + b"\r\n00AH\x00;", "NUL"),
    ],
    ids=["empty", "only a BOM", "header only", "xlsx", "xls", "undecodable", "binary"],
)
def test_what_is_not_a_duo_csv_is_refused(data, words):
    assert words in refused(data).reason


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.INSIGHT_MAX_UPLOAD_BYTES = 1000
    assert "larger than" in refused(OLD.read_bytes(), OLD.name).reason


def test_data_about_pupils_is_refused():
    data = exam_file(ROW + ";12-03-2008", header=OLD_HEADER + ";Geboortedatum")
    error = refused(data)
    assert error.column == "Geboortedatum"
    assert "individual pupils" in error.reason


# --- importing exam results ----------------------------------------------------------------------


@pytest.fixture
def schools(db):
    """Two boards with some of the excerpt's locations, and locations Stelsel does not know."""
    own = make_board(number="41646")
    other = make_board(number="41797")
    return {
        "own": own,
        "other": other,
        "00AH00": make_school(own, kind="vo", instellingscode="00AH", vestigingscode="00AH00"),
        "00AH07": make_school(own, kind="vo", instellingscode="00AH", vestigingscode="00AH07"),
        "00TQ00": make_school(other, kind="vo", instellingscode="00TQ", vestigingscode="00TQ00"),
    }


def snapshot():
    return (
        list(ExamResult.objects.order_by("pk").values()),
        list(Measurement.objects.order_by("pk").values()),
        DataImport.objects.count(),
    )


def test_a_board_imports_its_own_locations_and_hears_of_the_rest(schools):
    report = import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019)
    assert report.applied
    assert report.kept == ["00AH00", "00AH07"]
    assert report.other_board == ["00TQ00"]
    assert report.unknown_locations == ["00AH08", "00AH09", "00AH17", "19EO00"]
    assert report.counts["locations_in_file"] == 7
    assert report.counts["exam_lines_imported"] == 25
    assert set(ExamResult.objects.values_list("school__vestigingscode", flat=True)) == {
        "00AH00",
        "00AH07",
    }
    row = ExamResult.objects.get(
        school=schools["00AH07"], leerweg="TL", sector="Economie", programme=""
    )
    assert (row.year, row.afdeling, row.onderwijstype) == (2019, "vmbo-gt", "VMBO")
    assert (row.candidates, row.passed, row.failed) == (72, 66, 6)
    assert row.central_exam_mean == Decimal("6.20")
    record = DataImport.objects.get()
    assert (record.board, record.kind, record.rows) == (schools["own"], "duo-exams", 45)
    assert record.file_name == OLD.name


def test_the_national_import_stores_every_known_location_under_its_board(schools):
    report = import_exams(OLD.read_bytes(), OLD.name, year=2019)
    assert report.kept == ["00AH00", "00AH07", "00TQ00"]
    assert report.other_board == []
    assert report.board_ids == {schools["own"].pk, schools["other"].pk}
    assert ExamResult.objects.filter(school=schools["00TQ00"]).count() == 5


def test_importing_again_replaces_the_year_rather_than_adding(schools):
    import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019)
    first = ExamResult.objects.count()
    import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019)
    assert ExamResult.objects.count() == first
    import_exams(NEW.read_bytes(), NEW.name, board_number="41646")  # another year: beside it
    assert ExamResult.objects.count() == 2 * first
    assert set(ExamResult.objects.values_list("year", flat=True)) == {2019, 2024}
    masked = ExamResult.objects.filter(year=2024, candidates__isnull=True)
    assert masked.exists()


def test_a_dry_run_changes_nothing(schools):
    before = snapshot()
    report = import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019, dry_run=True)
    assert not report.applied and report.kept == ["00AH00", "00AH07"]
    assert snapshot() == before


def test_a_refused_file_changes_nothing(schools):
    import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019)
    before = snapshot()
    broken = OLD.read_bytes().replace(b";34;33;1;", b";34;33;-1;")
    with pytest.raises(DataFileError) as info:
        import_exams(broken, OLD.name, board_number="41646", year=2019)
    assert (info.value.row, info.value.column) == (3, "GEZAKTEN")
    assert snapshot() == before


def test_an_unknown_board_is_refused(schools):
    with pytest.raises(DataFileError):
        plan_exams(OLD.read_bytes(), OLD.name, board_number="99999", year=2019)


def test_a_school_stelsel_holds_as_primary_is_named(schools):
    schools["00AH07"].kind = "bo"
    schools["00AH07"].save()
    report = import_exams(OLD.read_bytes(), OLD.name, board_number="41646", year=2019)
    assert report.not_vo == ["00AH07"]
    assert "00AH07" in report.warnings[0]


def test_the_command_line(schools, capsys):
    call_command("import", "duo-exams", str(OLD), "--board", "41646", "--year", "2019")
    out = capsys.readouterr().out
    assert f"{OLD}: 45 rows, year 2019" in out
    assert "school locations imported: 2" in out
    assert "of other boards or not known as this board's, not imported: 00TQ00" in out
    assert "not known in Stelsel, not imported: 00AH08, 00AH09, 00AH17, 19EO00" in out
    assert "Imported: 2 school locations." in out
    call_command("import", "duo-exams", str(NEW), "--dry-run")
    out = capsys.readouterr().out
    assert "year 2024" in out and "Dry run: nothing was changed." in out


def test_the_command_line_refuses_with_where_and_nothing_changed(schools, tmp_path):
    path = tmp_path / "examens-2018-2019.csv"
    path.write_bytes(OLD.read_bytes().replace(b";6,6;6,6\n", b";6,6;66\n", 1))
    with pytest.raises(CommandError) as info:
        call_command("import", "duo-exams", str(path), "--year", "2019")
    message = str(info.value)
    assert message.startswith(f"{path}, row 2, column GEMIDDELD CIJFER CIJFERLIJST: ")
    assert message.endswith("nothing was changed")
    assert not ExamResult.objects.exists()
    with pytest.raises(CommandError, match="no column with the school year"):
        call_command("import", "duo-exams", str(path))


# --- pupil counts --------------------------------------------------------------------------------


def test_pupil_counts_are_read_per_location_and_group():
    parsed = parse_pupils(PUPILS.read_bytes(), PUPILS.name)
    assert parsed.dates == [date(2023, 10, 1)]
    assert [(r.vestigingscode, r.group, r.pupils) for r in parsed.rows[:3]] == [
        ("00AH00", ("HAVO",), 230),
        ("00AH00", ("VWO",), 155),
        ("00AH07", ("VMBO",), None),
    ]
    assert parsed.rows[0].name == 'Opb SGM "t Stedelijk" Lyceum'


def test_pupils_become_measurements_of_the_boards_own_indicator(schools):
    report = import_pupils(PUPILS.read_bytes(), PUPILS.name, board_number="41646")
    indicator = Indicator.objects.get(board=schools["own"], code=PUPILS_CODE)
    assert (indicator.title, indicator.unit, indicator.level) == (
        "Leerlingen op 1 oktober",
        "leerlingen",
        "school",
    )
    stored = {
        m.school.vestigingscode: (m.measured_on, m.value)
        for m in Measurement.objects.select_related("school")
    }
    assert stored == {"00AH00": (date(2023, 10, 1), Decimal(385))}  # 230 + 155
    assert report.masked == ["00AH07"]  # a hidden count: no exact total, reported
    assert "00AH07" in report.warnings[0]
    assert report.other_board == ["00TQ00"]
    assert report.unknown_locations == ["19EO00"]
    assert report.years == [2024]
    assert report.counts["pupil_counts_imported"] == 1
    assert report.counts["locations_imported"] == 1


def test_pupils_imported_again_update_the_measurement(schools):
    import_pupils(PUPILS.read_bytes(), PUPILS.name)
    assert Measurement.objects.count() == 2  # 00AH00 and 00TQ00, each under its own board
    assert Indicator.objects.filter(code=PUPILS_CODE).count() == 2
    changed = PUPILS.read_bytes().replace(b";115;", b";117;")
    import_pupils(changed, PUPILS.name)
    assert Measurement.objects.count() == 2
    assert Measurement.objects.get(school=schools["00TQ00"]).value == 117


def test_pupils_below_the_boards_norm_bring_a_signal(schools):
    import_pupils(PUPILS.read_bytes(), PUPILS.name, board_number="41646")
    indicator = Indicator.objects.get(board=schools["own"], code=PUPILS_CODE)
    indicator.norm = 400
    indicator.save()
    report = import_pupils(PUPILS.read_bytes(), PUPILS.name, board_number="41646")
    assert report.new_signals == 1
    signal = Signal.objects.get(board=schools["own"])
    assert signal.kind == SignalKind.OWN_BELOW
    assert signal.figures["value"] == "385.00"


def test_older_generation_pupils_with_the_year_given(schools):
    data = (
        "BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;AANTAL LEERLINGEN\r\n"
        "00AH;00;Mariënlust;412\r\n"
    ).encode("cp1252")
    parsed = parse_pupils(data, "leerlingen.csv", year=2024)
    assert [(r.vestigingscode, r.measured_on, r.pupils) for r in parsed.rows] == [
        ("00AH00", date(2023, 10, 1), 412)
    ]
    with pytest.raises(DataFileError, match="no column with the school year"):
        parse_pupils(data, "leerlingen.csv")


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("00AH;00AH00;X;HAVO;1;2;-3;20231001", "TOTAAL", "0 or more"),
        ("00AH;00AH00;X;HAVO;1;2;3;20240115", "PEILDATUM", "1 October"),
        ("00AH;00AH00;X;HAVO;1;2;3;2023-13-01", "PEILDATUM", "a date"),
        ("00AH;00AH00;X;HAVO;1;2;3;20231001", "VESTIGINGSCODE", "twice"),
    ],
    ids=["negative count", "another date", "no date", "the same group twice"],
)
def test_bad_pupil_counts_are_refused(schools, line, column, words):
    data = PUPILS.read_bytes().replace(
        b"\r\n00AH;00AH00;", f"\r\n{line}\r\n00AH;00AH00;".encode(), 1
    )
    before = snapshot()
    with pytest.raises(DataFileError) as info:
        import_pupils(data, PUPILS.name)
    assert (info.value.row, info.value.column) == (3 if column == "VESTIGINGSCODE" else 2, column)
    assert words in info.value.reason
    assert snapshot() == before


def test_an_exam_file_offered_as_pupil_counts_is_refused():
    with pytest.raises(DataFileError) as info:
        parse_pupils(OLD.read_bytes(), OLD.name, year=2019)
    assert "TOTAAL" in info.value.reason and info.value.row == 1


def test_the_pupils_command_line(schools, capsys):
    call_command("import", "duo-pupils", str(PUPILS), "--board", "41646")
    out = capsys.readouterr().out
    assert "pupil counts imported: 1" in out
    assert "school locations whose count DUO hides in part, not imported: 1" in out
    assert "Signals: 0 new." in out


def test_a_citizen_service_number_is_refused_at_its_own_row_after_a_blank_line():
    data = exam_file(ROW, "", ROW.replace("Natuur en Gezondheid", "111222333"))
    error = refused(data)
    assert (error.row, error.column) == (4, "AFDELING")
    assert "citizen service number" in error.reason
