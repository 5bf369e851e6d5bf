"""The default catalogues a new programme starts from, and creating a programme with them.

The defaults (`library/defaults.yaml`) are those of the research on the national programmes:
eight support needs, fifteen interventions with their aim and kind, the four attention
quadrants, the triangle conversation's questions and the primary programme's eligibility
criteria. A programme adapts its own copies afterwards.
"""

from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from stelsel.trajectories.models import (
    AttentionQuadrant,
    Intervention,
    Programme,
    SupportNeed,
)

DEFAULTS = Path(__file__).resolve().parent / "library" / "defaults.yaml"


@cache
def defaults() -> dict:
    with DEFAULTS.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def programme_create(
    *, slug: str, name: str, sector: str, organiser: str = "", description: str = ""
) -> Programme:
    """A new programme with copies of the default catalogues."""
    data = defaults()
    programme = Programme.objects.create(
        slug=slug,
        name=name,
        sector=sector,
        organiser=organiser,
        description=description,
        eligibility=data["eligibility"],
        triangle_questions=list(data["triangle_questions"]),
    )
    SupportNeed.objects.bulk_create(
        SupportNeed(programme=programme, position=position, **need)
        for position, need in enumerate(data["needs"], start=1)
    )
    Intervention.objects.bulk_create(
        Intervention(programme=programme, position=position, **intervention)
        for position, intervention in enumerate(data["interventions"], start=1)
    )
    AttentionQuadrant.objects.bulk_create(
        AttentionQuadrant(programme=programme, **quadrant) for quadrant in data["quadrants"]
    )
    return programme
