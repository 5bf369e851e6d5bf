"""Reads of the framework library. Frameworks are public to everyone signed in."""

from django.db.models import Count, Prefetch
from django.http import Http404

from stelsel.frameworks.models import Area, FrameworkVersion, Requirement, ScaleLevel, Standard


def framework_versions():
    return (
        FrameworkVersion.objects.select_related("framework")
        .annotate(standard_count=Count("standards"))
        .order_by("level", "framework__name", "-version")
    )


def get_framework_version(slug: str, version) -> FrameworkVersion:
    try:
        return (
            FrameworkVersion.objects.select_related("framework", "default_scale")
            .prefetch_related(
                Prefetch(
                    "areas",
                    queryset=Area.objects.prefetch_related(
                        Prefetch(
                            "standards",
                            queryset=Standard.objects.annotate(
                                requirement_count=Count("requirements")
                            ),
                        )
                    ),
                ),
                Prefetch("scales__levels", queryset=ScaleLevel.objects.all()),
            )
            .get(framework__slug=slug, version=int(version))
        )
    except (FrameworkVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_version_header(slug: str, version) -> FrameworkVersion:
    """Just the version (for a standard's page), without its areas and standards."""
    try:
        return FrameworkVersion.objects.select_related("framework").get(
            framework__slug=slug, version=int(version)
        )
    except (FrameworkVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_standard(version: FrameworkVersion, code: str) -> Standard:
    try:
        return (
            Standard.objects.select_related("area", "scale")
            .prefetch_related(
                Prefetch("requirements", queryset=Requirement.objects.all()), "scale__levels"
            )
            .get(framework_version=version, code=code)
        )
    except Standard.DoesNotExist:
        raise Http404 from None


def neighbours(version: FrameworkVersion, standard: Standard) -> tuple:
    codes = list(version.standards.order_by("position").values_list("code", "name"))
    index = [code for code, _name in codes].index(standard.code)
    previous = codes[index - 1] if index > 0 else None
    following = codes[index + 1] if index + 1 < len(codes) else None
    return previous, following


def other_versions(version: FrameworkVersion):
    return version.framework.versions.exclude(pk=version.pk).order_by("-version")
