"""Pages of the quality picture: the board overview, one unit's picture (now or on a date) and
its presentation as slides, one entry with its judgement, substantiation and thread, its
timeline, periods and the move to a new framework version, and the board's own indicators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.frameworks.models import FrameworkVersion, Standard
from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import (
    has_permission,
    has_unit_permission,
    require,
    require_unit,
    schools_for_user,
)
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.models import SchoolKind
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import unit_name
from stelsel.picture import asof
from stelsel.picture.access import (
    get_entry_for_user,
    get_indicator_for_user,
    get_picture_for_user,
    indicators_for_user,
)
from stelsel.picture.entries import periods, selectors, services
from stelsel.picture.entries.forms import (
    EntryForm,
    IndicatorEditForm,
    IndicatorForm,
    MessageForm,
    MigrateForm,
    NewPeriodForm,
    PictureStartForm,
)
from stelsel.picture.entries.heatmap import heat_rows
from stelsel.picture.entries.overview import OverviewFilters, board_overview
from stelsel.picture.entries.services import SUBSTANTIATION_FIELDS
from stelsel.picture.models import MessageKind


def _judge_permission(school) -> str:
    return Permission.JUDGE_BOARD if school is None else Permission.JUDGE_SCHOOL


@board_view(Permission.VIEW_PICTURE)
@kept_page
def overview(request, board):
    """All schools × standards as a heat map, one table per framework in use."""
    filters = OverviewFilters(
        version_id=_int_or_none(request.GET.get("kader")),
        query=request.GET.get("zoek", "").strip()[:100],
        kind=request.GET.get("soort", "") if request.GET.get("soort") in SchoolKind else "",
        status=request.GET.get("status", "")
        if request.GET.get("status") in ("not_in_order", "not_judged", "in_order")
        else "",
        with_assignments=request.GET.get("opdrachten") == "1",
    )
    overview = board_overview(request.user, board, filters)
    entry_prefix = reverse("picture:entry", args=[board.pk, 0])[:-2]
    picture_prefix = reverse("picture:picture", args=[board.pk, 0])[:-2]
    for table in overview.tables:
        table.rows_html = heat_rows(table, entry_prefix=entry_prefix, picture_prefix=picture_prefix)
    return render(
        request,
        "picture/overview.html",
        {
            "board": board,
            "tables": overview.tables,
            "own_pictures": overview.own,
            "filters": filters,
            "versions": overview.versions,
            "kinds": SchoolKind.choices,
            "can_start": has_permission(request.user, board, Permission.MANAGE_PICTURE),
        },
    )


def _int_or_none(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@board_view(Permission.MANAGE_PICTURE)
def picture_start(request, board):
    schools = list(schools_for_user(request.user, board))
    units = [("board", _("The board itself: %(name)s") % {"name": board.name})] + [
        (str(s.pk), s.name) for s in schools
    ]
    versions = FrameworkVersion.objects.select_related("framework").order_by("level", "name")
    initial = {"unit": request.GET.get("school", "board"), "period": _school_year()}
    form = PictureStartForm(request.POST or None, units=units, versions=versions, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        school = None if unit == "board" else next(s for s in schools if str(s.pk) == unit)
        version = versions.get(pk=form.cleaned_data["framework_version"])
        try:
            picture = services.picture_start(
                board=board,
                school=school,
                framework_version=version,
                period=form.cleaned_data["period"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Picture of %(unit)s for %(period)s started.")
                % {"unit": unit_name(board, school), "period": picture.period},
            )
            return redirect("picture:picture", board_id=board.pk, picture_id=picture.pk)
    return render(request, "picture/start.html", {"board": board, "form": form})


def _school_year() -> str:
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    return f"{first}-{first + 1}"


@board_view(Permission.VIEW_PICTURE)
@kept_page
def picture(request, board, picture_id):
    """A unit's picture by perspective; `?op=YYYY-MM-DD` shows it as it stood on that day."""
    pic = get_picture_for_user(request.user, board, picture_id)
    date_error = None
    try:
        as_of = asof.parse_day(request.GET.get("op"))
    except ValidationError as exc:
        as_of, date_error = None, exc.messages[0]
    view = selectors.picture_view(pic, as_of=as_of)
    can_manage = has_permission(request.user, board, Permission.MANAGE_PICTURE)
    return render(
        request,
        "picture/picture.html",
        {
            "board": board,
            "pic": pic,
            "view": view,
            "as_of": as_of,
            "date_error": date_error,
            "unit_name": unit_name(board, pic.school),
            "periods": selectors.picture_periods(pic),
            "entry_prefix": reverse("picture:entry", args=[board.pk, 0])[:-2],
            "can_manage": can_manage and pic.is_current,
            "can_share": has_unit_permission(
                request.user, board, Permission.SHARE_PICTURE, pic.school
            ),
            "today": timezone.localdate(),
        },
    )


