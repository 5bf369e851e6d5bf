"""The questionnaire library: YAML files beside the frameworks, validated and stored as
immutable versions. A round points at a version; a changed questionnaire is a new version.
"""

import hashlib
import json
from pathlib import Path
from typing import Annotated, Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from stelsel.frameworks.models import FrameworkVersion, Requirement, Standard
from stelsel.lib.yamlfiles import (
    DataFileError,
    LoadResult,
    Loc,
    load_library,
    parse_yaml,
    read_text,
)
from stelsel.selfevaluation.models import (
    Item,
    Perspective,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Name = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)
]
Prompt = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=300)]
OptionalText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True)]
Code = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,29}$")]
Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9\-]{1,79}$")]
PerspectiveCode = Literal[
    "board", "school_leaders", "quality_staff", "supervisors", "council", "teachers"
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointSpec(_Spec):
    value: StrictInt = Field(ge=1, le=10)
    label: Name


class ScaleSpec(_Spec):
    code: Code
    points: list[PointSpec] = Field(min_length=2, max_length=10)
    dont_know: Name


class FrameworkRef(_Spec):
    id: Slug
    version: StrictInt = Field(ge=1, le=2_147_483_647)


class ItemSpec(_Spec):
    code: Code
    text: Text
    requirement: Code | None = None
    wording: dict[PerspectiveCode, Text] = Field(default_factory=dict)


class SectionSpec(_Spec):
    standard: Code
    intro: OptionalText = ""
    comment: Prompt = ""
    items: list[ItemSpec] = Field(min_length=1)


class QuestionnaireSpec(_Spec):
    id: Slug
    version: StrictInt = Field(ge=1, le=2_147_483_647)
    name: Name
    description: OptionalText = ""
    level: Literal["board", "school"]
    framework: FrameworkRef
    scale: ScaleSpec
    perspectives: list[PerspectiveCode] = Field(min_length=1)
    sections: list[SectionSpec] = Field(min_length=1)

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class QuestionnaireFileError(DataFileError):
    """A questionnaire file that cannot be loaded, with every problem found."""


def _framework_version(ref: FrameworkRef) -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(framework__slug=ref.id, version=ref.version).first()


def _integrity(spec: QuestionnaireSpec) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    values = [point.value for point in spec.scale.points]
    if values != list(range(1, len(values) + 1)):
        problems.append(
            (("scale", "points"), f"values must run 1, 2, … from low to high; found {values}")
        )
    if len(set(spec.perspectives)) != len(spec.perspectives):
        problems.append((("perspectives",), "a perspective is listed twice"))
    codes: set[str] = set()
    standards: set[str] = set()
    for s_index, section in enumerate(spec.sections):
        if section.standard in standards:
            problems.append(
                (
                    ("sections", s_index, "standard"),
                    f"standard {section.standard!r} has two sections",
                )
            )
        standards.add(section.standard)
        for i_index, item in enumerate(section.items):
            where = ("sections", s_index, "items", i_index)
            if item.code in codes:
                problems.append(((*where, "code"), f"duplicate item code {item.code!r}"))
            codes.add(item.code)
            for perspective in item.wording:
                if perspective not in spec.perspectives:
                    problems.append(
                        (
                            (*where, "wording", perspective),
                            f"wording for {perspective!r}, which is not among the "
                            f"questionnaire's perspectives",
                        )
                    )
    problems.extend(_framework_problems(spec))
    return problems


def _framework_problems(spec: QuestionnaireSpec) -> list[tuple[Loc, str]]:
    """The sections and items must point at standards and requirements that exist."""
    version = _framework_version(spec.framework)
    if version is None:
        return [
            (
                ("framework",),
                f"framework {spec.framework.id} version "
                f"{spec.framework.version} is not loaded; load the frameworks "
                "first",
            )
        ]
    known = {
        code: set()
        for code in Standard.objects.filter(framework_version=version).values_list(
            "code", flat=True
        )
    }
    for standard_code, requirement_code in Requirement.objects.filter(
        standard__framework_version=version
    ).values_list("standard__code", "code"):
        known[standard_code].add(requirement_code)
    problems = []
    for s_index, section in enumerate(spec.sections):
        if section.standard not in known:
            problems.append(
                (
                    ("sections", s_index, "standard"),
                    f"unknown standard {section.standard!r}; expected one of "
                    f"{', '.join(sorted(known))}",
                )
            )
            continue
        for i_index, item in enumerate(section.items):
            if item.requirement and item.requirement not in known[section.standard]:
                problems.append(
                    (
                        ("sections", s_index, "items", i_index, "requirement"),
                        f"unknown requirement {item.requirement!r} of {section.standard}",
                    )
                )
    return problems


def parse_questionnaire(
    text: str, *, file: str = "<string>", expected_id: str | None = None
) -> QuestionnaireSpec:
    return parse_yaml(
        text,
        model=QuestionnaireSpec,
        integrity=_integrity,
        file=file,
        expected_id=expected_id,
        error=QuestionnaireFileError,
    )


def parse_questionnaire_file(path: Path) -> QuestionnaireSpec:
    text = read_text(path, error=QuestionnaireFileError)
    return parse_questionnaire(text, file=str(path), expected_id=path.stem)


def library_files() -> list[Path]:
    return sorted(LIBRARY_DIR.glob("*.yaml"))


def questionnaires_load(paths: list[Path] | None = None) -> LoadResult:
    """Validate all files first and load nothing unless all are valid; idempotent; a stored
    version with other content is refused (rounds point at it)."""
    return load_library(
        list(paths) if paths else library_files(),
        parse_file=parse_questionnaire_file,
        stored={
            (slug, version): content_hash
            for slug, version, content_hash in QuestionnaireVersion.objects.filter(
                questionnaire__board__isnull=True
            ).values_list("questionnaire__slug", "version", "content_hash")
        },
        store=lambda spec: questionnaire_version_store(spec=spec),
        error=QuestionnaireFileError,
        in_use="in use",
    )


@transaction.atomic
def questionnaire_version_store(*, spec: QuestionnaireSpec, board=None) -> QuestionnaireVersion:
    questionnaire, _created = Questionnaire.objects.get_or_create(
        slug=spec.id, board=board, defaults={"name": spec.name}
    )
    framework_version = _framework_version(spec.framework)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        level=spec.level,
        framework_version=framework_version,
        scale_code=spec.scale.code,
        scale_points=[{"value": p.value, "label": p.label} for p in spec.scale.points],
        dont_know_label=spec.scale.dont_know,
        perspectives=list(spec.perspectives),
        content_hash=spec.content_hash(),
    )
    standards = {s.code: s for s in Standard.objects.filter(framework_version=framework_version)}
    requirements = {
        (r.standard.code, r.code): r
        for r in Requirement.objects.filter(
            standard__framework_version=framework_version
        ).select_related("standard")
    }
    items = []
    for position, section_spec in enumerate(spec.sections):
        section = Section.objects.create(
            questionnaire_version=version,
            standard=standards[section_spec.standard],
            intro=section_spec.intro,
            comment_prompt=section_spec.comment,
            position=position,
        )
        items.extend(
            Item(
                questionnaire_version=version,
                section=section,
                code=item.code,
                text=item.text,
                wording=dict(item.wording),
                requirement=requirements.get((section_spec.standard, item.requirement)),
                position=index,
            )
            for index, item in enumerate(section_spec.items)
        )
    Item.objects.bulk_create(items)
    return version


