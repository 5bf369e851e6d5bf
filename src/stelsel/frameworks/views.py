"""The read-only framework browser: framework → area → standard → requirements."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from stelsel.frameworks import selectors


@login_required
def framework_list(request):
    return render(
        request, "frameworks/framework_list.html", {"versions": selectors.framework_versions()}
    )


@login_required
def framework_detail(request, slug, version):
    framework_version = selectors.get_framework_version(slug, version)
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "version": framework_version,
            "other_versions": selectors.other_versions(framework_version),
        },
    )


@login_required
def standard_detail(request, slug, version, code):
    framework_version = selectors.get_version_header(slug, version)
    standard = selectors.get_standard(framework_version, code)
    previous, following = selectors.neighbours(framework_version, standard)
    return render(
        request,
        "frameworks/standard_detail.html",
        {
            "version": framework_version,
            "standard": standard,
            "previous": previous,
            "following": following,
        },
    )
