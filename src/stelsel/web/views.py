"""Pages that belong to no board: the start page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render

from stelsel.organisations.selectors import boards_overview


@login_required
def home(request):
    """Straight to the board when the user has one; a choice when several."""
    boards = boards_overview(request.user)
    if len(boards) == 1:
        return redirect("organisations:board_home", board_id=boards[0].pk)
    return render(request, "web/home.html", {"boards": boards})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
