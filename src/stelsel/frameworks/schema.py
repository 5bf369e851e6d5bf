"""The framework file format, and its validation with file, line and what was expected.

A framework file is YAML. It is checked in two passes: the schema (types, required and unknown
keys) with pydantic, then integrity (unique codes, known parent areas, scales that exist). Every
problem is reported with the line of the YAML node it is about, so a editor can fix the file
without guessing.
"""

import datetime
import hashlib
import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from stelsel.lib.yamlfiles import DataFileError, Loc, Problem, parse_yaml, read_text

__all__ = [
    "FrameworkFileError",
    "FrameworkSpec",
    "Problem",
    "parse_framework",
    "parse_framework_file",
]

# Limits match the database columns (codes 20, names and labels 200): a file that passes
# validation must load, on PostgreSQL as well as on SQLite, which does not enforce lengths.
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Name = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
]
OptionalText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,19}$")]
Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9\-]{1,79}$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelSpec(_Spec):
    code: Code
    label: Name
    tone: Literal["positive", "negative", "neutral"]


class ScaleSpec(_Spec):
    code: Code
    name: Name
    levels: list[LevelSpec] = Field(min_length=2)


class AreaSpec(_Spec):
    code: Code
    name: Name
    description: OptionalText = ""


class RequirementSpec(_Spec):
    code: Code
    text: Text


class StandardSpec(_Spec):
    code: Code
    area: Code
    name: Name
    scale: Code | None = None
    gist: Text
    guidance: Text
    typical_evidence: list[Text] = Field(min_length=1)
    note: OptionalText = ""
    requirements: list[RequirementSpec] = Field(min_length=1)


class FrameworkSpec(_Spec):
    id: Slug
    version: StrictInt = Field(ge=1, le=2_147_483_647)
    name: Name
    sector: Literal["po", "vo", "so", "all"]
    level: Literal["school", "board"]
    valid_from: datetime.date
    source: Text
    description: OptionalText = ""
    default_scale: Code
    scales: list[ScaleSpec] = Field(min_length=1)
    areas: list[AreaSpec] = Field(min_length=1)
    standards: list[StandardSpec] = Field(min_length=1)

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _integrity(spec: FrameworkSpec) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []

    def unique(items, what: str, base: Loc) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.code in seen:
                problems.append(((*base, index, "code"), f"duplicate {what} code {item.code!r}"))
            seen.add(item.code)
        return seen

    scales = unique(spec.scales, "scale", ("scales",))
    for index, scale in enumerate(spec.scales):
        unique(scale.levels, "level", ("scales", index, "levels"))
    areas = unique(spec.areas, "area", ("areas",))
    unique(spec.standards, "standard", ("standards",))
    requirement_codes: set[str] = set()
    if spec.default_scale not in scales:
        problems.append(
            (
                ("default_scale",),
                f"unknown scale {spec.default_scale!r}; expected one of "
                f"{', '.join(sorted(scales))}",
            )
        )
    for index, standard in enumerate(spec.standards):
        if standard.area not in areas:
            problems.append(
                (
                    ("standards", index, "area"),
                    f"unknown area {standard.area!r}; expected one of {', '.join(sorted(areas))}",
                )
            )
        if standard.scale is not None and standard.scale not in scales:
            problems.append(
                (
                    ("standards", index, "scale"),
                    f"unknown scale {standard.scale!r}; "
                    f"expected one of {', '.join(sorted(scales))}",
                )
            )
        for rindex, requirement in enumerate(standard.requirements):
            if requirement.code in requirement_codes:
                problems.append(
                    (
                        ("standards", index, "requirements", rindex, "code"),
                        f"duplicate requirement code {requirement.code!r}",
                    )
                )
            requirement_codes.add(requirement.code)
    used_areas = {standard.area for standard in spec.standards}
    for index, area in enumerate(spec.areas):
        if area.code not in used_areas:
            problems.append((("areas", index, "code"), f"area {area.code!r} has no standards"))
    return problems


class FrameworkFileError(DataFileError):
    """A framework file that cannot be loaded, with every problem found."""


def parse_framework(
    text: str, *, file: str = "<string>", expected_id: str | None = None
) -> FrameworkSpec:
    """Validate a framework file's text; raise FrameworkFileError with every problem found."""
    return parse_yaml(
        text,
        model=FrameworkSpec,
        integrity=_integrity,
        file=file,
        expected_id=expected_id,
        error=FrameworkFileError,
    )


def parse_framework_file(path: Path) -> FrameworkSpec:
    return parse_framework(
        read_text(path, error=FrameworkFileError), file=str(path), expected_id=path.stem
    )
