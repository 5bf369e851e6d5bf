"""The report template library: YAML files of ordered sections, validated with file and line
and stored as immutable versions. A board copies a library template and adapts its copy; a
report keeps pointing at the template it was composed from.
"""

import hashlib
import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from stelsel.lib.yamlfiles import (
    DataFileError,
    LoadResult,
    Loc,
    load_library,
    parse_yaml,
    read_text,
)
from stelsel.reports.blocks import BLOCKS, block_keys
from stelsel.reports.models import ReportTemplate

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

Name = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
]
Prompt = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=500)]
OptionalText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True)]
Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9\-]{1,79}$")]
BlockKey = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z_]{0,39}$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionSpec(_Spec):
    title: Name
    block: BlockKey | None = None  # a data block; without it, a text section
    prompt: Prompt = ""  # what the author is asked to write


class TemplateSpec(_Spec):
    id: Slug
    version: StrictInt = Field(ge=1, le=2_147_483_647)
    name: Name
    description: OptionalText = ""
    audience: Literal["school", "board"]
    sections: list[SectionSpec] = Field(min_length=1, max_length=60)

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def section_rows(self) -> list[dict]:
        return [
            {
                "kind": "block" if s.block else "text",
                "block": s.block or "",
                "title": s.title,
                "prompt": s.prompt,
            }
            for s in self.sections
        ]


class TemplateFileError(DataFileError):
    """A report template file that cannot be loaded, with every problem found."""


def _integrity(spec: TemplateSpec) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for index, section in enumerate(spec.sections):
        if section.block and section.block not in BLOCKS:
            problems.append(
                (
                    ("sections", index, "block"),
                    f"unknown data block {section.block!r}; expected one of "
                    f"{', '.join(block_keys())}",
                )
            )
    return problems


def parse_template(
    text: str, *, file: str = "<string>", expected_id: str | None = None
) -> TemplateSpec:
    return parse_yaml(
        text,
        model=TemplateSpec,
        integrity=_integrity,
        file=file,
        expected_id=expected_id,
        error=TemplateFileError,
    )


def parse_template_file(path: Path) -> TemplateSpec:
    return parse_template(
        read_text(path, error=TemplateFileError), file=str(path), expected_id=path.stem
    )


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def templates_load(paths: list[Path] | None = None) -> LoadResult:
    """Validate all files first and load nothing unless all are valid; idempotent; a stored
    version with other content is refused (reports point at it)."""
    return load_library(
        list(paths) if paths else library_files(),
        parse_file=parse_template_file,
        stored={
            (slug, version): content_hash
            for slug, version, content_hash in ReportTemplate.objects.filter(
                board__isnull=True
            ).values_list("slug", "version", "content_hash")
        },
        store=lambda spec: template_store(spec=spec),
        error=TemplateFileError,
        in_use="in use",
    )


def template_store(*, spec: TemplateSpec) -> ReportTemplate:
    return ReportTemplate.objects.create(
        slug=spec.id,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        audience=spec.audience,
        sections=spec.section_rows(),
        content_hash=spec.content_hash(),
    )
