"""Builders for data and early warning: OVTs linked to schools, yearly results, schoolweging."""

from decimal import Decimal

from django.utils import timezone

from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.models import Ovt, PoResult, ResultSource, Schoolweging


def make_ovt(board, school=None, *, code: str | None = None, linked: bool = True) -> Ovt:
    """An OVT of `board`; linked (confirmed) to `school` when given and `linked`."""
    norms_ensure_loaded()
    brin = school.instellingscode if school else "99ZZ"
    code = code or f"{brin}|C{Ovt.objects.filter(brin=brin).count() + 1}"
    return Ovt.objects.create(
        code=code,
        brin=brin,
        name=school.name if school else "",
        board=board,
        board_number=board.number,
        school=school if linked else None,
        linked_at=timezone.now() if school and linked else None,
    )


def add_results(ovt: Ovt, years: dict, *, source: str = ResultSource.INSPECTORATE) -> None:
    """`years` maps a year to (pupils, %1F, %1S/2F), or to "*" for a masked year."""
    for year, value in years.items():
        if value == "*":
            PoResult.objects.create(ovt=ovt, year=year, source=source, masked=True)
            continue
        pupils, fundamental, target = value
        PoResult.objects.create(
            ovt=ovt,
            year=year,
            source=source,
            pupils=pupils,
            fundamental=Decimal(str(fundamental)),
            target=Decimal(str(target)),
        )


def add_schoolweging(ovt: Ovt, value, *, first_year: int = 2022, last_year: int = 2024) -> None:
    Schoolweging.objects.create(
        ovt=ovt,
        first_year=first_year,
        last_year=last_year,
        value=None if value is None else Decimal(str(value)),
    )
