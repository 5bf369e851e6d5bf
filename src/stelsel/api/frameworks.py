"""API routes for the framework library (read-only)."""

from ninja import Router

from stelsel.api.schemas import (
    AreaOut,
    ErrorOut,
    FrameworkVersionDetailOut,
    FrameworkVersionOut,
    RequirementOut,
    ScaleLevelOut,
    ScaleOut,
    StandardOut,
)
from stelsel.frameworks import selectors

router = Router(tags=["frameworks"])


def _version_out(v) -> dict:
    return {
        "id": v.framework.slug,
        "version": v.version,
        "name": v.name,
        "sector": v.sector,
        "level": v.level,
        "valid_from": v.valid_from,
        "source": v.source,
    }


@router.get(
    "/frameworks",
    response=list[FrameworkVersionOut],
    summary="Every stored version of every framework",
)
def frameworks(request):
    return [FrameworkVersionOut(**_version_out(v)) for v in selectors.framework_versions()]


@router.get(
    "/frameworks/{slug}/versions/{version}",
    response={200: FrameworkVersionDetailOut, 404: ErrorOut},
)
def framework_version(request, slug: str, version: int):
    v = selectors.get_framework_version(slug, version)
    standards = v.standards.select_related("area", "scale").prefetch_related("requirements")
    return FrameworkVersionDetailOut(
        **_version_out(v),
        description=v.description,
        default_scale=v.default_scale.code,
        scales=[
            ScaleOut(
                code=s.code,
                name=s.name,
                levels=[
                    ScaleLevelOut(code=lv.code, label=lv.label, tone=lv.tone)
                    for lv in s.levels.all()
                ],
            )
            for s in v.scales.all()
        ],
        areas=[AreaOut(code=a.code, name=a.name) for a in v.areas.all()],
        standards=[
            StandardOut(
                code=s.code,
                name=s.name,
                area=s.area.code,
                scale=s.scale.code,
                gist=s.gist,
                guidance=s.guidance,
                typical_evidence=list(s.typical_evidence),
                requirements=[
                    RequirementOut(code=r.code, text=r.text) for r in s.requirements.all()
                ],
            )
            for s in standards
        ],
    )
