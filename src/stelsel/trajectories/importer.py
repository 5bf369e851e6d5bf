"""Import of past cohorts from a YAML file, because programmes start from their spreadsheets.

The file is checked whole, like every library file (`lib.yamlfiles`): its form with a schema,
then the rules against the programme's catalogues, every problem with its line. Only a file
without problems is written, in one transaction. A programme that does not exist yet is created
with the default catalogues. A cohort that already exists is refused by name (an import never
adds to or replaces a cohort's cases: the cases of a past cohort are its record).

Imported cases have no board, only their label; their interventions become log entries dated
as in the file, and the case runs from its first to its last intervention.
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt
from simple_history.utils import bulk_create_with_history

from stelsel.lib.yamlfiles import (
    FAST_SAFE_LOADER,
    DataFileError,
    Loc,
    Problem,
    parse_yaml,
    read_text,
)
from stelsel.organisations.models import Sector
from stelsel.trajectories.casework import EARLIEST
from stelsel.trajectories.catalogues import defaults, programme_create
from stelsel.trajectories.models import (
    Cohort,
    Intervention,
    InterventionLog,
    Programme,
    QuadrantKey,
    SupportNeed,
    Trajectory,
)

MAX_BYTES = 2 * 1024 * 1024
SUFFIXES = (".yaml", ".yml")
POINTS = 4


class ProgrammeFileError(DataFileError):
    pass


TOP_LEVEL = "expected a mapping with programme, name, sector and cohorts at the top"


# A name becomes a page heading, a table row and a cell of the research exports: one line of
# visible text. Control characters (a NUL also breaks PostgreSQL), line breaks and the
# invisible direction overrides that can make a label read as another are refused.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _one_line(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("empty (only spaces)")
    if _INVISIBLE.search(value):
        raise ValueError("contains a control character, a line break or a direction mark")
    return value


def _past(value: dt.date) -> dt.date:
    """Dates of past cohorts: none before the casework's earliest day, none ahead."""
    if value < EARLIEST:
        raise ValueError(f"a date before {EARLIEST.isoformat()} cannot be a past cohort's")
    if value > timezone.localdate():
        raise ValueError("a date in the future: an import holds past cohorts only")
    return value


