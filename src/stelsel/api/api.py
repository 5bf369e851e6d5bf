"""The JSON API under /api/v1/, documented at /api/v1/openapi.json."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from stelsel.api import (
    actions,
    frameworks,
    insight,
    meetings,
    organisations,
    picture,
    planning,
    reports,
    selfevaluation,
    trajectories,
)
from stelsel.api.auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Stelsel API",
    version="1",
    description="Boards, schools, frameworks, self-evaluation rounds (results always with "
    "small groups suppressed) and the quality picture with its evidence (metadata only), "
    "actions and herstelopdrachten, plans with their themes, goals, check-ins and the plan "
    "coach's review, the quality calendar's tables, meetings, agenda items and decisions, and "
    "data and early warning: own indicators with their values (writable), signals and the "
    "primary results against the inspectorate's norms, and the quality reports with their versions "
    "(an issued version as its stored snapshot with its content hash), sections, review "
    "comments and files, and support programmes: the user's programmes, their analytics (small "
    "categories suppressed), the trajectory records and the advisor's log, and a board's own "
    "trajectories. "
    "Writes answer 409 with the current revision when someone saved first, and 422 with a "
    "message per field on bad input. Authenticate with the browser "
    "session or a personal access token (`Authorization: Bearer stl_…`).",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url=None,
)
api.add_router("", organisations.router)
api.add_router("", frameworks.router)
api.add_router("", selfevaluation.router)
api.add_router("", picture.router)
api.add_router("", actions.router)
api.add_router("", planning.router)
api.add_router("", meetings.router)
api.add_router("", insight.router)
api.add_router("", reports.router)
api.add_router("", trajectories.router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    """access.py answers 403 for what a user may see but not do; the API says so in JSON."""
    return api.create_response(request, {"detail": "You may not do this."}, status=403)
