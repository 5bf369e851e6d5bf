"""The norms library: shipped tables load once, a stored version never changes, files are
checked with the line of each problem."""

from decimal import Decimal

import pytest

from stelsel.insight.library import (
    NormsFileError,
    library_files,
    norms_ensure_loaded,
    norms_load,
    po_norms_by_period,
)
from stelsel.insight.models import NormTable

pytestmark = pytest.mark.django_db

SHIPPED = library_files()[0].read_text(encoding="utf-8")


def test_the_shipped_tables_load_once_and_hold_the_published_values():
    result = norms_load()
    assert "po-leerresultaten v1" in result.created
    assert norms_load().created == []
    norms_ensure_loaded()
    assert NormTable.objects.filter(slug="po-leerresultaten").count() == 1
    norms = po_norms_by_period()[2025]
    assert norms.fundamental == 85
    assert norms.bands[0] == (Decimal(20), Decimal(21), Decimal("68.3"))
    assert norms.target_norm(Decimal(40)) == ("[39,40)", Decimal("30.3"))
    assert norms.target_norm(Decimal("31.47"))[1] == Decimal("43.5")
    assert len(norms.bands) == 20


def test_a_later_period_is_a_new_version_beside_the_first(tmp_path):
    norms_load()
    later = (
        SHIPPED.replace("version: 1", "version: 2")
        .replace("first_year: 2023", "first_year: 2024")
        .replace("last_year: 2025", "last_year: 2026")
        .replace("target_norm: 68.3", "target_norm: 69.0")
    )
    path = tmp_path / "po-leerresultaten-2024-2026.yaml"
    path.write_text(later, encoding="utf-8")
    assert norms_load([path]).created == ["po-leerresultaten v2"]
    by_period = po_norms_by_period()
    assert by_period[2025].bands[0][2] == Decimal("68.3")
    assert by_period[2026].bands[0][2] == Decimal("69.0")


def test_a_stored_version_cannot_change(tmp_path):
    norms_load()
    path = tmp_path / "changed.yaml"
    path.write_text(SHIPPED.replace("target_norm: 68.3", "target_norm: 70"), encoding="utf-8")
    with pytest.raises(NormsFileError) as caught:
        norms_load([path])
    assert "store the changed content as version 2" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("last_year: 2025", "last_year: 2026"), "three years"),
        (("{lower: 21, upper: 22", "{lower: 21.5, upper: 22"), "without gaps"),
        (("target_norm: 68.3", "target_norm: 168.3"), "less than or equal to 100"),
        (("sector: po", "sector: mbo"), "does not match"),
    ],
)
def test_a_damaged_file_is_refused_with_the_line(tmp_path, change, message):
    path = tmp_path / "damaged.yaml"
    path.write_text(SHIPPED.replace(*change), encoding="utf-8")
    with pytest.raises(NormsFileError) as caught:
        norms_load([path])
    assert message in str(caught.value)
    assert f"{path}:" in str(caught.value)
    assert not NormTable.objects.exists()
