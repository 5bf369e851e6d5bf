"""Pages of the quality calendar: the board's calendar, tables, meetings with their agenda,
minutes and decisions; a person's calendar feed and the reminder unsubscribe page.

Views are thin: objects come through access.py, reads through selectors, writes through
services. Reading needs VIEW_PLANS, setting up tables MANAGE_CALENDAR and recording meetings
RECORD_MEETINGS, each on the table's unit.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from stelsel.lib.conflicts import choice_label, conflict_view, form_pairs
from stelsel.lib.date_formats import full_date
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.lib.throttle import GuessThrottle
from stelsel.meetings import reminders, selectors, services, table_sets
from stelsel.meetings.access import (
    calendar_feed_for_token,
    get_agenda_item_for_user,
    get_calendar_feed_for_user,
    get_meeting_for_user,
    get_meeting_series_for_user,
    may_record_meetings,
    meeting_series_for_user,
)
from stelsel.meetings.archive import archive_school_years, past_meetings
from stelsel.meetings.feed import feed_calendar, feed_url, webcal_url
from stelsel.meetings.forms import (
    AgendaItemForm,
    ArchiveFilterForm,
    DecisionForm,
    HolidayRegionsForm,
    MeetingRecordForm,
    MonthFilterForm,
    RoundPointsForm,
    SeriesForm,
    TableFilterForm,
)
from stelsel.meetings.holiday_regions import region_map
from stelsel.meetings.holidays import holiday_calendar
from stelsel.meetings.models import Meeting, MeetingState, Rhythm
from stelsel.meetings.month_view import month_grid
from stelsel.meetings.region_settings import holiday_regions_set
from stelsel.organisations.access import has_permission, has_unit_permission, require, require_unit
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission
from stelsel.organisations.unit_choice import filter_unit, unit_step
from stelsel.organisations.units import (
    BOARD_UNIT,
    unit_name,
    units_with,
)
from stelsel.selfevaluation.access import (
    get_agenda_point_for_user,
    get_round_for_user,
    rounds_for_user,
)

STATE_TONES = {
    MeetingState.PLANNED: "",
    MeetingState.HELD: "positive",
    MeetingState.CANCELLED: "warn",
}


# --- The calendar -------------------------------------------------------------------------


@board_view(Permission.VIEW_PLANS)
@kept_page
def calendar(request, board):
    user = request.user
    today = timezone.localdate()
    visible = meeting_series_for_user(user, board)
    form = TableFilterForm(
        request.GET or None, units=units_with(user, board, Permission.VIEW_PLANS)
    )
    if form.is_valid():
        visible = filter_unit(visible, form.cleaned_data["school"])
        if form.cleaned_data["mine"]:
            visible = visible.filter(members=user)
    tables = [
        {"series": s, "rhythm": selectors.rhythm_text(s), "lacking": selectors.incomplete(s)}
        for s in selectors.tables(visible)
    ]
    missed = selectors.missed_meetings(board, today, series=visible)
    regions = region_map(board.pk)
    return render(
        request,
        "meetings/calendar.html",
        {
            "board": board,
            "form": form,
            "tables": tables,
            "months": selectors.meetings_ahead(visible, today, regions=regions),
            "region_unknown": regions.board is None,
            "can_set_region": has_unit_permission(user, board, Permission.MANAGE_CALENDAR, None),
            "missed": missed,
            "recordable": {
                m.series.pk for m in missed if may_record_meetings(user, board, m.series)
            },
            "grace_days": selectors.GRACE_DAYS,
            "tones": STATE_TONES,
            "can_create": bool(units_with(user, board, Permission.MANAGE_CALENDAR)),
            "can_start": has_unit_permission(user, board, Permission.MANAGE_CALENDAR, None),
            "tables_offered": table_sets.tables_offered(board),
        },
    )


ARCHIVE_PAGE_SIZE = 25


@board_view(Permission.VIEW_PLANS)
def month(request, board):
    """The calendar as a month grid beside the list, with the same filters; `?maand=2026-12`
    names the month (this month by default). A month that is not one is said so, and this
    month is shown."""
    user = request.user
    today = timezone.localdate()
    visible = meeting_series_for_user(user, board)
    form = MonthFilterForm(
        request.GET or None, units=units_with(user, board, Permission.VIEW_PLANS)
    )
    year, number = today.year, today.month
    regions = region_map(board.pk)
    region = regions.board
    if form.is_valid():
        unit = form.cleaned_data["school"]
        visible = filter_unit(visible, unit)
        if unit and unit != BOARD_UNIT:
            region = regions.of(int(unit))
        if form.cleaned_data["mine"]:
            visible = visible.filter(members=user)
        if form.cleaned_data["maand"]:
            year, number = form.cleaned_data["maand"]
    grid = month_grid(visible, year, number, today, region=region, regions=regions)
    kept = {k: v for k, v in request.GET.items() if k != "maand"}
    return render(
        request,
        "meetings/month.html",
        {
            "board": board,
            "form": form,
            "grid": grid,
            "filters": kept,
            "region_unknown": region is None,
            "can_set_region": has_unit_permission(user, board, Permission.MANAGE_CALENDAR, None),
            "holiday_source": holiday_calendar().source,
        },
        status=200 if not form.errors else 400,
    )


@board_view(Permission.VIEW_PLANS)
@kept_page
def archive(request, board):
    """Past meetings, held, cancelled or not recorded, by table and school year, in pages."""
    user = request.user
    today = timezone.localdate()
    visible = meeting_series_for_user(user, board)
    form = ArchiveFilterForm(
        request.GET or None,
        tables=selectors.tables(visible),
        school_years=archive_school_years(visible, today),
    )
    table, school_year = None, ""
    if form.is_valid():
        table, school_year = form.cleaned_data["table"], form.cleaned_data["school_year"]
    meetings = past_meetings(visible, today, table=table, school_year=school_year)
    page = Paginator(meetings, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    regions = region_map(board.pk)
    selectors.mark_holidays(page.object_list, regions)
    kept = {k: v for k, v in request.GET.items() if k != "pagina"}
    return render(
        request,
        "meetings/archive.html",
        {
            "board": board,
            "form": form,
            "page": page,
            "filters": kept,
            "tones": STATE_TONES,
        },
        status=200 if not form.errors else 400,
    )


@board_view(Permission.MANAGE_CALENDAR)
def holiday_regions(request, board):
    """The board's school holiday region and its schools' own: the board office sets them,
    and the tables whose region changes are planned again."""
    require_unit(request.user, board, Permission.MANAGE_CALENDAR, None)
    schools = board.schools.order_by("name")
    regions = region_map(board.pk)
    initial = {"board_region": regions.board or ""} | {
        f"school_{school_id}": region for school_id, region in regions.schools.items()
    }
    form = HolidayRegionsForm(request.POST or None, schools=schools, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                replanned = holiday_regions_set(
                    board=board,
                    region=form.cleaned_data["board_region"],
                    schools=form.school_regions(),
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Holiday regions saved; %(n)s table planned again.",
                        "Holiday regions saved; %(n)s tables planned again.",
                        replanned,
                    )
                    % {"n": replanned},
                )
                return redirect("meetings:calendar", board_id=board.pk)
        status = 400
    return render(
        request,
        "meetings/holiday_regions.html",
        {"board": board, "form": form, "holiday_source": holiday_calendar().source},
        status=status,
    )


@require_POST
@board_view(Permission.MANAGE_CALENDAR)
def tables_start(request, board):
    require_unit(request.user, board, Permission.MANAGE_CALENDAR, None)
    try:
        created = table_sets.tables_start(
            board=board, user=request.user, tables=request.POST.get("tables")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meetings:calendar", board_id=board.pk)
    if created:
        messages.success(
            request,
            _("Tables set up: %(names)s. Fill in each table's place and mandate.")
            % {"names": ", ".join(s.name for s in created)},
        )
    else:
        messages.info(request, _("The board has these tables already."))
    return redirect("meetings:calendar", board_id=board.pk)


# --- Tables -------------------------------------------------------------------------------


def _series_values(data: dict) -> dict:
    return {name: data.get(name) for name in services.SERIES_FIELDS}


@board_view(Permission.MANAGE_CALENDAR)
def series_create(request, board):
    user = request.user
    step = unit_step(
        request,
        board,
        Permission.MANAGE_CALENDAR,
        _("New table"),
        crumb=(reverse("meetings:calendar", args=[board.pk]), _("Quality calendar")),
        empty=_("There is no school or board where you may set up a table."),
    )
    if step.asks:
        return step.asks
    school = step.school
    initial = {
        "rhythm": Rhythm.WEEKS,
        "interval": 6,
        "duration_minutes": 90,
        "first_date": timezone.localdate(),
        "standard_agenda": str(table_sets.PDCA_AGENDA),
        "week_of_month": 2,
        "weekday": 1,
    }
    form = SeriesForm(request.POST or None, board=board, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                board=board, school=school, user=user, **_series_values(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Table “%(name)s” set up; its meetings are planned for a year.")
                % {"name": series.name},
            )
            return redirect("meetings:series", board_id=board.pk, series_id=series.pk)
    return render(
        request,
        "meetings/series_form.html",
        {
            "board": board,
            "form": form,
            "unit_name": unit_name(board, school),
            "change_unit": step.choices > 1,
        },
    )


@board_view(Permission.VIEW_PLANS)
def series_detail(request, board, series_id):
    series = get_meeting_series_for_user(request.user, board, series_id)
    today = timezone.localdate()
    upcoming, past = selectors.series_meetings(series, today)
    regions = region_map(board.pk)
    selectors.mark_holidays(upcoming + past, regions)
    return render(
        request,
        "meetings/series_detail.html",
        {
            "board": board,
            "series": series,
            "rhythm": selectors.rhythm_text(series),
            "lacking": selectors.incomplete(series),
            "members": list(series.members.order_by("name", "email")),
            "upcoming": upcoming,
            "past": past,
            "missed": selectors.missed_meetings(
                board,
                today,
                series=meeting_series_for_user(request.user, board).filter(pk=series.pk),
            ),
            "tones": STATE_TONES,
            "can_manage": has_unit_permission(
                request.user, board, Permission.MANAGE_CALENDAR, series.school
            ),
            "can_record": may_record_meetings(request.user, board, series),
        },
    )


def _series_initial(series) -> dict:
    return {
        **{name: getattr(series, name) for name in services.SERIES_FIELDS if name != "members"},
        "members": list(series.members.values_list("pk", flat=True)),
        "revision": series.revision,
    }


def _series_pairs(fields):
    """The comparison of a refused save, field by field in the form's order and labels."""

    def pairs(current, mine: dict) -> list:
        saved = {"members": current.members.all()}
        return form_pairs(fields, services.SERIES_FIELDS, current, mine, saved=saved)

    return pairs