def _entry_pairs(current, mine: dict, levels) -> list[tuple]:
    """The saved entry beside the refused save: the status and the four substantiation texts.
    A status left empty (or not the editor's to set) keeps the saved one."""
    not_judged = _("Not yet judged")
    theirs = current.status.shown_label if current.status_id else not_judged
    chosen = {lv.code: lv.shown_label for lv in levels}.get(mine.get("status") or "")
    fields = EntryForm.base_fields
    return [(_("Status"), theirs, chosen or theirs)] + [
        (fields[name].label, getattr(current, name), mine.get(name))
        for name in SUBSTANTIATION_FIELDS
    ]


def _conflict_context(conflict) -> dict:
    """A refused save's box (web/_conflict.html); its form is the page's form already."""
    if conflict is None:
        return {"conflict": None}
    context = conflict.context()
    del context["form"]
    return context


def _entry_context(request, board, entry, form=None, message_form=None, conflict=None):
    detail = selectors.entry_detail(entry)
    school = entry.picture.school
    may_judge = has_unit_permission(request.user, board, _judge_permission(school), school)
    may_contribute = has_unit_permission(request.user, board, Permission.CONTRIBUTE_PICTURE, school)
    may_feedback = has_unit_permission(request.user, board, Permission.GIVE_FEEDBACK, school)
    editable = entry.picture.is_current and (may_judge or may_contribute)
    if form is None and editable:
        form = EntryForm(
            initial={
                "revision": entry.revision,
                "status": entry.status.code if entry.status_id else "",
                "requirements_met": [str(i) for i in entry.requirements_met],
                "ambitions": entry.ambitions,
                "visible": entry.visible,
                "secured": entry.secured,
                "accounted": entry.accounted,
            },
            levels=detail.scale_levels,
            requirements=[r for r, _met in detail.requirements],
            may_judge=may_judge,
        )
    kinds = []
    if may_contribute:
        kinds.append((MessageKind.INPUT, _("Add input")))
    if may_feedback:
        kinds.append((MessageKind.FEEDBACK, _("Give feedback")))
    if (may_judge or may_contribute) and not may_feedback and detail.messages:
        kinds.append((MessageKind.REPLY, _("Reply")))
    return {
        "board": board,
        "entry": entry,
        "pic": entry.picture,
        "unit_name": unit_name(board, school),
        "detail": detail,
        "form": form if editable else None,
        "may_judge": may_judge,
        "message_kinds": kinds if entry.picture.is_current else [],
        "message_form": message_form or MessageForm(),
        **_conflict_context(conflict),
        "can_add_evidence": may_contribute,
        "can_add_action": has_unit_permission(
            request.user, board, Permission.MANAGE_ACTIONS, school
        ),
        "today": timezone.localdate(),
    }


