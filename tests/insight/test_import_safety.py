"""Files that would otherwise be read wrongly or at great cost: a row split on a decimal comma,
a workbook that unpacks to far more than it weighs, and a re-import that says less than the
one before it."""

import io
import zipfile

import pytest

from stelsel.insight.imports import import_results
from stelsel.insight.models import Ovt, PoResult, PublishedOutcome
from stelsel.insight.outcomes import po_outcomes
from stelsel.insight.sheets import DataFileError, read_tables
from tests.insight import excerpts

pytestmark = pytest.mark.django_db


def test_a_row_split_on_a_decimal_comma_is_refused_not_stored_as_other_numbers():
    """`,`-separated with an unquoted decimal comma: "47,5" becomes two cells, and every value
    after it moves one column to the right."""
    rows = excerpts.without_computed(excerpts.results_rows())
    text = "\n".join(",".join(row) for row in rows).encode()
    with pytest.raises(DataFileError) as refused:
        import_results(text, "komma.csv")
    assert "row 2" in str(refused.value)
    assert "decimal comma" in str(refused.value)
    assert not Ovt.objects.exists() and not PoResult.objects.exists()


def test_a_value_under_an_empty_header_cell_is_refused():
    rows = excerpts.without_computed(excerpts.results_rows())
    rows = [[*rows[0], ""], *[[*row, ""] for row in rows[1:-1]], [*rows[-1], "12"]]
    with pytest.raises(DataFileError) as refused:
        import_results(excerpts.to_csv(rows), "extra.csv")
    assert f"row {len(rows)}" in str(refused.value)
    assert "column K" in str(refused.value)


def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_refused_before_reading(settings):
    settings.INSIGHT_MAX_UPLOAD_BYTES = 100_000
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<x>" + b" " * 5_000_000 + b"</x>")
    data = packed.getvalue()
    assert len(data) < 100_000
    with pytest.raises(DataFileError) as refused:
        read_tables(data, "bom.ods")
    assert "unpacks to more than" in str(refused.value)


def test_a_reimport_without_computed_columns_keeps_the_published_outcomes():
    """The file without the inspectorate's columns says nothing about them: a masked school
    keeps the outcome the inspectorate published."""
    import_results(excerpts.RESULTS.read_bytes(), "leerresultaten.ods")
    before = {(o.ovt, o.indicator): (o.outcome, o.source) for o in po_outcomes()}
    assert before[("03GP|C1", "1F")] == ("small_school", "published")
    published = PublishedOutcome.objects.count()
    rows = excerpts.without_computed(excerpts.results_rows())
    import_results(excerpts.to_csv(rows), "zonder-berekening.csv")
    assert PublishedOutcome.objects.count() == published
    after = {(o.ovt, o.indicator): (o.outcome, o.source) for o in po_outcomes()}
    assert after == before