@board_view(Permission.VIEW_PLANS)
@kept_page
def series_edit(request, board, series_id):
    series = get_meeting_series_for_user(request.user, board, series_id, write=True)
    form = SeriesForm(
        request.POST or None, board=board, school=series.school, initial=_series_initial(series)
    )
    context = {"board": board, "series": series, "unit_name": unit_name(board, series.school)}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(
                series=series,
                revision=form.cleaned_data["revision"] or 0,
                user=request.user,
                **_series_values(form.cleaned_data),
            )
        except EditConflict as exc:
            shown = conflict_view(
                exc,
                data=request.POST,
                form_factory=lambda data: SeriesForm(data, board=board, school=series.school),
                pairs_of=_series_pairs(form.fields),
            )
            form = shown.form
            context |= shown.context()
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Table “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("meetings:series", board_id=board.pk, series_id=series.pk)
    return render(request, "meetings/series_form.html", context | {"form": form}, status=status)


@require_POST
@board_view(Permission.VIEW_PLANS)
def series_plan(request, board, series_id):
    series = get_meeting_series_for_user(request.user, board, series_id, write=True)
    until = timezone.localdate() + dt.timedelta(days=services.PLAN_AHEAD_DAYS)
    count = services.meetings_plan(series=series, until=until, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)d meeting of %(table)s added to the plan.",
            "%(n)d meetings of %(table)s added to the plan.",
            count,
        )
        % {"n": count, "table": series.name},
    )
    return redirect("meetings:series", board_id=board.pk, series_id=series.pk)


