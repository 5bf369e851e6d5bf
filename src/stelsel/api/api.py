"""The JSON API under /api/v1/, documented at /api/v1/openapi.json."""

from ninja import NinjaAPI

from stelsel.api import frameworks, organisations
from stelsel.api.auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Stelsel API",
    version="1",
    description="Read access to boards, schools and frameworks. Authenticate with the browser "
    "session or a personal access token (`Authorization: Bearer stl_…`).",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url=None,
)
api.add_router("", organisations.router)
api.add_router("", frameworks.router)