assert set(PerspectiveCode.__args__) == set(Perspective.values) - {"custom"}


@transaction.atomic
def questionnaire_compose(
    *, board, base: QuestionnaireVersion, name: str, item_ids: list[int]
) -> QuestionnaireVersion:
    """A board's own questionnaire made of chosen statements of a library questionnaire.

    It keeps the base's framework, scale and perspectives, and is stored like any version:
    immutable once made, so rounds that use it keep their meaning.
    """
    from django.core.exceptions import ValidationError
    from django.utils.text import slugify
    from django.utils.translation import gettext as _

    errors = {}
    if base.questionnaire.board_id not in (None, board.pk):
        errors["base"] = _("Unknown questionnaire.")
    name = name.strip()
    if not name:
        errors["name"] = _("Give the questionnaire a name.")
    chosen = set(item_ids)
    items = [
        item
        for item in base.items.select_related("section__standard", "requirement")
        if item.pk in chosen
    ]
    if not items:
        errors["items"] = _("Choose at least one statement.")
    elif len(items) != len(chosen):
        errors["items"] = _("Some statements are not part of this questionnaire.")
    if errors:
        raise ValidationError(errors)
    sections: dict[int, dict] = {}
    for item in items:
        section = item.section
        sections.setdefault(
            section.pk,
            {
                "standard": section.standard.code,
                "intro": section.intro,
                "comment": section.comment_prompt,
                "items": [],
                "position": section.position,
            },
        )["items"].append(
            {
                "code": item.code,
                "text": item.text,
                "wording": item.wording,
                **({"requirement": item.requirement.code} if item.requirement else {}),
            }
        )
    base_slug = slugify(name)[:60] or "vragenlijst"
    slug, suffix = base_slug, 2
    while Questionnaire.objects.filter(board=board, slug=slug).exists():
        slug, suffix = f"{base_slug}-{suffix}", suffix + 1
    framework = base.framework_version
    spec = QuestionnaireSpec.model_validate(
        {
            "id": slug,
            "version": 1,
            "name": name[:200],
            "description": _("Composed by %(board)s from “%(base)s”.")
            % {"board": board.name, "base": base.name},
            "level": base.level,
            "framework": {"id": framework.framework.slug, "version": framework.version},
            "scale": {
                "code": base.scale_code,
                "points": base.scale_points,
                "dont_know": base.dont_know_label,
            },
            "perspectives": base.perspectives,
            "sections": [
                {key: value for key, value in section.items() if key != "position"}
                for section in sorted(sections.values(), key=lambda s: s["position"])
            ],
        }
    )
    return questionnaire_version_store(spec=spec, board=board)
