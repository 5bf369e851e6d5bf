"""Loading framework files into the database: validated, idempotent, immutable per version."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
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
    Problem,
    parse_framework_file,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.yaml"))


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def frameworks_load(paths: list[Path] | None = None) -> LoadResult:
    """Validate every file first; load nothing unless all are valid (one transaction).

    A version already stored with the same content is skipped; the same id and version with
    other content is refused, because records of boards point at the stored version.
    """
    paths = list(paths) if paths else library_files()
    problems: list[Problem] = []
    specs: list[tuple[Path, FrameworkSpec]] = []
    for path in paths:
        try:
            specs.append((path, parse_framework_file(path)))
        except FrameworkFileError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple[str, int], tuple[Path, str]] = {}
    for path, spec in specs:
        key = (spec.id, spec.version)
        if key in seen and seen[key][1] != spec.content_hash():
            problems.append(
                Problem(
                    str(path),
                    1,
                    "version",
                    f"{spec.id} version {spec.version} also in {seen[key][0]} with other content",
                )
            )
        seen.setdefault(key, (path, spec.content_hash()))
    stored = {
        (slug, version): content_hash
        for slug, version, content_hash in FrameworkVersion.objects.values_list(
            "framework__slug", "version", "content_hash"
        )
    }
    for path, spec in specs:
        existing = stored.get((spec.id, spec.version))
        if existing is not None and existing != spec.content_hash():
            # The next free version, counting versions offered in this same load as well.
            newest = max(
                [v for (slug, v) in stored if slug == spec.id]
                + [other.version for _p, other in specs if other.id == spec.id]
            )
            problems.append(
                Problem(
                    str(path),
                    _version_line(path),
                    "version",
                    f"{spec.id} version {spec.version} is published and cannot change; "
                    f"store the changed content as version {newest + 1}",
                )
            )
    if problems:
        raise FrameworkFileError(problems)
    result = LoadResult()
    try:
        with transaction.atomic():
            loaded: set[tuple[str, int]] = set()
            for _path, spec in specs:
                label = f"{spec.id} v{spec.version}"
                if (spec.id, spec.version) in stored or (spec.id, spec.version) in loaded:
                    result.unchanged.append(label)
                    continue
                framework_version_store(spec=spec)
                loaded.add((spec.id, spec.version))
                result.created.append(label)
    except IntegrityError:
        # Another load stored one of these versions between our check and our write.
        raise FrameworkFileError(
            [
                Problem(
                    str(path),
                    1,
                    "version",
                    "stored by another load at the same moment; run the load again",
                )
                for path, _spec in specs
            ]
        ) from None
    return result


def _version_line(path: Path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("version:"):
            return number
    return 1


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
