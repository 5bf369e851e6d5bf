"""Pages for the organisers and readers of self-evaluation rounds."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stelsel.lib import date_formats
from stelsel.lib.conflicts import conflict_view, form_pairs
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_permission
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission, Role
from stelsel.selfevaluation import charts, exports, library, selectors, services
from stelsel.selfevaluation.access import (
    get_agenda_point_for_user,
    get_round_for_user,
    may_create_rounds,
    may_run_board_rounds,
    may_run_round,
    may_see_results,
    round_schools_for_user,
    rounds_for_user,
)
from stelsel.selfevaluation.agenda import (
    agenda_generate,
    agenda_point_add,
    agenda_point_delete,
    agenda_point_update,
)
from stelsel.selfevaluation.forms import InvitationsForm, ReopenForm, RoundForm, ShareForm
from stelsel.selfevaluation.models import Perspective, QuestionnaireVersion, RoundState


@board_view(Permission.VIEW_ROUNDS)
def round_list(request, board):
    rounds = list(
        rounds_for_user(request.user, board).select_related("school", "questionnaire_version")
    )
    return render(
        request,
        "selfevaluation/round_list.html",
        {
            "board": board,
            "rounds": rounds,
            "can_create": may_create_rounds(request.user, board),
            "can_manage": has_permission(request.user, board, Permission.MANAGE_ROUNDS),
            "rollups": selectors.rollup_candidates(rounds),
        },
    )


def _round_form_kwargs(user, board) -> dict:
    """The choices of the round form for this user: the schools they may run rounds for, and
    the board itself only for the board office (403 for those who may run none)."""
    return {
        "board": board,
        "schools": round_schools_for_user(user, board),
        "board_rounds": may_run_board_rounds(user, board),
    }


def _round_values(form) -> dict:
    data = form.cleaned_data
    return {
        "school": data["school"],
        "questionnaire_version": data["questionnaire_version"],
        "title": data["title"],
        "opens_on": data["opens_on"],
        "closes_on": data["closes_on"],
        "perspectives": form.perspective_pairs(),
        "k": data["k"],
        "k_text": data["k_text"],
    }


@board_view(Permission.VIEW_ROUNDS)  # who may run rounds is the access module's to say
def round_create(request, board):
    form = RoundForm(request.POST or None, **_round_form_kwargs(request.user, board))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                board=board,
                created_by=request.user,
                run_by_school=not may_run_board_rounds(request.user, board),
                **_round_values(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Round “%(title)s” created as a draft. Add invitations, then open it.")
                % {"title": round_.title},
            )
            return redirect("selfevaluation:round", board_id=board.pk, round_id=round_.pk)
    return render(request, "selfevaluation/round_form.html", {"board": board, "form": form})


def _round_pairs(form):
    """(label, saved, editor's) for the comparison after a refused save of a round."""
    perspective_names = dict(Perspective.choices)

    def pairs(current, mine: dict) -> list:
        saved = {
            "perspectives": [str(p) for p in current.perspectives.all()],
            "school": current.school or _("the board"),
        }
        chosen = [perspective_names.get(code, code) for code in mine.get("perspectives", [])]
        if (mine.get("custom_group") or "").strip():
            chosen.append(mine["custom_group"].strip())
        mine = {**mine, "perspectives": chosen, "school": mine.get("school") or _("the board")}
        names = ["title", "questionnaire_version", "school", "opens_on", "closes_on", "k"]
        rows = form_pairs(form.fields, names, current, mine, saved=saved)
        rows.insert(
            3, (form.fields["perspectives"].label, saved["perspectives"], mine["perspectives"])
        )
        rows.append((form.fields["k_text"].label, current.k_text, mine.get("k_text")))
        return rows

    return pairs


@board_view(Permission.VIEW_ROUNDS)  # the round is looked up first: 404 before 403
def round_edit(request, board, round_id):
    """Change a draft round before it opens; an opened round is shown, not changed."""
    round_ = get_round_for_user(request.user, board, round_id, write=True)
    if round_.state != RoundState.DRAFT:
        messages.error(request, _("Only a draft round can be edited; this one has been opened."))
        return redirect("selfevaluation:round", board_id=board.pk, round_id=round_.pk)
    form_kwargs = {**_round_form_kwargs(request.user, board), "editing": True}
    context = {"board": board, "round": round_}
    status = 200
    if request.method == "POST":
        form = RoundForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.round_update(
                    round_=round_, revision=form.cleaned_data["revision"], **_round_values(form)
                )
            except EditConflict as exc:
                conflict = conflict_view(
                    exc,
                    data=request.POST,
                    form_factory=lambda data: RoundForm(data, **form_kwargs),
                    pairs_of=_round_pairs(form),
                )
                form = conflict.form
                context |= conflict.context()
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Round “%(title)s” saved.") % {"title": form.cleaned_data["title"]}
                )
                return redirect("selfevaluation:round", board_id=board.pk, round_id=round_.pk)
    else:
        form = RoundForm(initial=RoundForm.initial_for(round_), **form_kwargs)
    context["form"] = form
    return render(request, "selfevaluation/round_form.html", context, status=status)


