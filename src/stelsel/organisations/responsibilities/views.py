"""Who does what: the RACI matrix of the board's quality processes, and the profile of the
quality officer's role.

Everyone on the board reads both; the board office (MANAGE_RESPONSIBILITIES) changes them.
Views are thin: objects come through access.py, reads and writes through services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import (
    get_quality_process_for_user,
    has_permission,
    quality_processes_for_user,
)
from stelsel.organisations.decorators import board_view
from stelsel.organisations.models import RaciLetter
from stelsel.organisations.responsibilities import services
from stelsel.organisations.responsibilities.forms import (
    PROFILE_PROMPTS,
    OfficerProfileForm,
    ProcessForm,
)
from stelsel.organisations.roles import Permission, Role
from stelsel.organisations.tables import tables_for_user

LETTER_HELP = {
    RaciLetter.RESPONSIBLE: gettext_lazy("does the work"),
    RaciLetter.ACCOUNTABLE: gettext_lazy("answers for the outcome; exactly one role per process"),
    RaciLetter.CONSULTED: gettext_lazy("is asked before a decision"),
    RaciLetter.INFORMED: gettext_lazy("is told about the outcome"),
}


def _legend():
    return [(value, label, LETTER_HELP[value]) for value, label in RaciLetter.choices]


def _can_edit(request, board) -> bool:
    return has_permission(request.user, board, Permission.MANAGE_RESPONSIBILITIES)


# --- The matrix -----------------------------------------------------------------------------


@board_view()
def responsibilities(request, board):
    rows = services.responsibility_matrix(quality_processes_for_user(request.user, board))
    return render(
        request,
        "organisations/responsibilities.html",
        {
            "board": board,
            "rows": rows,
            "roles": [(role, Role(role).label) for role in services.ROLES],
            "incomplete": sum(1 for row in rows if not row.complete),
            "legend": _legend(),
            "can_edit": _can_edit(request, board),
            "defaults_count": len(services.DEFAULT_PROCESSES),
        },
    )


def _form_page(request, board, form, *, process=None, status=200, **extra):
    return render(
        request,
        "organisations/responsibilities_form.html",
        {"board": board, "form": form, "process": process, "legend": _legend(), **extra},
        status=status,
    )


@board_view(Permission.MANAGE_RESPONSIBILITIES)
def responsibility_add(request, board):
    form = ProcessForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                process = services.process_create(
                    board=board,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    letters=form.letters(),
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _say_saved(request, process, services.missing_parts(form.letters()))
                return redirect("organisations:responsibilities", board_id=board.pk)
        return _form_page(request, board, form, status=400)
    return _form_page(request, board, form)


def _say_saved(request, process, missing) -> None:
    if missing:
        messages.warning(
            request,
            _("“%(name)s” saved, but it is not complete yet. %(missing)s")
            % {"name": process.name, "missing": " ".join(missing)},
        )
    else:
        messages.success(request, _("“%(name)s” saved.") % {"name": process.name})


def _process_initial(process) -> dict:
    return {
        "name": process.name,
        "description": process.description,
        "revision": process.revision,
        **services.letters_of(process),
    }


def _letter_shown(letter: str) -> str:
    return f"{letter} – {RaciLetter(letter).label}" if letter else "—"


def _process_pairs(current, mine: dict) -> list:
    """The comparison of a refused save: name, description and each role's letter."""
    saved, chosen = services.letters_of(current), mine.get("letters", {})
    return [
        (_("Process"), current.name, mine.get("name", "")),
        (_("Description"), current.description, mine.get("description")),
    ] + [
        (Role(role).label, _letter_shown(saved.get(role, "")), _letter_shown(chosen.get(role, "")))
        for role in services.ROLES
    ]


@board_view()  # the process is looked up first: another board's answers 404 before 403
def responsibility_edit(request, board, process_id):
    process = get_quality_process_for_user(request.user, board, process_id, write=True)
    if request.method != "POST":
        return _form_page(
            request, board, ProcessForm(initial=_process_initial(process)), process=process
        )
    form = ProcessForm(request.POST)
    if not form.is_valid():
        return _form_page(request, board, form, process=process, status=400)
    letters = form.letters()
    try:
        updated = services.process_update(
            process=process,
            revision=form.cleaned_data["revision"] or 0,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            letters=letters,
            user=request.user,
        )
    except EditConflict as exc:
        shown = conflict_view(
            exc,
            data=request.POST,
            form_factory=ProcessForm,
            pairs_of=lambda current, mine: _process_pairs(current, mine | {"letters": letters}),
        )
        context = shown.context()
        return _form_page(
            request, board, context.pop("form"), process=exc.current, status=409, **context
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, board, form, process=process, status=400)
    _say_saved(request, updated, services.missing_parts(letters))
    return redirect("organisations:responsibilities", board_id=board.pk)


