"""The norms library: the inspectorate's results models as versioned data files.

A file holds one results period's norms. A later period, or a correction, is a new version of
the same id in a file beside it; a stored version never changes, because results were judged
against it. Loading is all-or-nothing and idempotent, like the framework library.
"""

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from stelsel.insight.models import NormBand, NormTable, VoNorm
from stelsel.insight.po_model import Norms
from stelsel.lib.yamlfiles import (
    DataFileError,
    LoadResult,
    Loc,
    load_library,
    parse_yaml,
    read_text,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BandSpec(_Spec):
    lower: Decimal = Field(ge=0, le=100)
    upper: Decimal = Field(ge=0, le=100)
    target_norm: Decimal = Field(ge=0, le=100)


class VoNormSpec(_Spec):
    indicator: str = Field(pattern=r"^[a-z_-]{3,40}$")
    afdeling: str = Field(default="", max_length=40)
    norm: Decimal
    corrections: dict[str, Decimal] = {}


class NormsSpec(_Spec):
    id: str = Field(pattern=r"^[a-z0-9-]{3,80}$")
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    sector: str = Field(pattern=r"^(po|vo)$")
    first_year: int = Field(ge=2000, le=2100)
    last_year: int = Field(ge=2000, le=2100)
    fundamental_norm: Decimal = Field(default=Decimal(0), ge=0, le=100)
    small_school_pupils: int = Field(default=0, ge=0)
    masked_below: int = Field(default=0, ge=0)
    source: str = Field(default="", max_length=300)
    bands: list[BandSpec] = []
    vo_norms: list[VoNormSpec] = []

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class NormsFileError(DataFileError):
    pass


def _integrity(spec: NormsSpec) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if spec.last_year != spec.first_year + 2:
        problems.append((("last_year",), "a results period is three years: first_year + 2"))
    if spec.sector == "po":
        if not spec.bands:
            problems.append((("bands",), "a primary results model needs its 1S/2F bands"))
        for index, band in enumerate(spec.bands):
            if band.upper <= band.lower:
                problems.append((("bands", index, "upper"), "upper must be above lower"))
            if index and band.lower != spec.bands[index - 1].upper:
                problems.append(
                    (("bands", index, "lower"), "bands must follow on without gaps or overlaps")
                )
    elif spec.bands:
        problems.append((("bands",), "only a primary results model has schoolweging bands"))
    return problems


def parse_norms_file(path: Path) -> NormsSpec:
    return parse_yaml(
        read_text(path, error=NormsFileError),
        model=NormsSpec,
        integrity=_integrity,
        file=str(path),
        error=NormsFileError,
    )


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def norms_load(paths: list[Path] | None = None) -> LoadResult:
    return load_library(
        list(paths) if paths else library_files(),
        parse_file=parse_norms_file,
        stored={
            (slug, version): content_hash
            for slug, version, content_hash in NormTable.objects.values_list(
                "slug", "version", "content_hash"
            )
        },
        store=lambda spec: norm_table_store(spec=spec),
        error=NormsFileError,
        in_use="in use",
    )


def norms_ensure_loaded() -> None:
    """Load the shipped norms if they are not all stored yet (imports need them)."""
    stored = set(NormTable.objects.values_list("slug", "version"))
    if any(
        (spec.id, spec.version) not in stored for spec in map(parse_norms_file, library_files())
    ):
        norms_load()


@transaction.atomic
def norm_table_store(*, spec: NormsSpec) -> NormTable:
    table = NormTable.objects.create(
        slug=spec.id,
        version=spec.version,
        name=spec.name,
        sector=spec.sector,
        first_year=spec.first_year,
        last_year=spec.last_year,
        fundamental_norm=spec.fundamental_norm,
        small_school_pupils=spec.small_school_pupils,
        masked_below=spec.masked_below,
        source=spec.source,
        content_hash=spec.content_hash(),
    )
    NormBand.objects.bulk_create(
        NormBand(table=table, lower=b.lower, upper=b.upper, target_norm=b.target_norm)
        for b in spec.bands
    )
    VoNorm.objects.bulk_create(
        VoNorm(
            table=table,
            indicator=n.indicator,
            afdeling=n.afdeling,
            norm=n.norm,
            corrections={k: str(v) for k, v in n.corrections.items()},
        )
        for n in spec.vo_norms
    )
    return table


def po_norms_by_period() -> dict[int, Norms]:
    """The primary norms per last year of their period: the newest version of each period."""
    found: dict[int, Norms] = {}
    tables = NormTable.objects.filter(sector="po").prefetch_related("bands").order_by("-version")
    for table in tables:
        if table.last_year in found:
            continue
        found[table.last_year] = Norms(
            fundamental=table.fundamental_norm,
            bands=tuple((b.lower, b.upper, b.target_norm) for b in table.bands.all()),
            small_school_pupils=table.small_school_pupils,
        )
    return found