@board_view(Permission.VIEW_ROUNDS)
def round_detail(request, board, round_id):
    round_ = get_round_for_user(request.user, board, round_id)
    can_manage = may_run_round(request.user, board, round_)
    perspectives = list(round_.perspectives.all())
    counts = selectors.invitation_counts(round_) if can_manage else {}
    return render(
        request,
        "selfevaluation/round_detail.html",
        {
            "board": board,
            "round": round_,
            "perspectives": perspectives,
            "can_manage": can_manage,
            "can_edit": can_manage and round_.state == RoundState.DRAFT,
            "may_see_results": may_see_results(request.user, round_),
            "rate": selectors.response_rate(round_),
            "invitations_form": InvitationsForm(perspectives=perspectives) if can_manage else None,
            "share_form": ShareForm(initial={"roles": round_.shared_with}) if can_manage else None,
            "reopen_form": ReopenForm() if can_manage else None,
            "invitation_counts": counts,
            "small": selectors.small_perspectives(round_, perspectives, counts)
            if can_manage
            else [],
            "meeting_urls": {
                p.pk: services.meeting_url(p.meeting_code) for p in perspectives if p.meeting_code
            }
            if can_manage
            else {},
        },
    )


def _roles_named(roles) -> str:
    return ", ".join(str(Role(role).label).lower() for role in roles)


@require_POST
@board_view(Permission.VIEW_ROUNDS)  # the round is looked up first: 404 before 403
def round_action(request, board, round_id, action):
    """A step in the round's life; the message says what it did."""
    round_ = get_round_for_user(request.user, board, round_id, write=True)
    try:
        if action == "open":
            sent = services.round_open(round_=round_).invitations_sent
            done = ngettext(
                "Round opened: %(n)d invitation sent.",
                "Round opened: %(n)d invitations sent.",
                sent,
            ) % {"n": sent}
        elif action == "close":
            services.round_close(round_=round_)
            done = _("Round closed: the results are ready; share them when you are ready.")
        elif action == "share":
            form = ShareForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the roles to share with."))
            shared = services.round_share(round_=round_, roles=form.cleaned_data["roles"])
            done = (
                _("Results shared with: %(roles)s.") % {"roles": _roles_named(shared.shared_with)}
                if shared.shared_with
                else _("Results no longer shared: only the organisers see them.")
            )
        elif action == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the reason for reopening."))
            reopened = services.round_reopen(round_=round_, reason=form.cleaned_data["reason"])
            done = _("Round reopened until %(date)s.") % {
                "date": date_formats.full_date(reopened.closes_on)
            }
        elif action == "meeting":
            perspective = round_.perspectives.filter(
                pk=_number(request.POST.get("perspective"))
            ).first()
            if perspective is None:
                raise ValidationError(_("Unknown perspective."))
            perspective = services.meeting_code_start(
                round_=round_, perspective=perspective, cap=_number(request.POST.get("cap")) or 0
            )
            done = ngettext(
                "Meeting code for %(group)s: %(code)s, for at most %(n)d person.",
                "Meeting code for %(group)s: %(code)s, for at most %(n)d people.",
                perspective.meeting_cap,
            ) % {
                "group": perspective,
                "code": perspective.meeting_code_grouped,
                "n": perspective.meeting_cap,
            }
        elif action == "remind":
            # The number sent would tell how many invitations were answered.
            services.invitations_send(round_=round_, reminder=True)
            done = _("A reminder went to everyone who has not answered yet.")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("selfevaluation:round", board_id=board.pk, round_id=round_.pk)


@require_POST
@board_view(Permission.VIEW_ROUNDS)  # the round is looked up first: 404 before 403
def invitations_add(request, board, round_id):
    round_ = get_round_for_user(request.user, board, round_id, write=True)
    perspectives = list(round_.perspectives.all())
    form = InvitationsForm(request.POST, perspectives=perspectives)
    if not form.is_valid():
        messages.error(request, _("Choose a perspective and give at least one address."))
    else:
        perspective = next(p for p in perspectives if p.pk == form.cleaned_data["perspective"])
        try:
            added = services.invitations_add(
                round_=round_, perspective=perspective, emails=form.addresses()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages) + " " + _("Nobody was added."))
        else:
            messages.success(request, _invitations_added_message(added, perspective, round_))
    return redirect("selfevaluation:round", board_id=board.pk, round_id=round_.pk)


