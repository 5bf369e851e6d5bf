"""Writing ODS files: read back by the spreadsheet reader the importers use, cell by cell."""

import io
import zipfile
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from stelsel.lib.ods import ods_bytes


def _read(data: bytes) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def test_text_stays_text_numbers_are_numbers_and_empty_cells_are_empty():
    data = ods_bytes(
        [
            ("Data", [["ovt", "Gemiddelde %1F 2223"], ["00AP|C1", "94,44"]]),
            (
                "Veranderingen_in_'23-24",
                [["A & B <c>", Decimal("31.47"), 85.0, 41646, None, "", "*"]],
            ),
        ]
    )
    sheets = _read(data)
    assert list(sheets) == ["Data", "Veranderingen_in_'23-24"]
    assert sheets["Data"] == [["ovt", "Gemiddelde %1F 2223"], ["00AP|C1", "94,44"]]
    assert sheets["Veranderingen_in_'23-24"] == [["A & B <c>", 31.47, 85.0, 41646.0, "", "", "*"]]


def test_the_file_is_an_opendocument_spreadsheet_and_the_same_every_time():
    data = ods_bytes([("Blad1", [["x"]])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert {"META-INF/manifest.xml", "content.xml", "styles.xml"} <= set(archive.namelist())
    assert ods_bytes([("Blad1", [["x"]])]) == data


@pytest.mark.parametrize(
    "sheets, error",
    [
        ([], ValueError),
        ([("A", [["x"]]), ("A", [["y"]])], ValueError),
        ([("A", [[True]])], TypeError),
    ],
)
def test_what_a_spreadsheet_cannot_hold_is_refused(sheets, error):
    with pytest.raises(error):
        ods_bytes(sheets)
