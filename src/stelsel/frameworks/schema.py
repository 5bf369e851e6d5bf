"""The framework file format, and its validation with file, line and what was expected.

A framework file is YAML. It is checked in two passes: the schema (types, required and unknown
keys) with pydantic, then integrity (unique codes, known parent areas, scales that exist). Every
problem is reported with the line of the YAML node it is about, so a editor can fix the file
without guessing.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationError

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


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class FrameworkFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


Loc = tuple[str | int, ...]


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(root: yaml.Node | None, loc: Loc) -> int:
    """The 1-based line of the node at `loc`, or of the nearest ancestor that exists."""
    node = root
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (not part of the framework format)"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return f"{error['input']!r} does not match the expected form {pattern}"
    return f"{error['msg']}; found {error.get('input')!r}"


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


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and reports a value it cannot read at its line.

    PyYAML keeps the last of two equal keys without a word, so a second `requirements:` would
    silently drop the first list; and a value such as `2024-13-01`, `!!int x` or an empty
    `!!bool` fails with a plain ValueError, KeyError or IndexError that carries no line.
    """

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, LookupError, OverflowError):
            kind = node.tag.rsplit(":", 1)[-1]
            value = node.value if isinstance(node, yaml.ScalarNode) else node.id
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value!r} as {kind}", node.start_mark
            ) from None

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark
                        )
                    seen.add(key.value)
        return super().construct_mapping(node, deep=deep)


def _load(text: str) -> tuple[yaml.Node | None, object]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def parse_framework(
    text: str, *, file: str = "<string>", expected_id: str | None = None
) -> FrameworkSpec:
    """Validate a framework file's text; raise FrameworkFileError with every problem found."""
    try:
        root, data = _load(text)
    except RecursionError:
        raise FrameworkFileError(
            [Problem(file, 1, "", "not valid YAML: nested too deeply")]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise FrameworkFileError(
            [Problem(file, line, "", f"not valid YAML: {exc.problem or exc.context}")]
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkFileError([Problem(file, 1, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise FrameworkFileError(
            [Problem(file, 1, "", "expected a mapping with id, version, name, … at the top")]
        )
    try:
        spec = FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        raise FrameworkFileError(
            [
                Problem(
                    file, _line(root, error["loc"]), _path(error["loc"]), _pydantic_message(error)
                )
                for error in exc.errors()
            ]
        ) from None
    found = _integrity(spec)
    if expected_id is not None and spec.id != expected_id:
        found.append((("id",), f"id {spec.id!r} must equal the file name {expected_id!r}"))
    if found:
        raise FrameworkFileError(
            [Problem(file, _line(root, loc), _path(loc), message) for loc, message in found]
        )
    return spec


def parse_framework_file(path: Path) -> FrameworkSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(
            [Problem(str(path), 1, "", f"not UTF-8 text ({exc.reason})")]
        ) from None
    except OSError as exc:
        raise FrameworkFileError(
            [Problem(str(path), 1, "", f"cannot read: {exc.strerror}")]
        ) from None
    return parse_framework(text, file=str(path), expected_id=path.stem)
