"""Pages for inspection visits: the list, planning and editing a visit, its page with the
preparation checklist, document room, log and follow-up, and the board's checklist template.

Views are thin: objects come through access.py, reads through the selectors, writes through
the services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.lib.forms import add_service_errors
from stelsel.lib.ids import parse_id
from stelsel.organisations.access import (
    get_school_for_user,
    has_permission,
    has_unit_permission,
    require_unit,
    schools_for_user,
)
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission
from stelsel.picture.access import evidence_for_user, get_visit_for_user
from stelsel.picture.visits import selectors, services
from stelsel.picture.visits.forms import VisitForm, VisitNoteForm


def _visit_url(board, visit, anchor: str = "", query: str = "") -> str:
    url = reverse("picture:visit", args=[board.pk, visit.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return url + (f"#{anchor}" if anchor else "")


@board_view(Permission.VIEW_PICTURE)
def visit_list(request, board):
    return render(
        request,
        "picture/visit_list.html",
        {
            "board": board,
            "visits": selectors.visit_list(request.user, board),
            "can_create": has_permission(request.user, board, Permission.MANAGE_VISITS),
            "can_edit_template": has_permission(request.user, board, Permission.MANAGE_PICTURE),
            "can_share": has_permission(request.user, board, Permission.SHARE_PICTURE),
        },
    )


@board_view(Permission.MANAGE_VISITS)
def visit_create(request, board):
    user = request.user
    allow_board = has_unit_permission(user, board, Permission.MANAGE_VISITS, None)
    form = VisitForm(
        request.POST or None,
        schools=schools_for_user(user, board),
        allow_board=allow_board,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = data["school"]
        if school is not None:
            school = get_school_for_user(
                user, board, school.pk, permission=Permission.MANAGE_VISITS
            )
        require_unit(user, board, Permission.MANAGE_VISITS, school)
        try:
            visit = services.visit_create(
                board=board,
                school=school,
                kind=data["kind"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
                user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Visit “%(title)s” recorded, with the board's preparation checklist.")
                % {"title": visit.title},
            )
            return redirect(_visit_url(board, visit))
    return render(
        request,
        "picture/visit_form.html",
        {"board": board, "form": form, "visit": None},
    )


@board_view(Permission.VIEW_PICTURE)  # the visit is looked up first: 404 before 403
def visit_edit(request, board, visit_id):
    visit = get_visit_for_user(request.user, board, visit_id, write=True)
    form = VisitForm(
        request.POST or None,
        initial={
            "kind": visit.kind,
            "title": visit.title,
            "starts_on": visit.starts_on,
            "ends_on": visit.ends_on,
            "notes": visit.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_update(
                visit=visit,
                kind=data["kind"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Visit “%(title)s” saved.") % {"title": data["title"]})
            return redirect(_visit_url(board, visit))
    return render(
        request, "picture/visit_form.html", {"board": board, "form": form, "visit": visit}
    )


def _visit_page(request, board, visit, *, note_form=None, status=200):
    page = selectors.visit_page(request.user, board, visit, query=request.GET.get("q", ""))
    return render(
        request,
        "picture/visit.html",
        {
            "board": board,
            "visit": visit,
            "page": page,
            "note_form": note_form or (VisitNoteForm() if page.can_log else None),
        },
        status=status,
    )


@board_view(Permission.VIEW_PICTURE)
@kept_page
def visit_detail(request, board, visit_id):
    visit = get_visit_for_user(request.user, board, visit_id)
    return _visit_page(request, board, visit)


@require_POST
@board_view(Permission.VIEW_PICTURE)  # the visit is looked up first: 404 before 403
def visit_step(request, board, visit_id, item_id):
    """Tick or untick one preparation step, with its note."""
    visit = get_visit_for_user(request.user, board, visit_id, write=True)
    item = visit.checklist.filter(pk=parse_id(item_id)).first()
    if item is None:
        raise Http404
    try:
        services.visit_step_update(
            visit=visit,
            item=item,
            done=request.POST.get("done") == "1",
            note=request.POST.get("note", item.note),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("Step “%(step)s” ticked off.")
                if request.POST.get("done") == "1"
                else _("Step “%(step)s” saved, still to do.")
            )
            % {"step": item.text},
        )
    return redirect(_visit_url(board, visit, f"step-{item.pk}"))


@require_POST
@board_view(Permission.VIEW_PICTURE)  # the visit is looked up first: 404 before 403
def visit_documents(request, board, visit_id):
    """Add documents to the visit's room, or take them out (the evidence itself stays)."""
    visit = get_visit_for_user(request.user, board, visit_id, write=True)
    ids = {n for n in (parse_id(v) for v in request.POST.getlist("evidence")) if n}
    chosen = list(evidence_for_user(request.user, board).filter(pk__in=ids, school=visit.school))
    op = request.POST.get("op")
    try:
        if len(chosen) != len(ids):
            raise ValidationError(_("Some of the chosen documents cannot be found."))
        if op == "add":
            services.visit_documents_add(visit=visit, evidence=chosen)
            done = _("Documents added to the document room.")
        elif op == "remove":
            services.visit_documents_remove(visit=visit, evidence=chosen)
            done = _("Document taken out of the document room.")
        else:
            raise ValidationError(_("Add or remove documents."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(_visit_url(board, visit, "documents", request.POST.get("q", "")[:100]))


@require_POST
@board_view(Permission.VIEW_PICTURE)  # the visit is looked up first: 404 before 403
def visit_note(request, board, visit_id):
    """Add a note to the visit's log; on an error the page comes back with the text kept."""
    visit = get_visit_for_user(request.user, board, visit_id)
    require_unit(request.user, board, Permission.WRITE_VISIT_LOG, visit.school)
    form = VisitNoteForm(request.POST)
    if form.is_valid():
        try:
            services.visit_note_add(
                visit=visit, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_visit_url(board, visit, "log"))
    return _visit_page(request, board, visit, note_form=form)


TEMPLATE_OPS = {
    "edit": lambda board, post, ref: services.template_step_update(
        board=board, text=post.get("text", ""), **ref
    ),
    "up": lambda board, post, ref: services.template_step_move(board=board, direction="up", **ref),
    "down": lambda board, post, ref: services.template_step_move(
        board=board, direction="down", **ref
    ),
    "remove": lambda board, post, ref: services.template_step_remove(board=board, **ref),
}


@board_view(Permission.MANAGE_PICTURE)
def visit_template(request, board):
    """The board's preparation checklist, copied into every new visit."""
    if request.method == "POST":
        op = request.POST.get("op")
        ref = {
            "item_id": parse_id(request.POST.get("item")),
            "position": parse_id(request.POST.get("position")),
        }
        try:
            if op == "add":
                services.template_step_add(board=board, text=request.POST.get("text", ""))
            elif op in TEMPLATE_OPS:
                TEMPLATE_OPS[op](board, request.POST, ref)
            else:
                raise ValidationError(_("Unknown change to the checklist."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Preparation checklist of the board saved."))
        return redirect("picture:visit_template", board_id=board.pk)
    return render(
        request,
        "picture/visit_template.html",
        {"board": board, "steps": services.template_steps(board)},
    )
