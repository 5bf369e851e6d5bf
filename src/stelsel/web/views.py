"""The homes: the start page, a board's and a school's home, a person's own settings, and the
health check.

A home brings together what several apps hold (the schools and frameworks of organisations,
the pictures and coverage of the picture, the calendar's feed), so it sits above them all.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from stelsel.accounts.forms import TokenForm
from stelsel.accounts.selectors import tokens_for_user, user_has_totp
from stelsel.accounts.services import token_create
from stelsel.insight.cockpit import (
    board_cockpit,
    school_actions,
    school_assignments,
    school_cockpit,
    school_plans,
    school_rounds,
)
from stelsel.insight.warnings import digest_wanted
from stelsel.meetings.selectors import settings_context
from stelsel.organisations.access import (
    get_school_for_user,
    grants,
    has_permission,
    roles_on_board,
)
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission
from stelsel.organisations.selectors import (
    board_schools,
    boards_overview,
    frameworks_for_board,
    frameworks_for_school,
    school_leaders,
)
from stelsel.picture.coverage import STATE_DISPLAY, coverage_summary
from stelsel.picture.entries.selectors import unit_pictures
from stelsel.trajectories.access import programmes_for_user


@login_required
def home(request):
    """Straight to the board when the user has one, or to the school when all their roles there
    are on one school (a school leader's or teacher's home is their school's); straight to the
    programme for someone whose only role is on one support programme; a choice otherwise
    (several boards, or boards and programmes, as an advisor working with a board has)."""
    boards = boards_overview(request.user)
    programmes = list(programmes_for_user(request.user).order_by("name"))
    if not boards and len(programmes) == 1:
        return redirect("trajectories:programme", slug=programmes[0].slug)
    if len(boards) == 1 and not programmes:
        board = boards[0]
        schools = {g.school_id for g in grants(request.user) if g.board_id == board.pk}
        if len(schools) == 1 and None not in schools:
            return redirect("web:school_home", board_id=board.pk, school_id=schools.pop())
        return redirect("web:board_home", board_id=board.pk)
    return render(request, "web/home.html", {"boards": boards, "programmes": programmes})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def account_settings(request):
    """The user's own settings: API tokens and second factor (accounts), the calendar feed and
    reminders (the quality calendar), the signal digest (data and early warning)."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "web/account_settings.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": tokens_for_user(request.user),
            "has_totp": user_has_totp(request.user),
            **settings_context(request.user),  # calendar feed, reminders
            "digest_off": not digest_wanted(request.user),
        },
    )


@board_view()
@kept_page
def board_home(request, board):
    """The board's cockpit: what needs attention in each school the user sees, the results
    against the signalling values, and the coming dates (`insight.cockpit`); then the schools.
    Kept until the board's data change: for sixty schools it reads six apps."""
    schools = board_schools(request.user, board)
    # One reverse() for the whole list: a board with sixty schools otherwise spends a good part
    # of its rendering time on resolving the same pattern sixty times.
    school_url_prefix = reverse("web:school_home", args=[board.pk, 0])[:-2]
    return render(
        request,
        "web/board_home.html",
        {
            "board": board,
            "schools": schools,
            "school_url_prefix": school_url_prefix,
            "roles": sorted(roles_on_board(request.user, board)),
            "frameworks": frameworks_for_board(board),
            "cockpit": board_cockpit(request.user, board, schools),
        },
    )


@board_view()
@kept_page
def school_home(request, board, school_id):
    """A school's home: the cockpit for one school, its picture and herstelopdrachten, plans
    and goals, open actions and rounds."""
    user = request.user
    school = get_school_for_user(user, board, school_id)
    today = timezone.localdate()
    cockpit = school_cockpit(user, board, school, today=today)
    assignments = school_assignments(user, board, school, today=today)
    return render(
        request,
        "web/school_home.html",
        {
            "board": board,
            "school": school,
            "cockpit": cockpit,
            "pictures": unit_pictures(user, board, school),
            "coverage": coverage_summary(assignments),
            "open_assignments": [row for row in assignments if not row.coverage.resolved],
            "states": STATE_DISPLAY,
            "actions": school_actions(user, board, school),
            "plans": school_plans(user, board, school),
            "rounds": school_rounds(user, board, school),
            "today": today,
            "can_start_picture": has_permission(user, board, Permission.MANAGE_PICTURE),
            "leaders": school_leaders(school),
            "frameworks": frameworks_for_school(school),
        },
    )
