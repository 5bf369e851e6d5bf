"""Data files in YAML (frameworks, questionnaires): validation with file, line and expectation.

A library file is checked in two passes: its schema (types, required and unknown keys) with a
pydantic model, then the integrity rules of its kind. Every problem carries the line of the YAML
node it is about, so the person editing the file can fix it without guessing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DataFileError(Exception):
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
        return "unknown key (not part of the file format)"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return f"{error['input']!r} does not match the expected form {pattern}"
    return f"{error['msg']}; found {error.get('input')!r}"


# libyaml's C loader where PyYAML was built with it: several times faster on large files.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Checks:
    """Loader part that refuses duplicate keys and reports a value it cannot read at its line.

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


class _Loader(_Checks, yaml.SafeLoader):
    pass


class _FastLoader(_Checks, FAST_SAFE_LOADER):
    """The same checks on libyaml's scanner."""


def _load_with(loader_class, text: str) -> tuple[yaml.Node | None, object]:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _load(text: str) -> tuple[yaml.Node | None, object]:
    """Read with libyaml; a file it refuses is read again by PyYAML's own scanner, whose
    messages (and lines) are the ones people are shown, whichever scanner is installed."""
    try:
        return _load_with(_FastLoader, text)
    except yaml.YAMLError:
        return _load_with(_Loader, text)


Integrity = Callable[[BaseModel], list[tuple[Loc, str]]]


def parse_yaml(
    text: str,
    *,
    model: type[BaseModel],
    integrity: Integrity,
    file: str = "<string>",
    expected_id: str | None = None,
    error: type[DataFileError] = DataFileError,
):
    """Validate a file's text against `model` and `integrity`; raise `error` with every problem."""
    try:
        root, data = _load(text)
    except RecursionError:
        raise error([Problem(file, 1, "", "not valid YAML: nested too deeply")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise error(
            [Problem(file, line, "", f"not valid YAML: {exc.problem or exc.context}")]
        ) from None
    except yaml.YAMLError as exc:
        raise error([Problem(file, 1, "", f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise error(
            [Problem(file, 1, "", "expected a mapping with id, version, name, … at the top")]
        )
    try:
        spec = model.model_validate(data)
    except ValidationError as exc:
        raise error(
            [
                Problem(file, _line(root, e["loc"]), _path(e["loc"]), _pydantic_message(e))
                for e in exc.errors()
            ]
        ) from None
    found = integrity(spec)
    if expected_id is not None and spec.id != expected_id:
        found.append((("id",), f"id {spec.id!r} must equal the file name {expected_id!r}"))
    if found:
        raise error(
            [Problem(file, _line(root, loc), _path(loc), message) for loc, message in found]
        )
    return spec


def read_text(path: Path, *, error: type[DataFileError] = DataFileError) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error([Problem(str(path), 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise error([Problem(str(path), 1, "", f"cannot read: {exc.strerror}")]) from None


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _version_line(path: Path) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if line.startswith("version:")), 1)


def load_library(
    paths: list[Path],
    *,
    parse_file: Callable[[Path], BaseModel],
    stored: dict[tuple[str, int], str],
    store: Callable[[BaseModel], object],
    error: type[DataFileError],
    in_use: str,
) -> LoadResult:
    """Load versioned library files: all valid or nothing loaded, in one transaction.

    A version already stored with the same content is skipped; the same id and version with
    other content is refused (records point at the stored version), naming the next free
    version. `stored` maps (id, version) to the content hash already in the database.
    """
    from django.db import IntegrityError, transaction

    problems: list[Problem] = []
    specs: list[tuple[Path, BaseModel]] = []
    for path in paths:
        try:
            specs.append((path, parse_file(path)))
        except error as exc:
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
                    f"{spec.id} version {spec.version} is {in_use} and cannot change; "
                    f"store the changed content as version {newest + 1}",
                )
            )
    if problems:
        raise error(problems)
    result = LoadResult()
    try:
        with transaction.atomic():
            for _path, spec in specs:
                label = f"{spec.id} v{spec.version}"
                if (spec.id, spec.version) in stored:
                    result.unchanged.append(label)
                    continue
                store(spec)
                stored[(spec.id, spec.version)] = spec.content_hash()
                result.created.append(label)
    except IntegrityError:
        # Another load stored one of these versions between our check and our write.
        raise error(
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
