"""The programme's analytics for researchers and the office: the page and its files.

Only suppressed figures leave here (`analytics.suppress`): the page, the CSV, the workbook and
the PDF are all made from the same suppressed result, so no file shows what the page hides.
Advisors have no analytics (403); people without a role on the programme get 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from stelsel.lib.date_formats import short_date
from stelsel.trajectories import analytics, analytics_outputs
from stelsel.trajectories.access import get_cohort_for_user, get_programme_for_user
from stelsel.trajectories.models import Cohort
from stelsel.trajectories.roles import ProgrammePermission

PERMISSION = ProgrammePermission.VIEW_ANALYTICS


def _cohort(request, programme, key: str) -> Cohort | None:
    value = request.GET.get(key, "")
    if not value:
        return None
    return get_cohort_for_user(request.user, programme, value, permission=PERMISSION)


def _shown(programme, cohort) -> dict:
    return analytics.research_figures(programme, cohort)


def _context(request, slug: str) -> dict:
    """What the page and every file show: one selection, or two cohorts side by side."""
    programme = get_programme_for_user(request.user, slug, permission=PERMISSION)
    cohort = _cohort(request, programme, "cohort")
    other = _cohort(request, programme, "compare")
    result = _shown(programme, cohort)
    label = cohort.name if cohort else _("All cohorts")
    context = {
        "programme": programme,
        "cohorts": list(Cohort.objects.filter(programme=programme).order_by("name")),
        "cohort": cohort,
        "other": other,
        "label": label,
        "result": result,
        "threshold": analytics.K,
    }
    if other is not None:
        second = _shown(programme, other)
        both = analytics.compare(result, second)
        context["tables"] = analytics_outputs.compare_tables(both, label, other.name)
        keys = ("", "needs", "interventions", "totals", "attention")
        drawn = [
            (label, analytics_outputs.charts(result)),
            (other.name, analytics_outputs.charts(second)),
        ]
    else:
        context["tables"] = analytics_outputs.tables(result)
        keys = ("", "needs", "interventions", "totals", "attention", "quadrants")
        drawn = [(label, analytics_outputs.charts(result))]
    context["sections"] = [
        {"table": table, "charts": [(name, c[key]) for name, c in drawn if key in c]}
        for table, key in zip(context["tables"], keys, strict=False)
    ]
    return context


@login_required
def programme_analytics(request, slug):
    return render(request, "trajectories/analytics.html", _context(request, slug))


def _about(context: dict) -> list[tuple[str, str]]:
    rows = [
        (_("Programme"), context["programme"].name),
        (_("Cohort"), context["label"]),
    ]
    if context["other"] is not None:
        rows.append((_("Compared with"), context["other"].name))
    rows += [
        (_("Made on"), short_date(timezone.localdate())),
        (
            _("Note"),
            _(
                "A category with fewer than %(k)s cases is shown as “< %(k)s”, a count from "
                "which such a category could be worked out as “*”; totals then add up the "
                "categories shown only."
            )
            % {"k": context["threshold"]},
        ),
    ]
    return rows


@login_required
def programme_analytics_export(request, slug, fmt):
    if fmt not in analytics_outputs.FORMATS:
        raise Http404
    context = _context(request, slug)
    if fmt == "csv":
        body = analytics_outputs.to_csv(_about(context), context["tables"])
    elif fmt == "xlsx":
        body = analytics_outputs.to_xlsx(_about(context), context["tables"])
    else:
        body = analytics_outputs.to_pdf({**context, "about": _about(context)})
    response = HttpResponse(body, content_type=analytics_outputs.FORMATS[fmt])
    name = f"{context['programme'].slug}-analyse.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("programmas/<slug:slug>/analyse/", programme_analytics, name="analytics"),
    path(
        "programmas/<slug:slug>/analyse.<str:fmt>",
        programme_analytics_export,
        name="analytics_export",
    ),
]
