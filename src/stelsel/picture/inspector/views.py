"""The inspector's link: giving, listing and revoking it, and the public pages it opens.

The public pages need no account: the token is the key. They answer an unknown token, an
entry outside the link and a document not chosen with the same 404 page, so nothing tells
whether a token or an id exists; an expired or revoked link answers 410. Guessing tokens is
throttled per address, and every page tells browsers and search engines to keep nothing.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from stelsel.lib.forms import add_service_errors
from stelsel.lib.ids import parse_id
from stelsel.lib.throttle import GuessThrottle
from stelsel.organisations.access import (
    get_school_for_user,
    has_unit_permission,
    require_unit,
    schools_for_user,
)
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission
from stelsel.picture import asof
from stelsel.picture.access import (
    evidence_for_user,
    get_inspector_link_for_user,
    get_visit_for_user,
    visits_for_user,
)
from stelsel.picture.evidence.files import sanitise_name
from stelsel.picture.inspector import selectors, services
from stelsel.picture.inspector import shared as shared_parts
from stelsel.picture.inspector.forms import InspectorLinkForm

GUESSES = GuessThrottle("inspector")  # unknown tokens

UNAVAILABLE = {
    "unknown": (
        404,
        gettext_lazy(
            "There is nothing to show at this address. Check that you copied the whole link, "
            "or ask the school board that gave it to you."
        ),
    ),
    "expired": (
        410,
        gettext_lazy("This link has expired. Ask the school board that gave it for a new one."),
    ),
    "revoked": (
        410,
        gettext_lazy(
            "This link has been withdrawn. Ask the school board that gave it for a new one."
        ),
    ),
    "throttled": (
        429,
        gettext_lazy("Too many unknown links from this address. Wait a few minutes and try again."),
    ),
}


# --- Giving, listing and revoking links -----------------------------------------------------


@board_view(Permission.SHARE_PICTURE)
def link_list(request, board):
    return render(
        request,
        "picture/inspector_links.html",
        {"board": board, "links": selectors.link_list(request.user, board)},
    )


def _share_units(user, board) -> list:
    """The units the user may give a link for: the board itself and/or schools."""
    units = []
    if has_unit_permission(user, board, Permission.SHARE_PICTURE, None):
        units.append(None)
    units += [
        school
        for school in schools_for_user(user, board).order_by("name")
        if has_unit_permission(user, board, Permission.SHARE_PICTURE, school)
    ]
    return units


def _chosen_unit(request, board, data):
    """(chosen, school, visit) from `visit`, or `unit` ("board" or a school id; `school` is
    taken as well); 404/403 through the access module for a unit the user may not share."""
    user = request.user
    visit_id = parse_id(data.get("visit"))
    if visit_id and not data.get("unit"):
        visit = get_visit_for_user(user, board, visit_id)
        require_unit(user, board, Permission.SHARE_PICTURE, visit.school)
        return True, visit.school, visit
    unit = data.get("unit") or data.get("school", "")
    if unit == "board":
        require_unit(user, board, Permission.SHARE_PICTURE, None)
        return True, None, None
    school_id = parse_id(unit)
    if school_id:
        school = get_school_for_user(user, board, school_id, permission=Permission.SHARE_PICTURE)
        return True, school, None
    return False, None, None


@board_view(Permission.SHARE_PICTURE)
def link_create(request, board):
    """Step one chooses the school or board (or comes from a visit); step two what to share."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    chosen, school, visit = _chosen_unit(request, board, data)
    if not chosen:
        return render(
            request,
            "picture/inspector_unit.html",
            {"board": board, "units": _share_units(user, board)},
        )
    form = InspectorLinkForm(
        request.POST or None,
        visits=visits_for_user(user, board).filter(school=school),
        evidence=evidence_for_user(user, board).filter(school=school).order_by("title"),
        initial={
            "visit": visit,
            "documents": list(visit.documents.values_list("pk", flat=True)) if visit else [],
        },
        shares=[(share, share.choices(user, board, school)) for share in shared_parts.shares()],
    )
    if request.method == "POST" and form.is_valid():
        try:
            link, raw = services.inspector_link_create(
                board=board,
                school=school,
                label=form.cleaned_data["label"],
                expires_at=form.expires_at(),
                visit=form.cleaned_data["visit"],
                documents=form.cleaned_data["documents"],
                user=user,
                shared=form.shared(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"expires_at": "valid_until"})
        else:
            # The raw token is shown on this answer only; nothing else keeps it.
            response = render(
                request,
                "picture/inspector_created.html",
                {
                    "board": board,
                    "link": link,
                    "url": request.build_absolute_uri(
                        reverse("picture:inspector_view", args=[raw])
                    ),
                },
            )
            add_never_cache_headers(response)
            return response
    return render(
        request,
        "picture/inspector_form.html",
        {
            "board": board,
            "form": form,
            "school": school,
            "unit_value": school.pk if school else "board",
        },
    )


