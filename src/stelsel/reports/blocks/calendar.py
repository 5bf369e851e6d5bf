"""The quality calendar: the meetings of the report's period at the tables of its schools (and
the board's own tables in a board report), whether each was held, cancelled or not recorded,
the meetings that were missed, and the decisions taken.

Read as the calendar's pages read them: the archive's `past_meetings` for the meetings before
today, the calendar's `meetings_ahead` for those still to come in the period, and its
`missed_meetings` for the planned dates nothing was recorded for (within the grace period of
`GRACE_DAYS`). A missed meeting is judged as the calendar judged it on the period's last day (or
today, for a period that has not ended), with what is recorded now. Everything is read once for
all tables: a fixed number of queries, whatever the number of schools, tables or meetings.
"""

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stelsel.lib.date_formats import short_date
from stelsel.meetings.archive import past_meetings
from stelsel.meetings.models import Decision, MeetingSeries, MeetingState
from stelsel.meetings.selectors import (
    GRACE_DAYS,
    LOOKBACK_DAYS,
    local_midnight,
    meetings_ahead,
    missed_meetings,
)
from stelsel.reports.blocks import BlockKind, Scope, register, table

KEY = "calendar"


def scope_tables(scope: Scope):
    """The tables of the scope's schools, and the board's own for a board report."""
    units = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        units |= Q(school__isnull=True)
    return MeetingSeries.objects.filter(board=scope.board).filter(units)


def period_meetings(scope: Scope, tables, today: dt.date) -> list:
    """The meetings of the period, oldest first: the past ones as the archive reads them, the
    coming ones as the calendar does."""
    cutoff = min(today, scope.end + dt.timedelta(days=1))
    found = list(
        past_meetings(tables, cutoff, table=None, school_year="")
        .filter(starts_at__gte=local_midnight(scope.start))
        .order_by("starts_at", "series__name", "pk")
    )
    if scope.end >= today:
        for month in meetings_ahead(tables, today, (scope.end - today).days):
            found += [m for m in month.meetings if timezone.localdate(m.starts_at) >= scope.start]
    return found


def missed_reference(scope: Scope, today: dt.date) -> dt.date:
    """The day the calendar's judgement of missed meetings is read on: a week's grace after
    the period's last day, or today for a period that has not ended that long ago."""
    return min(today, scope.end + dt.timedelta(days=GRACE_DAYS + 1))


def period_missed(scope: Scope, tables, reference: dt.date) -> list:
    """The planned dates of the period that were not recorded, as the calendar judged them on
    `reference`."""
    return [
        m
        for m in missed_meetings(scope.board, reference, series=tables)
        if scope.start <= m.date <= scope.end
    ]


def period_decisions(scope: Scope, tables) -> list[Decision]:
    return list(
        Decision.objects.filter(
            board=scope.board,
            meeting__series__in=tables,
            meeting__starts_at__gte=local_midnight(scope.start),
            meeting__starts_at__lt=local_midnight(scope.end + dt.timedelta(days=1)),
        )
        .select_related("meeting__series", "action")
        .order_by("meeting__starts_at", "meeting_id", "created_at", "pk")
    )


def _state(meeting, today: dt.date) -> str:
    if meeting.state == MeetingState.HELD:
        return _("Held")
    if meeting.state == MeetingState.CANCELLED:
        return _("Cancelled")
    if timezone.localdate(meeting.starts_at) < today:
        return _("Not recorded")
    return _("Planned")


def collect(scope: Scope) -> dict:
    today = timezone.localdate()
    board = scope.board
    tables = scope_tables(scope)
    meetings = period_meetings(scope, tables, today)
    reference = missed_reference(scope, today)
    missed = period_missed(scope, tables, reference)
    decisions = period_decisions(scope, tables)
    path = reverse("meetings:calendar", args=[board.pk])
    if len(scope.schools) == 1 and not scope.board_level:
        path += f"?school={scope.schools[0].pk}"
    snapshot = {"source": _("Quality calendar"), "source_path": path, "as_of": today.isoformat()}
    period = {"start": short_date(scope.start), "end": short_date(scope.end)}
    if not (meetings or missed or decisions):
        snapshot["empty"] = _("No meetings of these tables from %(start)s to %(end)s.") % period
        return snapshot
    names = {s.pk: s.name for s in scope.schools}

    def unit(series) -> str:
        return names.get(series.school_id, board.name)

    counted = Counter()
    per_meeting = Counter(d.meeting_id for d in decisions)
    for m in meetings:
        counted[(m.series.school_id, m.state)] += 1
    for m in missed:
        counted[(m.series.school_id, "missed")] += 1
    for d in decisions:
        counted[(d.meeting.series.school_id, "decisions")] += 1
    units = [*scope.school_ids, *([None] if scope.board_level else [])]
    summary = [
        [
            names.get(pk, board.name),
            counted[(pk, MeetingState.HELD)],
            counted[(pk, MeetingState.CANCELLED)],
            counted[(pk, "missed")],
            counted[(pk, "decisions")],
        ]
        for pk in units
    ]
    tables_out = [
        table(
            _("Meetings from %(start)s to %(end)s") % period,
            [_("Unit"), _("Held"), _("Cancelled"), _("Missed"), _("Decisions taken")],
            summary,
        )
    ]
    if meetings:
        tables_out.append(
            table(
                _("Meetings"),
                [_("Date"), _("Table"), _("Unit"), _("State"), _("Decisions")],
                [
                    [
                        short_date(m.starts_at),
                        m.series.name,
                        unit(m.series),
                        _state(m, today),
                        per_meeting[m.pk],
                    ]
                    for m in meetings
                ],
            )
        )
    if missed:
        tables_out.append(
            table(
                _("Missed meetings"),
                [_("Planned on"), _("Table"), _("Unit"), _("In Stelsel")],
                [
                    [
                        short_date(m.date),
                        m.series.name,
                        unit(m.series),
                        _("Planned, not recorded") if m.meeting_id else _("Not planned in Stelsel"),
                    ]
                    for m in missed
                ],
                ngettext(
                    "A planned meeting counts as missed when nothing was recorded within %(n)s "
                    "day of its date.",
                    "A planned meeting counts as missed when nothing was recorded within %(n)s "
                    "days of its date.",
                    GRACE_DAYS,
                )
                % {"n": GRACE_DAYS},
            )
        )
    if decisions:
        tables_out.append(
            table(
                _("Decisions taken"),
                [_("Date"), _("Table"), _("Unit"), _("Decision"), _("Action")],
                [
                    [
                        short_date(d.meeting.starts_at),
                        d.meeting.series.name,
                        unit(d.meeting.series),
                        d.text,
                        d.action.title if d.action_id else None,
                    ]
                    for d in decisions
                ],
            )
        )
    snapshot["tables"] = tables_out
    lookback = reference - dt.timedelta(days=LOOKBACK_DAYS)
    if scope.start < lookback:
        snapshot["notes"] = [
            _("Missed meetings are counted from %(date)s on: the calendar looks back one year.")
            % {"date": short_date(lookback)}
        ]
    return snapshot


register(
    BlockKind(
        key=KEY,
        label=gettext_lazy("The quality calendar"),
        description=gettext_lazy(
            "The meetings of the period at the tables of the schools: held, cancelled or "
            "missed, and the decisions taken."
        ),
        collect=collect,
    )
)