def _invitations_added_message(added: int, perspective, round_) -> str:
    if not added:
        return _("No new invitations for %(group)s: every address was invited already.") % {
            "group": perspective
        }
    if round_.state == RoundState.OPEN:
        text = ngettext(
            "%(n)d invitation for %(group)s added and sent.",
            "%(n)d invitations for %(group)s added and sent.",
            added,
        )
    else:
        text = ngettext(
            "%(n)d invitation for %(group)s added; it goes out when the round opens.",
            "%(n)d invitations for %(group)s added; they go out when the round opens.",
            added,
        )
    return text % {"n": added, "group": perspective}


def _meeting_perspective(request, board, round_id, perspective_id):
    """The round and the perspective whose meeting code is to be shown, for those who run the
    round; 404 when it has no code or the round is not open (the code answers nothing then)."""
    round_ = get_round_for_user(request.user, board, round_id, write=True)
    perspective = round_.perspectives.filter(pk=perspective_id).first()
    if perspective is None or not perspective.meeting_code or round_.state != RoundState.OPEN:
        raise Http404
    return round_, perspective


@board_view(Permission.VIEW_ROUNDS)  # the round is looked up first: 404 before 403
def meeting_present(request, board, round_id, perspective_id):
    """The meeting code for the screen in the room: a large QR code, the grouped code and where
    to enter it, readable from the back of the room; full screen with the script, and the
    browser's own full screen without it."""
    round_, perspective = _meeting_perspective(request, board, round_id, perspective_id)
    entry_url = settings.SITE_URL + reverse("selfevaluation:meeting_entry")
    return render(
        request,
        "selfevaluation/meeting_present.html",
        {
            "board": board,
            "round": round_,
            "perspective": perspective,
            "meeting_url": services.meeting_url(perspective.meeting_code),
            "entry_address": entry_url.split("://", 1)[-1],
        },
    )