# --- A meeting ----------------------------------------------------------------------------


def _meeting_page(request, board, meeting, *, item_form=None, decision_form=None, status=200):
    user = request.user
    series = meeting.series
    items, decisions = selectors.meeting_detail(meeting)
    selectors.mark_holidays([meeting], region_map(board.pk))
    can_record = has_unit_permission(user, board, Permission.RECORD_MEETINGS, series.school)
    return render(
        request,
        "meetings/meeting.html",
        {
            "board": board,
            "meeting": meeting,
            "series": series,
            "items": items,
            "decisions": decisions,
            "tones": STATE_TONES,
            "can_record": can_record,
            "can_act": can_record
            and has_unit_permission(user, board, Permission.MANAGE_ACTIONS, series.school),
            "can_use_rounds": can_record and has_permission(user, board, Permission.MANAGE_ROUNDS),
            # A school leader at the board's table reads its decisions, not the board's actions.
            "sees_actions": has_unit_permission(
                user, board, Permission.VIEW_PICTURE, series.school
            ),
            "open": meeting.state != MeetingState.CANCELLED,
            "item_form": item_form or AgendaItemForm(),
            "decision_form": decision_form or DecisionForm(board=board, school=series.school),
        },
        status=status,
    )


@board_view(Permission.VIEW_PLANS)
def meeting_detail(request, board, meeting_id):
    meeting = get_meeting_for_user(request.user, board, meeting_id)
    return _meeting_page(request, board, meeting)