@require_POST
@board_view()
def responsibility_delete(request, board, process_id):
    process = get_quality_process_for_user(request.user, board, process_id, write=True)
    services.process_delete(process=process)
    messages.success(request, _("“%(name)s” removed from the matrix.") % {"name": process.name})
    return redirect("organisations:responsibilities", board_id=board.pk)


@require_POST
@board_view(Permission.MANAGE_RESPONSIBILITIES)
def responsibilities_start(request, board):
    created = services.processes_start(board=board, user=request.user)
    if created:
        messages.success(
            request,
            ngettext(
                "%(n)s process added with its usual letters. Adapt it to your board.",
                "%(n)s processes added with their usual letters. Adapt them to your board.",
                len(created),
            )
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("The board already has every default process."))
    return redirect("organisations:responsibilities", board_id=board.pk)


# --- The quality officer's profile ----------------------------------------------------------


@board_view()
def officer_profile(request, board):
    profile = services.officer_profile(board)
    tables = []
    if profile is not None:
        # Only the tables this reader may see: a school's table stays within its school.
        tables = list(
            tables_for_user(request.user, board)
            .filter(pk__in=profile.meeting_series.values("pk"))
            .select_related("school")
            .order_by("name")
        )
    sections = [
        (name, label, getattr(profile, name, "") if profile else "", PROFILE_PROMPTS[name])
        for name, label in (
            ("tasks", _("Tasks")),
            ("ambitions", _("Ambitions")),
            ("tables", _("Tables")),
            ("influence", _("Influence")),
            ("boundaries", _("Boundaries")),
        )
    ]
    return render(
        request,
        "organisations/responsibilities_profile.html",
        {
            "board": board,
            "profile": profile,
            "sections": sections,
            "meeting_tables": tables,
            "can_edit": _can_edit(request, board),
        },
    )


def _profile_initial(profile) -> dict:
    if profile is None:
        return {"revision": 0}
    return {
        "officer": profile.user_id,
        "tasks": profile.tasks,
        "ambitions": profile.ambitions,
        "tables": profile.tables,
        "meeting_series": list(profile.meeting_series.values_list("pk", flat=True)),
        "influence": profile.influence,
        "boundaries": profile.boundaries,
        "revision": profile.revision,
    }


def _profile_pairs(fields):
    """The comparison of a refused save of the profile, in the form's order and labels
    (`current` is None when the profile the editor opened is gone)."""

    def pairs(current, mine: dict) -> list:
        rows = [(_("Quality officer"), current.user if current else None, mine.get("officer"))]
        rows += [
            (fields[name].label, getattr(current, name) if current else "", mine.get(name))
            for name in services.PROFILE_TEXTS
        ]
        rows.append(
            (
                fields["meeting_series"].label,
                _table_names(current.meeting_series.order_by("name")) if current else "",
                _table_names(sorted(mine.get("meeting_series") or [], key=lambda s: s.name)),
            )
        )
        return rows

    return pairs


def _table_names(series) -> str:
    return ", ".join(s.name for s in series)


@board_view(Permission.MANAGE_RESPONSIBILITIES)
def officer_profile_edit(request, board):
    profile = services.officer_profile(board)
    options = {
        "officers": services.quality_officer_candidates(board),
        "series": tables_for_user(request.user, board),
    }
    context = {"board": board, "profile": profile}
    status = 200
    if request.method == "POST":
        form = OfficerProfileForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.officer_profile_save(
                    board=board,
                    revision=data["revision"] or 0,
                    officer=data["officer"],
                    tasks=data["tasks"],
                    ambitions=data["ambitions"],
                    tables=data["tables"],
                    meeting_series=list(data["meeting_series"]),
                    influence=data["influence"],
                    boundaries=data["boundaries"],
                    user=request.user,
                )
            except EditConflict as exc:
                shown = conflict_view(
                    exc,
                    data=request.POST,
                    form_factory=lambda data: OfficerProfileForm(data, **options),
                    pairs_of=_profile_pairs(form.fields),
                )
                form = shown.form
                context |= shown.context()
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The profile of the quality officer's role is saved."))
                return redirect("organisations:officer_profile", board_id=board.pk)
        else:
            status = 400
    else:
        form = OfficerProfileForm(initial=_profile_initial(profile), **options)
    context["form"] = form
    return render(
        request, "organisations/responsibilities_profile_form.html", context, status=status
    )