@board_view(Permission.VIEW_ROUNDS)  # the round is looked up first: 404 before 403
def meeting_qr(request, board, round_id, perspective_id):
    """The meeting code of a perspective as a QR code, to show on the screen in the room."""
    _round, perspective = _meeting_perspective(request, board, round_id, perspective_id)
    image = qrcode.make(
        services.meeting_url(perspective.meeting_code),
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=12,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _results_context(request, board, round_id):
    """The results of a round for its page and its exports, or None when they are not for
    this user (yet)."""
    round_ = get_round_for_user(request.user, board, round_id)
    if not may_see_results(request.user, round_):
        return round_, None
    results = selectors.round_results(round_, viewer=request.user)
    return round_, {
        "board": board,
        "round": round_,
        "results": results,
        "benchmark": selectors.benchmark(results),
        "radar": charts.results_radar(results),
        "legend": _legend(results),
        "item_charts": _item_charts(results),
    }


def _unavailable(request, board, round_):
    return render(
        request,
        "selfevaluation/results_unavailable.html",
        {"board": board, "round": round_, "rate": selectors.response_rate(round_)},
        status=403,
    )


@board_view(Permission.VIEW_ROUNDS)
def round_results(request, board, round_id):
    round_, context = _results_context(request, board, round_id)
    if context is None:
        return _unavailable(request, board, round_)
    return render(request, "selfevaluation/results.html", context)


def _download(content: bytes, content_type: str, round_, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = slugify(round_.title) or "resultaten"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@board_view(Permission.VIEW_ROUNDS)
def results_pdf(request, board, round_id):
    round_, context = _results_context(request, board, round_id)
    if context is None:
        return _unavailable(request, board, round_)
    return _download(exports.results_pdf(context), "application/pdf", round_, "pdf")


@board_view(Permission.VIEW_ROUNDS)
def results_xlsx(request, board, round_id):
    round_, context = _results_context(request, board, round_id)
    if context is None:
        return _unavailable(request, board, round_)
    return _download(
        exports.results_workbook(context["results"]),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        round_,
        "xlsx",
    )


def _legend(results) -> list[tuple[str, str]]:
    return [
        (str(p), charts.PALETTE[i % len(charts.PALETTE)])
        for i, p in enumerate(results.perspectives)
    ]


def _item_charts(results) -> dict[int, str]:
    out = {}
    for section in results.sections:
        for item in section.items:
            series = [
                charts.Series(
                    str(p),
                    charts.PALETTE[i % len(charts.PALETTE)],
                    [item.row.cells[p.pk].mean if item.row.cells[p.pk].published else None],
                )
                for i, p in enumerate(results.perspectives)
            ]
            out[item.item.pk] = charts.dots(
                series,
                scale_min=results.scale_min,
                scale_max=results.scale_max,
                title=item.item.code,
            )
    return out


@board_view(Permission.VIEW_ROUNDS)
def agenda(request, board, round_id):
    """The conversation agenda: readable (and printable) for whoever may see the results,
    editable by the organisers."""
    round_, context = _results_context(request, board, round_id)
    if context is None:
        return _unavailable(request, board, round_)
    can_manage = may_run_round(request.user, board, round_)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            _agenda_post(request, board, round_, context["results"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("selfevaluation:agenda", board_id=board.pk, round_id=round_.pk)
    points = list(round_.agenda.select_related("standard", "item"))
    standards = [s.section.standard for s in context["results"].sections]
    return render(
        request,
        "selfevaluation/agenda.html",
        {
            **context,
            "points": points,
            "can_manage": can_manage,
            "standards": standards,
        },
    )


def _agenda_post(request, board, round_, results) -> None:
    action = request.POST.get("action")
    if action == "generate":
        count = agenda_generate(round_=round_, results=results)
        messages.success(
            request,
            ngettext(
                "Agenda made from the results: %(n)d point.",
                "Agenda made from the results: %(n)d points.",
                count,
            )
            % {"n": count},
        )
    elif action == "add":
        standard = next(
            (
                s.section.standard
                for s in results.sections
                if str(s.section.standard.pk) == request.POST.get("standard")
            ),
            None,
        )
        if standard is None:
            raise ValidationError(_("Choose a standard of this questionnaire."))
        agenda_point_add(
            round_=round_, standard=standard, question=request.POST.get("question", "")
        )
    elif action in ("update", "delete"):
        point = get_agenda_point_for_user(
            request.user, board, request.POST.get("point"), round_=round_, write=True
        )
        if action == "delete":
            agenda_point_delete(point=point)
        else:
            agenda_point_update(
                point=point,
                question=request.POST.get("question", ""),
                note=request.POST.get("note", ""),
            )
    else:
        raise ValidationError(_("Unknown action."))


@board_view(Permission.MANAGE_ROUNDS)
def rollup(request, board, version_id):
    """The board's picture from the schools' rounds of one questionnaire (three at least)."""
    if not 0 < version_id < 2**63:
        raise Http404
    rounds = list(
        rounds_for_user(request.user, board)
        .filter(questionnaire_version_id=version_id, school__isnull=False)
        .select_related("school", "questionnaire_version")
    )
    if not rounds:
        raise Http404
    result = selectors.board_rollup(rounds)
    return render(
        request,
        "selfevaluation/rollup.html",
        {
            "board": board,
            "rollup": result,
            "version": rounds[0].questionnaire_version,
            "minimum": selectors.MIN_ROLLUP_SCHOOLS,
        },
    )


@board_view(Permission.MANAGE_ROUNDS)
def questionnaire_compose(request, board):
    """Compose the board's own questionnaire from the statements of a library questionnaire."""
    versions = list(
        QuestionnaireVersion.objects.filter(questionnaire__board__isnull=True)
        .select_related("questionnaire")
        .order_by("name")
    )
    base = next((v for v in versions if str(v.pk) == request.GET.get("base", "")), None)
    if request.method == "POST":
        base = next((v for v in versions if str(v.pk) == request.POST.get("base", "")), None)
        try:
            if base is None:
                raise ValidationError({"base": _("Choose the questionnaire to start from.")})
            item_ids = [n for n in map(_number, request.POST.getlist("items")) if n is not None]
            composed = library.questionnaire_compose(
                board=board, base=base, name=request.POST.get("name", ""), item_ids=item_ids
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Questionnaire “%(name)s” made; choose it for a new round.")
                % {"name": composed.name},
            )
            return redirect("selfevaluation:round_create", board_id=board.pk)
    sections = base.sections.select_related("standard").prefetch_related("items") if base else []
    return render(
        request,
        "selfevaluation/questionnaire_compose.html",
        {
            "board": board,
            "versions": versions,
            "base": base,
            "sections": sections,
        },
    )


def _number(raw) -> int | None:
    """A positive whole number from a form field, or None (never an exception)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
