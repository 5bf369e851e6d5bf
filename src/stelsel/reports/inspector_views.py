"""The inspector's page of an issued report added to their link: read through the link's token
like the picture's public pages (`picture.inspector.views.public`), from the version's stored
snapshot only. Anything the link does not open answers the link's own 404 page."""

from django.shortcuts import render

from stelsel.lib.ids import parse_id
from stelsel.picture.inspector.services import inspector_access_record
from stelsel.picture.inspector.views import public, unavailable
from stelsel.reports.sharing import shared_version
from stelsel.reports.text import render as render_text


@public
def inspector_report(request, link, token, version_id):
    version = shared_version(link, version_id) if parse_id(version_id) else None
    if version is None:
        return unavailable(request, "unknown")
    content = version.snapshot
    sections = [
        {**entry, "html": render_text(entry.get("text", ""))} for entry in content["sections"]
    ]
    inspector_access_record(
        link=link,
        what=f"report {version.report.title} ({version.number})",
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return render(
        request,
        "reports/inspector_report.html",
        {
            "link": link,
            "token": token,
            "version": version,
            "content": content,
            "sections": sections,
        },
    )
