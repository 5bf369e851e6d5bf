"""The picture on a date, against a model: random edits at increasing moments (judging, evidence,
actions, herstelopdrachten and their outcomes, deletions), replayed in plain Python up to the end
of a chosen day, must give what `picture_view(as_of=day)` shows, and what the inspector's view
and the API show for that day. As of today it must be the live picture."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stelsel.organisations.roles import Role
from stelsel.picture.assignments.services import assignment_create, assignment_follow_up
from stelsel.picture.entries import selectors, services
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.evidence.services import evidence_create, evidence_update
from stelsel.picture.models import Assignment, Evidence, Picture
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.models import Action
from tests.factories import (
    grant,
    make_board,
    make_framework_version,
    make_inspector_link,
    make_picture,
    make_school,
    make_user,
)
from tests.factories.clock import LOCAL, at, clock, days_ago

pytestmark = pytest.mark.django_db

CODES = ("KL1", "KL2")
FINISHED = {"done", "cancelled"}
# Late in the evening: edits soon fall just after midnight, local time, which in UTC is still
# the day before.
START = at(days_ago(70), 23, 30)

# --- The edits ---------------------------------------------------------------------------

# Minutes between two edits: 0 writes in the same instant; 1439 and 1441 land either side of
# the same time a day later.
gaps = st.sampled_from([0, 0, 1, 17, 30, 60, 90, 300, 1439, 1441, 2880])
standards = st.frozensets(st.sampled_from(CODES))
# Expiry in days from the day of the edit, so that it falls among the days looked at.
expiry = st.one_of(st.none(), st.integers(-3, 3))
pick = st.integers(0, 20)  # which of the living items, modulo their number

edits = st.one_of(
    st.tuples(
        st.just("judge"),
        st.sampled_from(("KL1", "KL2", "A1")),
        st.sampled_from(("ok", "nok", "nnb")),
        st.integers(0, 1),
        st.booleans(),
    ),
    st.tuples(st.just("evidence"), standards, st.booleans(), expiry),
    st.tuples(st.just("relink"), pick, standards, st.booleans(), expiry),
    st.tuples(
        st.just("action"),
        standards,
        st.booleans(),
        st.sampled_from(("planned", "in_progress", "stalled", "done")),
    ),
    st.tuples(
        st.just("action_status"),
        pick,
        st.sampled_from(("planned", "in_progress", "stalled", "done", "cancelled")),
    ),
    st.tuples(st.just("assignment"), st.sampled_from(CODES)),
    st.tuples(st.just("outcome"), pick, st.sampled_from(("sufficient", "insufficient", ""))),
    st.tuples(st.just("delete"), st.sampled_from(("evidence", "action", "assignment")), pick),
)
histories = st.lists(st.tuples(gaps, edits), min_size=1, max_size=24)
# Days to look at: around an edit (its day, the day before or after).
looks = st.lists(st.tuples(st.integers(0, 23), st.sampled_from([-1, -1, 0, 1])), max_size=3)


# --- The model -----------------------------------------------------------------------------


@dataclass
class Judged:
    status: str = "nnb"
    judged_at: datetime | None = None
    judged_by: str = ""
    requirements_met: int = 0


@dataclass
class Model:
    """What the picture holds, as plain values, change by change. A change names the ids the
    real run gave, so replaying the changes up to a moment needs no database."""

    entries: dict = field(default_factory=lambda: {c: Judged() for c in (*CODES, "A1")})
    evidence: dict = field(default_factory=dict)  # id -> (standards, indicator, expires)
    actions: dict = field(default_factory=dict)  # id -> (standards, indicator, status)
    assignments: dict = field(default_factory=dict)  # id -> (standard, outcome)

    def apply(self, moment: datetime, change: tuple) -> None:
        kind = change[0]
        if kind == "judge":
            _kind, code, status, judge, met = change
            j = self.entries[code]
            if status != j.status:  # the same status again is no new judgement
                j.status, j.judged_at, j.judged_by = status, moment, judge
            if met is not None:
                j.requirements_met = met
        elif kind == "evidence":
            _kind, pk, codes, linked, expires = change
            self.evidence[pk] = (codes, linked, expires)
        elif kind == "action":
            _kind, pk, codes, linked, status = change
            self.actions[pk] = (codes, linked, status)
        elif kind == "action_status":
            _kind, pk, status = change
            self.actions[pk] = (*self.actions[pk][:2], status)
        elif kind == "assignment":
            self.assignments[change[1]] = (change[2], "")
        elif kind == "outcome":
            _kind, pk, outcome = change
            self.assignments[pk] = (self.assignments[pk][0], outcome)
        elif kind == "delete":
            _kind, what, pk = change
            del {"evidence": self.evidence, "action": self.actions}.get(what, self.assignments)[pk]

    def rows(self, day: date) -> dict:
        """The picture at the end of `day`: status and judgement, and what stands behind each
        entry then (evidence expired when its expiry lies before that day)."""

        def counts(code):
            def linked(item):
                return item[1] if code == "A1" else code in item[0]

            evidence = [e for e in self.evidence.values() if linked(e)]
            return (
                len(evidence),
                sum(1 for e in evidence if code != "A1" and e[2] and e[2] < day),
                sum(1 for a in self.actions.values() if linked(a) and a[2] not in FINISHED),
                sum(1 for s, o in self.assignments.values() if s == code and o != "sufficient"),
            )

        return {
            code: (j.status, j.judged_at, j.judged_by, j.requirements_met, *counts(code))
            for code, j in self.entries.items()
        }


def replay(changes: list, end: datetime) -> Model:
    """The model after the changes made by `end`."""
    model = Model()
    for moment, change in changes:
        if moment <= end:
            model.apply(moment, change)
    return model


@dataclass
class World:
    board: object
    school: object
    picture: Picture
    judges: list
    standards: dict
    requirements: dict
    indicator: object


def _world() -> World:
    board = make_board()
    school = make_school(board)
    judges = [make_user(), make_user()]
    grant(judges[0], board, Role.SCHOOL_LEADER, school)
    grant(judges[1], board, Role.QUALITY_OFFICER)
    with clock(START):
        indicator = services.indicator_create(
            board=board, perspective="ambitions", level="both", code="A1", title="Lezen"
        )
        picture = make_picture(board, school)
    Picture.objects.filter(pk=picture.pk).update(created_at=START)
    picture.refresh_from_db()
    found = {s.code: s for s in make_framework_version("school").standards.all()}
    return World(
        board=board,
        school=school,
        picture=picture,
        judges=judges,
        standards=found,
        requirements={c: found[c].requirements.get().pk for c in CODES},
        indicator=indicator,
    )


def _pick(items: dict, which: int):
    return sorted(items)[which % len(items)] if items else None


def _do(w: World, m: Model, moment: datetime, edit) -> tuple | None:
    """Make `edit` through the services at `moment`; the change it made, in the model's terms
    (None when there was nothing to change: no living item of that kind)."""
    kind = edit[0]
    unit = {"board": w.board, "school": w.school}
    with clock(moment):
        if kind == "judge":
            _kind, code, status, judge, tick = edit
            entry = w.picture.entries.get(
                **({"indicator": w.indicator} if code == "A1" else {"standard__code": code})
            )
            met = ([w.requirements[code]] if tick else []) if code != "A1" else None
            entry_update(
                entry=entry,
                revision=entry.revision,
                change=EntryChange(status, requirements_met=met),
                user=w.judges[judge],
            )
            return ("judge", code, status, w.judges[judge].name, None if met is None else len(met))
        if kind in ("evidence", "relink"):
            *_head, codes, linked, expires = edit
            day = moment.astimezone(LOCAL).date()
            expires_on = day + timedelta(days=expires) if expires is not None else None
            links = {
                "standards": [w.standards[c] for c in sorted(codes)],
                "indicators": [w.indicator] if linked else [],
                "effective_on": days_ago(90),
                "expires_on": expires_on,
            }
            if kind == "evidence":
                item = evidence_create(
                    **unit,
                    kind="link",
                    title="Bewijs",
                    url="https://example.org/bewijs",
                    user=w.judges[0],
                    **links,
                )
                pk = item.pk
            else:
                pk = _pick(m.evidence, edit[1])
                if pk is None:
                    return None
                evidence_update(
                    evidence=Evidence.objects.get(pk=pk), title="Bewijs", description="", **links
                )
            return ("evidence", pk, set(codes), linked, expires_on)
        if kind == "action":
            _kind, codes, linked, status = edit
            item = action_create(
                **unit,
                title="Actie",
                status=status,
                standards=[w.standards[c] for c in sorted(codes)],
                indicators=[w.indicator] if linked else [],
            )
            return ("action", item.pk, set(codes), linked, status)
        if kind == "action_status":
            pk = _pick(m.actions, edit[1])
            if pk is None:
                return None
            item = Action.objects.get(pk=pk)
            action_update(action=item, revision=item.revision, status=edit[2])
            return ("action_status", pk, edit[2])
        if kind == "assignment":
            item = assignment_create(
                **unit, standard=w.standards[edit[1]], text="Herstel", deadline=days_ago(-30)
            )
            return ("assignment", item.pk, edit[1])
        if kind == "outcome":
            pk = _pick(m.assignments, edit[1])
            if pk is None:
                return None
            assignment_follow_up(
                assignment=Assignment.objects.get(pk=pk),
                follow_up_on=moment.astimezone(LOCAL).date(),
                outcome=edit[2],
            )
            return ("outcome", pk, edit[2])
        _kind, what, which = edit
        items, model = {
            "evidence": (m.evidence, Evidence),
            "action": (m.actions, Action),
            "assignment": (m.assignments, Assignment),
        }[what]
        pk = _pick(items, which)
        if pk is None:
            return None
        model.objects.get(pk=pk).delete()
        return ("delete", what, pk)


# --- The three ways of reading the past ------------------------------------------------------


def _from_view(view) -> dict:
    return {
        r.code: (
            r.status_code,
            r.judged_at,
            r.judged_by,
            r.requirements_met,
            r.evidence,
            r.evidence_expired,
            r.open_actions,
            r.open_assignments,
        )
        for r in view.rows
    }


def _from_api(data) -> dict:
    return {
        e["code"]: (
            e["status_code"],
            datetime.fromisoformat(e["judged_at"]) if e["judged_at"] else None,
            e["judged_by"],
            e["requirements_met"],
            e["evidence"],
            e["evidence_expired"],
            e["open_actions"],
            e["open_assignments"],
        )
        for e in data["entries"]
    }


def _check(client: Client, w: World, token: str, shared: set, day: date, expected: dict):
    view = selectors.picture_view(w.picture, as_of=day)
    assert [r.code for r in view.rows] == (["KL1", "KL2", "A1"] if expected else [])
    assert _from_view(view) == expected, day

    page = client.get(reverse("picture:inspector_view", args=[token]), {"op": day.isoformat()})
    pictures = page.context["overview"].pictures
    if not expected:
        assert pictures == [], day
    else:
        (item,) = pictures
        assert _from_view(item.view) == expected, day
        assert {r.code: item.shared[r.id] for r in item.view.rows} == {
            r.code: len(r.evidence_ids & shared) for r in view.rows
        }

    answer = client.get(
        reverse("api:picture", args=[w.board.pk, w.picture.pk]), {"as_of": day.isoformat()}
    )
    assert answer.status_code == 200
    assert _from_api(answer.json()) == expected, day


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=histories, looks=looks)
def test_the_picture_on_any_day_is_the_edits_up_to_the_end_of_that_day(history, looks):
    with transaction.atomic():
        w = _world()
        now = Model()
        changes, moment = [], START
        for gap, edit in history:
            moment += timedelta(minutes=gap)
            change = _do(w, now, moment, edit)
            if change is not None:
                now.apply(moment, change)
                changes.append((moment, change))

        today = datetime.now(LOCAL).date()
        days = {START.date() - timedelta(days=1), START.date(), today}
        for index, offset in looks:
            if changes:
                when = changes[index % len(changes)][0].astimezone(LOCAL).date()
                days.add(min(when + timedelta(days=offset), today))

        shared = set(Evidence.objects.filter(school=w.school).values_list("pk", flat=True))
        _link, token = make_inspector_link(
            w.board, w.school, documents=Evidence.objects.filter(pk__in=shared)
        )
        client = Client()
        client.force_login(w.judges[0])
        for day in sorted(days):
            end = datetime.combine(day, time.max, tzinfo=LOCAL)  # the model's own reckoning
            expected = replay(changes, end).rows(day) if end >= START else {}
            _check(client, w, token, shared, day, expected)

        live = selectors.picture_view(w.picture)
        assert selectors.picture_view(w.picture, as_of=today).rows == live.rows
        assert _from_view(live) == now.rows(today)
        transaction.set_rollback(True)
