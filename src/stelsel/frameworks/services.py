"""Loading framework files into the database: validated, idempotent, immutable per version."""

from pathlib import Path

from django.db import transaction
from django.db.models import Max

from stelsel.frameworks.models import (
    Area,
    Framework,
    FrameworkVersion,
    Requirement,
    Scale,
    ScaleLevel,
    Standard,
)
from stelsel.frameworks.schema import (
    FrameworkFileError,
    FrameworkSpec,
    parse_framework_file,
)
from stelsel.lib.yamlfiles import LoadResult, load_library

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def frameworks_load(paths: list[Path] | None = None) -> LoadResult:
    """Validate every file first; load nothing unless all are valid (one transaction)."""
    return load_library(
        list(paths) if paths else library_files(),
        parse_file=parse_framework_file,
        stored={
            (slug, version): content_hash
            for slug, version, content_hash in FrameworkVersion.objects.values_list(
                "framework__slug", "version", "content_hash"
            )
        },
        store=lambda spec: framework_version_store(spec=spec),
        error=FrameworkFileError,
        in_use="published",
    )


@transaction.atomic
def framework_version_store(*, spec: FrameworkSpec) -> FrameworkVersion:
    framework, _created = Framework.objects.get_or_create(
        slug=spec.id, defaults={"name": spec.name}
    )
    newest = framework.versions.aggregate(newest=Max("version"))["newest"] or 0
    if spec.version > newest and framework.name != spec.name:
        framework.name = spec.name
        framework.save(update_fields=["name"])
    version = FrameworkVersion.objects.create(
        framework=framework,
        version=spec.version,
        name=spec.name,
        sector=spec.sector,
        level=spec.level,
        valid_from=spec.valid_from,
        source=spec.source,
        description=spec.description,
        content_hash=spec.content_hash(),
    )
    scales = {}
    for position, scale_spec in enumerate(spec.scales):
        scale = Scale.objects.create(
            framework_version=version, code=scale_spec.code, name=scale_spec.name, position=position
        )
        ScaleLevel.objects.bulk_create(
            ScaleLevel(
                scale=scale, code=level.code, label=level.label, tone=level.tone, position=index
            )
            for index, level in enumerate(scale_spec.levels)
        )
        scales[scale.code] = scale
    version.default_scale = scales[spec.default_scale]
    version.save(update_fields=["default_scale"])
    areas = {}
    for position, area_spec in enumerate(spec.areas):
        areas[area_spec.code] = Area.objects.create(
            framework_version=version,
            code=area_spec.code,
            name=area_spec.name,
            description=area_spec.description,
            position=position,
        )
    requirements = []
    for position, standard_spec in enumerate(spec.standards):
        standard = Standard.objects.create(
            framework_version=version,
            area=areas[standard_spec.area],
            scale=scales[standard_spec.scale or spec.default_scale],
            code=standard_spec.code,
            name=standard_spec.name,
            gist=standard_spec.gist,
            guidance=standard_spec.guidance,
            typical_evidence=list(standard_spec.typical_evidence),
            note=standard_spec.note,
            position=position,
        )
        requirements.extend(
            Requirement(standard=standard, code=r.code, text=r.text, position=index)
            for index, r in enumerate(standard_spec.requirements)
        )
    Requirement.objects.bulk_create(requirements)
    return version