@board_view(Permission.VIEW_PLANS)
def meeting_record(request, board, meeting_id):
    meeting = get_meeting_for_user(request.user, board, meeting_id, write=True)
    initial = {"state": meeting.state, "minutes": meeting.minutes, "revision": meeting.revision}
    if meeting.state == MeetingState.PLANNED and meeting.starts_at <= timezone.now():
        initial["state"] = MeetingState.HELD
    form = MeetingRecordForm(request.POST or None, initial=initial)
    context = {"board": board, "meeting": meeting}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                meeting=meeting,
                revision=form.cleaned_data["revision"],
                state=form.cleaned_data["state"],
                minutes=form.cleaned_data["minutes"],
                user=request.user,
            )
        except EditConflict as exc:
            shown = conflict_view(
                exc,
                data=request.POST,
                form_factory=MeetingRecordForm,
                pairs_of=lambda current, mine: [
                    (
                        _("State"),
                        current.get_state_display(),
                        choice_label(MeetingRecordForm.base_fields["state"], mine.get("state")),
                    ),
                    (_("Minutes"), current.minutes, mine.get("minutes")),
                ],
            )
            form = shown.form
            context |= shown.context()
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Meeting of %(table)s on %(date)s recorded.")
                % {"table": meeting.series, "date": full_date(meeting.starts_at)},
            )
            return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)
    return render(request, "meetings/meeting_record.html", context | {"form": form}, status=status)


def _recordable(request, board, meeting_id) -> Meeting:
    return get_meeting_for_user(request.user, board, meeting_id, write=True)


@require_POST
@board_view(Permission.VIEW_PLANS)
def agenda_item_add(request, board, meeting_id):
    meeting = _recordable(request, board, meeting_id)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” added to the agenda.") % {"title": form.cleaned_data["title"]},
            )
            return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)
    return _meeting_page(request, board, meeting, item_form=form, status=400)


@require_POST
@board_view(Permission.VIEW_PLANS)
def agenda_from_standard(request, board, meeting_id):
    meeting = _recordable(request, board, meeting_id)
    try:
        items = services.agenda_items_from_standard(meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d item added from the standard agenda.",
                "%(n)d items added from the standard agenda.",
                len(items),
            )
            % {"n": len(items)},
        )
    return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)


@require_POST
@board_view(Permission.VIEW_PLANS)
def agenda_item_delete(request, board, meeting_id, item_id):
    meeting = _recordable(request, board, meeting_id)
    item = get_agenda_item_for_user(request.user, board, item_id, meeting=meeting, write=True)
    services.agenda_item_delete(item=item)
    messages.success(request, _("“%(title)s” removed from the agenda.") % {"title": item.title})
    return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)