@board_view(Permission.VIEW_PICTURE)  # the link is looked up first: 404 before 403
def link_detail(request, board, link_id):
    link = get_inspector_link_for_user(request.user, board, link_id)
    return render(
        request,
        "picture/inspector_link.html",
        {"board": board, "detail": selectors.link_detail(link)},
    )


@require_POST
@board_view(Permission.VIEW_PICTURE)  # the link is looked up first: 404 before 403
def link_revoke(request, board, link_id):
    link = get_inspector_link_for_user(request.user, board, link_id, write=True)
    try:
        services.inspector_link_revoke(link=link, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The link was revoked; it no longer opens anything."))
    return redirect("picture:inspector_link", board_id=board.pk, link_id=link.pk)


# --- The public pages ----------------------------------------------------------------------


def unavailable(request, state: str):
    """The page for a link that opens nothing (also used by the pages other apps add)."""
    status, message = UNAVAILABLE[state]
    return render(
        request,
        "picture/inspector_unavailable.html",
        {"message": message, "state": state},
        status=status,
    )


def public(view):
    """A public page of the link: GET only, and nothing is indexed, cached or passed on in a
    Referer header (the token is in the address)."""

    @require_GET
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            link = services.link_from_token(token)
        except services.LinkUnavailable as exc:
            if exc.state == "unknown":
                # Unknown tokens count towards the address's limit; known ones never do.
                refused = GUESSES.refused(request)
                response = unavailable(request, "throttled" if refused else "unknown")
            else:
                response = unavailable(request, exc.state)
        else:
            response = view(request, link, token, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)
        return response

    return wrapper


def _record(request, link, what: str) -> None:
    services.inspector_access_record(
        link=link, what=what, user_agent=request.META.get("HTTP_USER_AGENT", "")
    )


@public
def inspector_view(request, link, token):
    """The link's picture; `?op=YYYY-MM-DD` shows it as it stood at the end of that day."""
    date_error = None
    try:
        as_of = asof.parse_day(request.GET.get("op"))
    except ValidationError as exc:
        as_of, date_error = None, exc.messages[0]
    overview = selectors.public_overview(link, as_of)
    _record(request, link, f"overview {as_of.isoformat()}" if as_of else "overview")
    return render(
        request,
        "picture/inspector_view.html",
        {
            "link": link,
            "token": token,
            "overview": overview,
            "shared": selectors.public_shared(link, token),
            "as_of": as_of,
            "date_error": date_error,
            "today": timezone.localdate(),
        },
    )


@public
def inspector_entry(request, link, token, entry_id):
    entry = services.link_entry(link, entry_id) if parse_id(entry_id) else None
    if entry is None:
        return unavailable(request, "unknown")
    detail = selectors.public_entry(link, entry)
    _record(request, link, f"{'standard' if entry.standard_id else 'indicator'} {entry.code}")
    return render(
        request,
        "picture/inspector_entry.html",
        {"link": link, "token": token, "detail": detail, "entry": entry},
    )


@public
def inspector_document(request, link, token, evidence_id):
    """The latest version of a chosen document, as an attachment under a cleaned name."""
    evidence = services.link_document(link, evidence_id) if parse_id(evidence_id) else None
    record = next(iter(evidence.files.all()), None) if evidence else None
    if record is None:
        return unavailable(request, "unknown")
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        return unavailable(request, "unknown")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=sanitise_name(record.name),
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    _record(request, link, f"document {evidence.title}")
    return response
