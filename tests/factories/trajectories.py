"""Programmes, cohorts and trajectories for tests, built on the default catalogues."""

import datetime
import itertools

from stelsel.trajectories.catalogues import programme_create
from stelsel.trajectories.models import Cohort, Programme, ProgrammeMembership, Trajectory

_numbers = itertools.count(1)


def make_programme(slug: str | None = None, *, sector: str = "po", **fields) -> Programme:
    number = next(_numbers)
    return programme_create(
        slug=slug or f"programma-{number}",
        name=fields.pop("name", f"Programma {number}"),
        sector=sector,
        **fields,
    )


def make_cohort(programme: Programme, name: str = "2026-2027", **fields) -> Cohort:
    fields.setdefault("open_for_applications", True)
    fields.setdefault("capacity", 10)
    fields.setdefault("starts_on", datetime.date(2026, 9, 1))
    fields.setdefault("ends_on", datetime.date(2027, 8, 31))
    return Cohort.objects.create(programme=programme, name=name, **fields)


def programme_member(user, programme: Programme, role: str, **fields) -> ProgrammeMembership:
    return ProgrammeMembership.objects.create(user=user, programme=programme, role=role, **fields)


def make_trajectory(
    cohort: Cohort, *, board=None, advisor=None, label: str | None = None, **fields
) -> Trajectory:
    fields.setdefault("starts_on", datetime.date(2026, 9, 1))
    fields.setdefault("ends_on", datetime.date(2027, 8, 31))
    return Trajectory.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        board=board,
        advisor=advisor,
        label=label or f"Casus {next(_numbers)}",
        **fields,
    )