@board_view(Permission.VIEW_PICTURE)
@kept_page
def entry(request, board, entry_id):
    """One standard (or own indicator) of a unit: judgement, substantiation, what supports it."""
    item = get_entry_for_user(request.user, board, entry_id)
    if request.method != "POST":
        return render(request, "picture/entry.html", _entry_context(request, board, item))
    school = item.picture.school
    may_judge = has_unit_permission(request.user, board, _judge_permission(school), school)
    if not may_judge:
        require_unit(request.user, board, Permission.CONTRIBUTE_PICTURE, school)
    detail = selectors.entry_detail(item)
    form = EntryForm(
        request.POST,
        levels=detail.scale_levels,
        requirements=[r for r, _met in detail.requirements],
        may_judge=may_judge,
    )
    if not may_judge and ("status" in request.POST or "requirements_met" in request.POST):
        raise PermissionDenied
    if not form.is_valid():
        context = _entry_context(request, board, item, form=form)
        return render(request, "picture/entry.html", context, status=400)
    data = form.cleaned_data
    change = services.EntryChange(
        status=(data.get("status") or None) if may_judge else None,
        requirements_met=[int(i) for i in data.get("requirements_met", [])]
        if may_judge and detail.requirements
        else None,
        ambitions=data["ambitions"],
        visible=data["visible"],
        secured=data["secured"],
        accounted=data["accounted"],
    )
    try:
        services.entry_update(
            entry=item, revision=data["revision"], change=change, user=request.user
        )
    except EditConflict as exc:
        # The editor's text stays in the form, now on the current revision: saving again after
        # comparing is a deliberate choice to replace the other version.
        conflict = conflict_view(
            exc,
            data=request.POST,
            form_factory=lambda data: EntryForm(
                data,
                levels=detail.scale_levels,
                requirements=[r for r, _met in detail.requirements],
                may_judge=may_judge,
            ),
            pairs_of=lambda current, mine: _entry_pairs(current, mine, detail.scale_levels),
        )
        # The entry names who saved it even when its history does not (a save outside a page).
        conflict.by = conflict.by or exc.current.updated_by
        context = _entry_context(request, board, exc.current, form=conflict.form, conflict=conflict)
        return render(request, "picture/entry.html", context, status=409)
    except ValidationError as exc:
        add_service_errors(form, exc)
        context = _entry_context(request, board, item, form=form)
        return render(request, "picture/entry.html", context, status=400)
    messages.success(request, _("“%(entry)s” saved.") % {"entry": item})
    return redirect("picture:entry", board_id=board.pk, entry_id=item.pk)


def _message_added(kind: str) -> str:
    """The confirmation for a message of `kind`, naming the entry as %(entry)s."""
    return {
        MessageKind.INPUT: _("Input added to “%(entry)s”."),
        MessageKind.FEEDBACK: _("Feedback added to “%(entry)s”."),
        MessageKind.REPLY: _("Reply added to “%(entry)s”."),
    }[kind]


