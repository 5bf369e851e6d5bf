"""Pages for linking the inspectorate's schools (OVTs) to the board's schools.

The OVTs come through `insight.links` (another board's OVT answers 404); the link and unlink
themselves, with their checks and the refresh of the signals, are services there too.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.insight import links as services
from stelsel.insight.forms.links import OvtLinkForm
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission


@board_view(Permission.MANAGE_DATA)
def links(request, board):
    """The board's OVTs with the schools proposed for them, to confirm or undo each link."""
    rows = services.link_rows(request.user, board)
    counts = {state: sum(1 for row in rows if row.state == state) for state in services.STATES}
    return render(
        request,
        "insight/links/links.html",
        {"board": board, "rows": rows, "counts": counts},
    )


@require_POST
@board_view(Permission.MANAGE_DATA)
def ovt_link(request, board, ovt_id):
    ovt = services.get_linkable_ovt_for_user(request.user, board, ovt_id)
    form = OvtLinkForm(request.POST, board=board)
    if not form.is_valid():
        messages.error(
            request,
            _("%(ovt)s is not linked: choose one of the board's schools.") % {"ovt": ovt.code},
        )
        return redirect("insight:links", board_id=board.pk)
    school = form.cleaned_data["school"]
    try:
        services.ovt_link(ovt=ovt, school=school, user=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            _("%(ovt)s is not linked: %(reason)s.")
            % {"ovt": ovt.code, "reason": " ".join(exc.messages)},
        )
    else:
        messages.success(
            request,
            _("%(ovt)s is now linked to %(school)s; its results count for that school.")
            % {"ovt": ovt.code, "school": school.name},
        )
    return redirect("insight:links", board_id=board.pk)


@require_POST
@board_view(Permission.MANAGE_DATA)
def ovt_unlink(request, board, ovt_id):
    ovt = services.get_linkable_ovt_for_user(request.user, board, ovt_id)
    school = ovt.school
    try:
        services.ovt_unlink(ovt=ovt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(ovt)s is no longer linked to %(school)s; its results count for no school.")
            % {"ovt": ovt.code, "school": school.name},
        )
    return redirect("insight:links", board_id=board.pk)