@board_view(Permission.VIEW_PLANS)
def agenda_from_round(request, board, meeting_id):
    """Put points of a self-evaluation round's conversation agenda on the meeting's agenda.
    The rounds' agendas are edited by their organisers, so this needs MANAGE_ROUNDS too."""
    user = request.user
    meeting = _recordable(request, board, meeting_id)
    require(user, board, Permission.MANAGE_ROUNDS)
    # Only rounds of the meeting's own unit (or the board's own rounds): the agenda is read by
    # everyone at the table, who may not see another school's results.
    rounds = list(
        rounds_for_user(user, board)
        .filter(Q(school=meeting.series.school_id) | Q(school__isnull=True))
        .filter(agenda__isnull=False)
        .distinct()
        .select_related("school")
    )
    round_ = form = None
    round_id = request.POST.get("round") or request.GET.get("round")
    if round_id:
        round_ = get_round_for_user(user, board, round_id, write=True)
        if round_.school_id not in (None, meeting.series.school_id):
            raise Http404
        points = list(round_.agenda.select_related("standard"))
        form = RoundPointsForm(request.POST or None, points=points)
        if request.method == "POST" and form.is_valid():
            chosen = [
                get_agenda_point_for_user(user, board, pk, round_=round_)
                for pk in form.cleaned_data["points"]
            ]
            try:
                added = services.agenda_items_from_points(meeting=meeting, points=chosen)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d point added to the agenda.",
                        "%(n)d points added to the agenda.",
                        len(added),
                    )
                    % {"n": len(added)},
                )
                return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/agenda_from_round.html",
        {"board": board, "meeting": meeting, "rounds": rounds, "round": round_, "form": form},
    )


@require_POST
@board_view(Permission.VIEW_PLANS)
def decision_add(request, board, meeting_id):
    user = request.user
    meeting = _recordable(request, board, meeting_id)
    school = meeting.series.school
    form = DecisionForm(request.POST, board=board, school=school)
    if form.is_valid():
        data = form.cleaned_data
        if data["create_action"]:
            require_unit(user, board, Permission.MANAGE_ACTIONS, school)
        try:
            services.decision_add(meeting=meeting, user=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Decision recorded, with its action.")
                if data["create_action"]
                else _("Decision recorded."),
            )
            return redirect("meetings:meeting", board_id=board.pk, meeting_id=meeting.pk)
    return _meeting_page(request, board, meeting, decision_form=form, status=400)


# --- A person's calendar feed -------------------------------------------------------------

GUESSES = GuessThrottle("feed")  # unknown or revoked feed addresses


def feed(request, token):
    """The iCalendar feed of a secret address. Unknown and revoked addresses answer 404 and
    count towards the client's limit of guesses; known ones are never throttled."""
    found = calendar_feed_for_token(token)
    if found is None:
        if GUESSES.refused(request):
            return HttpResponse(
                _("Too many unknown calendar addresses. Wait a few minutes."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        raise Http404
    response = HttpResponse(feed_calendar(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="stelsel.ics"'
    patch_cache_control(response, private=True)
    return response


@require_POST
@login_required
def feed_create(request):
    try:
        _feed, raw = services.feed_create(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("account_settings")
    url = feed_url(raw)
    context = {"url": url, "webcal_url": webcal_url(url)}
    response = render(request, "meetings/feed_created.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@login_required
def feed_revoke(request, feed_id):
    found = get_calendar_feed_for_user(request.user, feed_id)
    services.feed_revoke(feed=found)
    messages.success(request, _("Calendar address revoked; calendars that use it stop updating."))
    return redirect("account_settings")


@require_POST
@login_required
def reminders_setting(request):
    if request.POST.get("reminders") == "on":
        services.reminders_opt_in(user=request.user)
        messages.success(request, _("You will get reminder emails about your actions again."))
    else:
        services.reminders_opt_out(user=request.user)
        messages.success(request, _("You will no longer get reminder emails about actions."))
    return redirect("account_settings")


@csrf_exempt  # the one-click unsubscribe of mail clients posts without a form (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop reminder emails with the signed link from an email. GET asks to confirm (a link
    checker that follows links changes nothing); POST opts out. The signature is the only
    check, so no sign-in is needed and a forged request cannot name another person."""
    user = reminders.user_for_unsubscribe_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        services.reminders_opt_out(user=user)
        return render(request, "meetings/unsubscribe.html", {"done": True})
    return render(request, "meetings/unsubscribe.html", {"done": False, "token": token})