@require_POST
@board_view(Permission.VIEW_PICTURE)
def entry_message(request, board, entry_id):
    """Input from staff, feedback from the board, replies: one thread per entry."""
    item = get_entry_for_user(request.user, board, entry_id)
    school = item.picture.school
    form = MessageForm(request.POST)
    if not form.is_valid():
        context = _entry_context(request, board, item, message_form=form)
        return render(request, "picture/entry.html", context, status=400)
    kind = form.cleaned_data["kind"]
    needed = {
        MessageKind.INPUT: Permission.CONTRIBUTE_PICTURE,
        MessageKind.FEEDBACK: Permission.GIVE_FEEDBACK,
        MessageKind.REPLY: Permission.CONTRIBUTE_PICTURE,
    }[kind]
    require_unit(request.user, board, needed, school)
    if not item.picture.is_current:
        raise PermissionDenied
    try:
        services.message_add(
            entry=item, author=request.user, kind=kind, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        context = _entry_context(request, board, item, message_form=form)
        return render(request, "picture/entry.html", context, status=400)
    messages.success(request, _message_added(kind) % {"entry": item})
    return redirect(reverse("picture:entry", args=[board.pk, item.pk]) + "#gesprek")


@board_view(Permission.VIEW_PICTURE)
def entry_timeline(request, board, entry_id):
    item = get_entry_for_user(request.user, board, entry_id)
    return render(
        request,
        "picture/timeline.html",
        {
            "board": board,
            "entry": item,
            "pic": item.picture,
            "unit_name": unit_name(board, item.picture.school),
            "events": selectors.entry_timeline(item),
        },
    )


@board_view(Permission.VIEW_PICTURE)
def picture_new_period(request, board, picture_id):
    pic = get_picture_for_user(request.user, board, picture_id)
    require(request.user, board, Permission.MANAGE_PICTURE)
    form = NewPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = periods.picture_new_period(
                picture=pic, period=form.cleaned_data["period"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Period %(period)s started. The substantiation is kept.")
                % {"period": new.period},
            )
            return redirect("picture:picture", board_id=board.pk, picture_id=new.pk)
    return render(
        request,
        "picture/new_period.html",
        {"board": board, "pic": pic, "form": form, "unit_name": unit_name(board, pic.school)},
    )


@board_view(Permission.VIEW_PICTURE)
def picture_migrate(request, board, picture_id):
    """Move a unit to another framework version through a mapping the user confirms."""
    pic = get_picture_for_user(request.user, board, picture_id)
    require(request.user, board, Permission.MANAGE_PICTURE)
    targets = services.versions_for_unit(pic.school).exclude(pk=pic.framework_version_id)
    target = None
    chosen = request.POST.get("to_version") or request.GET.get("naar")
    if chosen:
        target = targets.filter(pk=_int_or_none(chosen)).first()
        if target is None:
            raise Http404
    form = None
    if target is not None:
        old = list(Standard.objects.filter(framework_version=pic.framework_version))
        new = list(Standard.objects.filter(framework_version=target))
        form = MigrateForm(
            request.POST if request.method == "POST" else None,
            old_standards=old,
            new_standards=new,
            proposal=periods.proposed_mapping(pic.framework_version, target),
            initial={"period": pic.period},
        )
        if request.method == "POST" and form.is_valid():
            try:
                moved = periods.picture_migrate(
                    picture=pic,
                    to_version=target,
                    mapping=form.mapping(),
                    period=form.cleaned_data["period"],
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The picture now uses %(v)s.") % {"v": target})
                return redirect("picture:picture", board_id=board.pk, picture_id=moved.pk)
    return render(
        request,
        "picture/migrate.html",
        {
            "board": board,
            "pic": pic,
            "unit_name": unit_name(board, pic.school),
            "targets": targets,
            "target": target,
            "form": form,
        },
    )


@board_view(Permission.VIEW_PICTURE)
def indicators(request, board):
    """The board's own indicators per perspective; the board office adds and retires them."""
    can_manage = has_permission(request.user, board, Permission.MANAGE_PICTURE)
    form = IndicatorForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.indicator_create(board=board, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Indicator “%(title)s” added to the current pictures.")
                    % {"title": form.cleaned_data["title"]},
                )
                return redirect("picture:indicators", board_id=board.pk)
    return render(
        request,
        "picture/indicators.html",
        {
            "board": board,
            "indicators": indicators_for_user(request.user, board),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if form is not None and form.errors else 200,
    )


@board_view(Permission.MANAGE_PICTURE)
def indicator_edit(request, board, indicator_id):
    """Change an indicator's words, unit, direction, norm and target; its code stays."""
    indicator = get_indicator_for_user(request.user, board, indicator_id, write=True)
    form = IndicatorEditForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Indicator “%(title)s” saved.") % {"title": indicator.title}
            )
            return redirect("picture:indicators", board_id=board.pk)
    return render(
        request,
        "picture/indicator_edit.html",
        {"board": board, "indicator": indicator, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@board_view(Permission.MANAGE_PICTURE)
def indicator_toggle(request, board, indicator_id):
    indicator = get_indicator_for_user(request.user, board, indicator_id, write=True)
    services.indicator_set_active(indicator=indicator, active=not indicator.active)
    return redirect("picture:indicators", board_id=board.pk)


@board_view(Permission.VIEW_PICTURE)
@kept_page
def picture_present(request, board, picture_id):
    """The picture as slides, for a meeting or a visit: one page with every slide; a small
    script shows one at a time, and without it the page reads top to bottom."""
    picture = get_picture_for_user(request.user, board, picture_id)
    return render(
        request,
        "picture/present.html",
        {
            "board": board,
            "presentation": selectors.presentation(picture),
            "picture_url": reverse("picture:picture", args=[board.pk, picture.pk]),
        },
    )