Name = Annotated[str, AfterValidator(_one_line)]
PastDate = Annotated[dt.date, AfterValidator(_past)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttentionSpec(_Spec):
    person_directing: StrictInt = Field(ge=0, le=POINTS)
    person_executing: StrictInt = Field(ge=0, le=POINTS)
    organisation_directing: StrictInt = Field(ge=0, le=POINTS)
    organisation_executing: StrictInt = Field(ge=0, le=POINTS)


class LoggedSpec(_Spec):
    name: str = Field(min_length=1, max_length=200)
    date: PastDate


class CaseSpec(_Spec):
    label: Name = Field(min_length=1, max_length=100)
    single_school_board: StrictBool = False
    needs: list[str] = []
    interventions: list[LoggedSpec] = []
    attention: AttentionSpec | None = None


class CohortSpec(_Spec):
    name: Name = Field(min_length=1, max_length=100)
    cases: list[CaseSpec] = Field(min_length=1)


class ProgrammeFileSpec(_Spec):
    programme: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    name: Name = Field(min_length=1, max_length=200)
    sector: str
    cohorts: list[CohortSpec] = Field(min_length=1)


@dataclass(frozen=True)
class ImportSummary:
    programme: str
    created: bool  # the programme was created with the default catalogues
    cohorts: list[str]
    cases: int
    interventions: int


def _closest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        return "; closest: " + ", ".join(repr(n) for n in close)
    return ""


def _catalogue(programme: Programme | None) -> tuple[list[str], list[str]]:
    """The need and intervention names the file may use: the programme's, or the defaults a
    new programme will get."""
    if programme is None:
        data = defaults()
        return [n["name"] for n in data["needs"]], [i["name"] for i in data["interventions"]]
    return (
        list(SupportNeed.objects.filter(programme=programme).values_list("name", flat=True)),
        list(Intervention.objects.filter(programme=programme).values_list("name", flat=True)),
    )


def _integrity(spec: ProgrammeFileSpec) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if spec.sector not in Sector.values:
        problems.append(
            (("sector",), f"unknown sector {spec.sector!r}; one of {', '.join(Sector.values)}")
        )
    programme = Programme.objects.filter(slug=spec.programme).first()
    if programme is not None and spec.sector in Sector.values and programme.sector != spec.sector:
        problems.append(
            (
                ("sector",),
                f"programme {spec.programme!r} exists with sector {programme.sector!r}",
            )
        )
    needs, interventions = _catalogue(programme)
    # Cohort names compare as the office's form does (cohorts.cohort_create): without regard
    # to case, so "Jaargang A" and "jaargang a" are one cohort, not two.
    existing = (
        {
            name.casefold()
            for name in Cohort.objects.filter(programme=programme).values_list("name", flat=True)
        }
        if programme is not None
        else set()
    )
    cohort_names: set[str] = set()
    for c, cohort in enumerate(spec.cohorts):
        here: Loc = ("cohorts", c)
        if cohort.name.casefold() in cohort_names:
            problems.append(((*here, "name"), f"cohort {cohort.name!r} is twice in the file"))
        cohort_names.add(cohort.name.casefold())
        if cohort.name.casefold() in existing:
            problems.append(
                (
                    (*here, "name"),
                    f"cohort {cohort.name!r} already exists in programme {spec.programme!r}; "
                    "an import does not change an existing cohort",
                )
            )
        labels: set[str] = set()
        for n, case in enumerate(cohort.cases):
            spot: Loc = (*here, "cases", n)
            if case.label in labels:
                problems.append(
                    ((*spot, "label"), f"label {case.label!r} is twice in cohort {cohort.name!r}")
                )
            labels.add(case.label)
            for i, need in enumerate(case.needs):
                if need not in needs:
                    problems.append(
                        ((*spot, "needs", i), f"unknown need {need!r}{_closest(need, needs)}")
                    )
            if len(set(case.needs)) < len(case.needs):
                problems.append(((*spot, "needs"), "a need is named twice"))
            for i, logged in enumerate(case.interventions):
                if logged.name not in interventions:
                    problems.append(
                        (
                            (*spot, "interventions", i, "name"),
                            f"unknown intervention {logged.name!r}"
                            f"{_closest(logged.name, interventions)}",
                        )
                    )
            if case.attention is not None:
                total = sum(case.attention.model_dump().values())
                if total != POINTS:
                    problems.append(
                        (
                            (*spot, "attention"),
                            f"the attention points add up to {total}, not {POINTS}",
                        )
                    )
    return problems


def _refuse_unsafe(text: str, file: str) -> None:
    """No anchors or aliases: a few lines of aliases can expand to a huge document, and a
    spreadsheet's export never needs them. Reading the events expands nothing."""
    try:
        for event in yaml.parse(text, Loader=FAST_SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ProgrammeFileError(
                    [
                        Problem(
                            file,
                            event.start_mark.line + 1,
                            "",
                            "anchors and aliases (&, *) are not accepted; write the values out",
                        )
                    ]
                )
    except yaml.YAMLError:
        return  # parse_yaml reports it with its line


def parse_programme_file(text: str, *, file: str = "<string>") -> ProgrammeFileSpec:
    if "\x00" in text:
        raise ProgrammeFileError([Problem(file, 1, "", "not a YAML file (binary content)")])
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ProgrammeFileError(
            [Problem(file, 1, "", f"too large: at most {MAX_BYTES // (1024 * 1024)} MB")]
        )
    _refuse_unsafe(text, file)
    try:
        return parse_yaml(
            text,
            model=ProgrammeFileSpec,
            integrity=_integrity,
            file=file,
            error=ProgrammeFileError,
        )
    except ProgrammeFileError as exc:
        # The shared reader names the keys of a library file (id, version); say this file's.
        if len(exc.problems) == 1 and exc.problems[0].message.startswith("expected a mapping"):
            raise ProgrammeFileError([Problem(file, 1, "", TOP_LEVEL)]) from None
        raise


def read_programme_file(path: Path) -> str:
    file = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ProgrammeFileError([Problem(file, 1, "", "not a YAML file (.yaml or .yml)")])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ProgrammeFileError([Problem(file, 1, "", f"cannot read: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise ProgrammeFileError(
            [Problem(file, 1, "", f"too large: at most {MAX_BYTES // (1024 * 1024)} MB")]
        )
    return read_text(path, error=ProgrammeFileError)


BATCH = 1000


@transaction.atomic
def _store(spec: ProgrammeFileSpec) -> ImportSummary:
    """Write the checked file in bulk: a file of many thousands of cases is written in a few
    queries per thousand rows, not several per case (which took minutes)."""
    programme = Programme.objects.select_for_update().filter(slug=spec.programme).first()
    created = programme is None
    if created:
        programme = programme_create(slug=spec.programme, name=spec.name, sector=spec.sector)
    needs = dict(SupportNeed.objects.filter(programme=programme).values_list("name", "pk"))
    interventions = dict(Intervention.objects.filter(programme=programme).values_list("name", "pk"))
    cohorts = []
    for cohort_spec in spec.cohorts:
        days = [i.date for case in cohort_spec.cases for i in case.interventions]
        cohorts.append(
            Cohort.objects.create(
                programme=programme,
                name=cohort_spec.name,
                open_for_applications=False,
                starts_on=min(days, default=None),
                ends_on=max(days, default=None),
            )
        )
    cases: list[tuple[Trajectory, CaseSpec]] = []
    for cohort, cohort_spec in zip(cohorts, spec.cohorts, strict=True):
        for case in cohort_spec.cases:
            dates = [i.date for i in case.interventions]
            points = case.attention.model_dump() if case.attention else {}
            trajectory = Trajectory(
                programme=programme,
                cohort=cohort,
                board=None,
                label=case.label,
                single_school_board=case.single_school_board,
                starts_on=min(dates, default=cohort.starts_on),
                ends_on=max(dates, default=cohort.ends_on),
                imported=True,
                **{key: points.get(key) for key in QuadrantKey.values},
            )
            cases.append((trajectory, case))
    created_rows = bulk_create_with_history([t for t, _c in cases], Trajectory, batch_size=BATCH)
    if len(created_rows) != len(cases) or any(t.pk is None for t in created_rows):
        # A database that does not return the new ids: read them back by cohort and label.
        ids = {
            (cohort_id, label): pk
            for cohort_id, label, pk in Trajectory.objects.filter(cohort__in=cohorts).values_list(
                "cohort_id", "label", "pk"
            )
        }
        for trajectory, _case in cases:
            trajectory.pk = ids[(trajectory.cohort_id, trajectory.label)]
    Trajectory.needs.through.objects.bulk_create(
        (
            Trajectory.needs.through(trajectory_id=trajectory.pk, supportneed_id=needs[name])
            for trajectory, case in cases
            for name in case.needs
        ),
        batch_size=BATCH,
    )
    entries = [
        InterventionLog(
            trajectory_id=trajectory.pk, intervention_id=interventions[i.name], on=i.date
        )
        for trajectory, case in cases
        for i in case.interventions
    ]
    InterventionLog.objects.bulk_create(entries, batch_size=BATCH)
    return ImportSummary(
        programme=programme.slug,
        created=created,
        cohorts=[c.name for c in spec.cohorts],
        cases=len(cases),
        interventions=len(entries),
    )


def cohorts_import(*, text: str, file: str = "<string>") -> ImportSummary:
    """Check the file whole, then write all of it in one transaction, or nothing."""
    spec = parse_programme_file(text, file=file)
    try:
        return _store(spec)
    except IntegrityError:
        # Another import created the programme or a cohort between the check and the write.
        raise ProgrammeFileError(
            [Problem(file, 1, "", "changed by another import at the same moment; run it again")]
        ) from None


def cohorts_import_file(*, path: Path) -> ImportSummary:
    return cohorts_import(text=read_programme_file(path), file=str(path))
