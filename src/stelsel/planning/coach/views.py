"""The coach reading along while a goal is written: its findings on the text so far, as a
fragment the goal form swaps in."""

from datetime import date

from django.shortcuts import render
from django.views.decorators.http import require_POST

from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission
from stelsel.planning.coach.findings import GOAL
from stelsel.planning.coach.rules import coach_text
from stelsel.planning.numbers import parse_number

COACH_TEXT_MAX = 2_000


@require_POST
@board_view(Permission.MANAGE_PLANS)
def goal_coach(request, board):
    """The coach on a goal's text while it is being written: a fragment of findings."""
    text = (request.POST.get("title") or request.POST.get("text") or "")[:COACH_TEXT_MAX]
    # The form's target and date stand in for a number or date the title lacks, as after saving.
    target, _message = parse_number(request.POST.get("target"), label="")
    try:
        target_date = date.fromisoformat(request.POST.get("target_date") or "")
    except ValueError:
        target_date = None
    findings = (
        coach_text(text, kind=GOAL, target=target, target_date=target_date) if text.strip() else []
    )
    return render(
        request,
        "planning/_coach_findings.html",
        {"findings": findings, "written": bool(text.strip()), "live": True},
    )
