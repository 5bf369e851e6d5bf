"""The picture as it stood on a date: one row per standard and own indicator, nothing recorded
after the end of that day (local time), evidence, actions and herstelopdrachten as they stood
then, and as of today exactly the live picture; the same on the picture page, the inspector's
view and the API, in a fixed number of queries."""

import importlib
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.frameworks.models import Standard
from stelsel.organisations.roles import Role
from stelsel.picture import asof
from stelsel.picture.assignments.services import assignment_create, assignment_follow_up
from stelsel.picture.entries import periods, selectors, services
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.evidence.services import evidence_create, evidence_update
from stelsel.picture.inspector.selectors import access_label
from stelsel.picture.models import Entry, Evidence, InspectorAccess, Picture
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.models import Action
from tests.factories import (
    SMALL_FRAMEWORK,
    make_framework_version,
    make_inspector_link,
    make_picture,
)
from tests.factories.clock import at, clock, days_ago

pytestmark = pytest.mark.django_db


def _leader(world):
    return world.users[Role.SCHOOL_LEADER]


def _started(world, moment, school=None):
    """A picture of the world's school started at `moment` (with its own indicator)."""
    with clock(moment):
        services.indicator_create(
            board=world.board, perspective="ambitions", level="both", code="A1", title="Lezen"
        )
        picture = make_picture(world.board, school or world.school)
    Picture.objects.filter(pk=picture.pk).update(created_at=moment)
    picture.refresh_from_db()
    return picture


def _entry(picture, code) -> Entry:
    return picture.entries.get(standard__code=code)


def _judge(entry, status, user, moment, **fields):
    entry.refresh_from_db()
    with clock(moment):
        return entry_update(
            entry=entry,
            revision=entry.revision,
            change=EntryChange(status=status, **fields),
            user=user,
        )


def _standard(code):
    return make_framework_version("school").standards.get(code=code)


def _shown(view) -> dict:
    """What a row shows, by code."""
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


def _counts(view) -> dict:
    return {
        r.code: (r.evidence, r.evidence_expired, r.open_actions, r.open_assignments)
        for r in view.rows
    }


# --- The reported symptoms -----------------------------------------------------------------


def test_saves_in_one_instant_give_one_row_per_standard(world):
    """Two judgements written within one tick of the clock (or dated alike by an import) left
    every record of the entry "newest": the standard showed once per record."""
    start = at(days_ago(20), 9)
    picture = _started(world, start)
    kl1 = _entry(picture, "KL1")
    _judge(kl1, "ok", _leader(world), start)
    _judge(kl1, "nok", _leader(world), start)

    view = selectors.picture_view(picture, as_of=days_ago(20))
    assert Counter(r.code for r in view.rows) == {"KL1": 1, "KL2": 1, "A1": 1}
    assert _shown(view)["KL1"][0] == "nok"  # the record written last
    assert sum(block.summary.total for block in view.perspectives) == 3
    assert _shown(view) == _shown(selectors.picture_view(picture))


def test_the_demo_on_any_date_shows_each_standard_once_and_nothing_judged_later(client, world):
    """The reported case: the demo's schools on earlier dates showed standards two or three
    times, judgement dates after the chosen day, "7 van 32 in orde" for 13 standards, and even
    today differed from the live page."""
    call_command("demo")
    today = timezone.localdate()
    pictures = Picture.objects.filter(school__isnull=False, state="current")
    assert pictures.count() >= 7
    for picture in pictures:
        live = selectors.picture_view(picture)
        entries = picture.entries.count()
        # Days of the demo's story (autumn 2026: judgements, the follow-up, judging after it).
        for day in (date(2026, 9, 1), date(2026, 10, 16), date(2026, 10, 25), today):
            view = selectors.picture_view(picture, as_of=day)
            assert all(r.judged_at is None or r.judged_at <= asof.end_of(day) for r in view.rows)
            ids = [r.id for r in view.rows]
            assert len(ids) == len(set(ids)) <= entries, (picture, day)
            assert len({r.code for r in view.rows}) == len(ids)
            assert sum(block.summary.total for block in view.perspectives) == len(ids)
        assert view.rows == live.rows  # today
        assert len(live.rows) == entries


def test_the_page_counts_each_standard_once_and_shows_no_later_judgement(client, world):
    start = at(days_ago(30), 9)
    picture = _started(world, start)
    kl1, kl2 = _entry(picture, "KL1"), _entry(picture, "KL2")
    # Two saves within one tick of the clock, then a judgement after the chosen day.
    _judge(kl1, "ok", _leader(world), at(days_ago(20)))
    _judge(kl1, "nok", _leader(world), at(days_ago(20)))
    _judge(kl2, "ok", _leader(world), at(days_ago(5)))
    client.force_login(_leader(world))
    url = reverse("picture:picture", args=[world.board.pk, picture.pk])

    page = client.get(url, {"op": days_ago(10).isoformat()})
    view = page.context["view"]
    assert [r.code for r in view.rows] == ["KL1", "KL2", "A1"]
    assert [r.status_code for r in view.rows] == ["nok", "nnb", "nnb"]
    assert all(r.judged_at is None or r.judged_at.date() <= days_ago(10) for r in view.rows)
    body = page.content.decode()
    totals = [int(n) for n in re.findall(r"van (\d+) in orde", body)]
    assert sum(totals) == 3, totals  # Dutch first: two standards and one own indicator
    assert "het bewijs, de acties en de herstelopdrachten daarachter, zoals ze toen waren" in body

    today = client.get(url, {"op": timezone.localdate().isoformat()})
    live = client.get(url)
    assert _shown(today.context["view"]) == _shown(live.context["view"])
    assert today.context["view"].rows == live.context["view"].rows


def test_the_end_of_the_day_is_local_time(world):
    """A judgement at 00:30 in Amsterdam belongs to that day, though it is the evening before
    in UTC; one at 23:30 belongs to the day it was made."""
    day = days_ago(12)
    picture = _started(world, at(days_ago(30)))
    _judge(_entry(picture, "KL1"), "ok", _leader(world), at(day, 23, 30))
    _judge(_entry(picture, "KL2"), "nok", _leader(world), at(day + timedelta(days=1), 0, 30))
    shown = _shown(selectors.picture_view(picture, as_of=day))
    assert (shown["KL1"][0], shown["KL2"][0]) == ("ok", "nnb")
    shown = _shown(selectors.picture_view(picture, as_of=day + timedelta(days=1)))
    assert (shown["KL1"][0], shown["KL2"][0]) == ("ok", "nok")


def test_judgements_show_who_judged_and_when_as_it_was_then(world):
    picture = _started(world, at(days_ago(30)))
    first, second = _leader(world), world.users[Role.QUALITY_OFFICER]
    _judge(_entry(picture, "KL1"), "ok", first, at(days_ago(20), 10))
    _judge(
        _entry(picture, "KL1"),
        "nok",
        second,
        at(days_ago(8), 10),
        requirements_met=[_standard("KL1").requirements.get().pk],
    )
    then = _shown(selectors.picture_view(picture, as_of=days_ago(9)))["KL1"]
    assert then[:4] == ("ok", at(days_ago(20), 10), "school_leader user", 0)
    now = _shown(selectors.picture_view(picture, as_of=days_ago(8)))["KL1"]
    assert now[:4] == ("nok", at(days_ago(8), 10), "quality_officer user", 1)
    assert selectors.picture_view(picture, as_of=days_ago(31)).rows == []  # before the start


# --- Evidence, actions and herstelopdrachten as they stood then ------------------------------


def test_evidence_actions_and_herstelopdrachten_count_as_they_stood_then(world):
    user = _leader(world)
    kl1, kl2 = _standard("KL1"), _standard("KL2")
    picture = _started(world, at(days_ago(40)))
    indicator = picture.entries.get(indicator__code="A1").indicator
    with clock(at(days_ago(30))):
        a = evidence_create(
            board=world.board,
            school=world.school,
            kind="link",
            title="Leesplan",
            url="https://example.org/a",
            effective_on=days_ago(60),
            expires_on=days_ago(25),
            standards=[kl1],
            user=user,
        )
        b = evidence_create(
            board=world.board,
            school=world.school,
            kind="link",
            title="Toetskalender",
            url="https://example.org/b",
            effective_on=days_ago(60),
            standards=[kl2],
            indicators=[indicator],
            user=user,
        )
        x = action_create(board=world.board, school=world.school, title="X", standards=[kl1])
        action_create(board=world.board, school=world.school, title="Y", indicators=[indicator])
        h = assignment_create(
            board=world.board,
            school=world.school,
            standard=kl1,
            text="Herstel",
            deadline=days_ago(1),
        )
    with clock(at(days_ago(20))):
        action_update(action=x, revision=x.revision, status="done")
        evidence_update(
            evidence=b,
            title=b.title,
            description="",
            effective_on=b.effective_on,
            expires_on=None,
            standards=[kl1],
            indicators=[],
        )
    with clock(at(days_ago(10))):
        assignment_follow_up(
            assignment=h, follow_up_on=days_ago(10), outcome="sufficient", user=user
        )
        evidence_update(
            evidence=a,
            title=a.title,
            description="",
            effective_on=a.effective_on,
            expires_on=days_ago(-100),
            standards=[kl1],
            indicators=[],
        )
        c = evidence_create(
            board=world.board,
            school=world.school,
            kind="link",
            title="Nieuw",
            url="https://example.org/c",
            standards=[kl2],
            user=user,
        )
    with clock(at(days_ago(5))):
        Evidence.objects.get(pk=b.pk).delete()
        Action.objects.get(title="Y").delete()

    def counts(day):
        return _counts(selectors.picture_view(picture, as_of=day))

    assert counts(days_ago(35)) == {"KL1": (0, 0, 0, 0), "KL2": (0, 0, 0, 0), "A1": (0, 0, 0, 0)}
    # Linked then; A not yet expired; X and Y open; the herstelopdracht open.
    assert counts(days_ago(30)) == {"KL1": (1, 0, 1, 1), "KL2": (1, 0, 0, 0), "A1": (1, 0, 1, 0)}
    # A valid through its expiry day, expired the day after (its expiry moved only later).
    assert counts(days_ago(25))["KL1"] == (1, 0, 1, 1)
    assert counts(days_ago(24)) == {"KL1": (1, 1, 1, 1), "KL2": (1, 0, 0, 0), "A1": (1, 0, 1, 0)}
    # X done; B moved from KL2 and A1 to KL1.
    assert counts(days_ago(20)) == {"KL1": (2, 1, 0, 1), "KL2": (0, 0, 0, 0), "A1": (0, 0, 1, 0)}
    # The follow-up was sufficient; A's expiry moved; C added.
    assert counts(days_ago(10)) == {"KL1": (2, 0, 0, 0), "KL2": (1, 0, 0, 0), "A1": (0, 0, 1, 0)}
    # B and Y deleted: they are gone now, and counted when they existed.
    assert counts(days_ago(5)) == {"KL1": (1, 0, 0, 0), "KL2": (1, 0, 0, 0), "A1": (0, 0, 0, 0)}
    assert selectors.picture_view(picture, as_of=timezone.localdate()).rows == (
        selectors.picture_view(picture).rows
    )
    live = {r.code: r for r in selectors.picture_view(picture).rows}
    assert live["KL2"].evidence_ids == {c.pk}


def test_a_herstelopdracht_counts_under_the_standard_it_had_then(world):
    from stelsel.picture.assignments.services import assignment_update

    picture = _started(world, at(days_ago(40)))
    with clock(at(days_ago(30))):
        h = assignment_create(
            board=world.board,
            school=world.school,
            standard=_standard("KL1"),
            text="Herstel",
            deadline=days_ago(1),
        )
    with clock(at(days_ago(20))):
        assignment_update(assignment=h, standard=_standard("KL2"))
    assert [r.open_assignments for r in selectors.picture_view(picture, as_of=days_ago(25)).rows][
        :2
    ] == [1, 0]
    assert [r.open_assignments for r in selectors.picture_view(picture, as_of=days_ago(15)).rows][
        :2
    ] == [0, 1]


def test_one_save_of_an_action_or_evidence_is_one_history_record_with_its_links(world):
    make_picture(world.board, world.school)
    kl1 = _standard("KL1")
    indicator = services.indicator_create(
        board=world.board, perspective="ambitions", level="both", code="A2", title="Rekenen"
    )
    action = action_create(
        board=world.board, school=world.school, title="X", standards=[kl1], indicators=[indicator]
    )
    evidence = evidence_create(
        board=world.board,
        school=world.school,
        kind="link",
        title="Plan",
        url="https://example.org/plan",
        standards=[kl1],
        indicators=[indicator],
        user=_leader(world),
    )
    for item in (action, evidence):
        (record,) = item.history.all()
        assert [s.standard_id for s in record.standards.all()] == [kl1.pk]
        assert [i.indicator_id for i in record.indicators.all()] == [indicator.pk]


def test_links_made_by_a_move_to_another_version_are_in_the_history(world):
    from tests.picture.entries.test_picture import _next_version

    picture = make_picture(world.board, world.school)
    kl2 = _standard("KL2")
    evidence = evidence_create(
        board=world.board,
        school=world.school,
        kind="link",
        title="Plan",
        url="https://example.org/plan",
        standards=[kl2],
        user=_leader(world),
    )
    action_create(board=world.board, school=world.school, title="X", standards=[kl2])
    new_version = _next_version()
    new_std = {s.code: s for s in Standard.objects.filter(framework_version=new_version)}
    old = {s.code: s for s in Standard.objects.filter(framework_version=picture.framework_version)}
    moved = periods.picture_migrate(
        picture=picture,
        to_version=new_version,
        mapping={old["KL1"].pk: new_std["KL1"].pk, old["KL2"].pk: new_std["KL3"].pk},
        period="2027-2028",
        user=_leader(world),
    )
    live = selectors.picture_view(moved)
    kl3 = next(r for r in live.rows if r.code == "KL3")
    assert (kl3.evidence, kl3.open_actions, kl3.evidence_ids) == (1, 1, {evidence.pk})
    assert selectors.picture_view(moved, as_of=timezone.localdate()).rows == live.rows
    assert evidence.history.first().history_user == _leader(world)


def test_links_recorded_before_their_history_was_kept_count_from_the_start(world):
    """The migration that starts keeping links in the history gives the earlier records the
    links each item has now, so the past does not lose all its evidence and actions."""
    picture = _started(world, at(days_ago(40)))
    kl1 = _standard("KL1")
    with clock(at(days_ago(30))):
        evidence = evidence_create(
            board=world.board,
            school=world.school,
            kind="link",
            title="Plan",
            url="https://example.org/plan",
            standards=[kl1],
            user=_leader(world),
        )
        action = action_create(board=world.board, school=world.school, title="X", standards=[kl1])
    # As the history stood before the migration: records without their links.
    for model in (Evidence, Action):
        model.history.model.standards.model.objects.all().delete()
    assert _counts(selectors.picture_view(picture, as_of=days_ago(30)))["KL1"] == (0, 0, 0, 0)
    for module in (
        "stelsel.picture.migrations.0003_evidence_link_history",
        "stelsel.planning.migrations.0003_action_link_history",
    ):
        importlib.import_module(module).copy_current_links(apps, None)
    assert _counts(selectors.picture_view(picture, as_of=days_ago(30)))["KL1"] == (1, 0, 1, 0)
    assert evidence.history.count() == action.history.count() == 1


# --- The inspector's view and the API go through the same selector ----------------------------


def _history_world(world):
    """A picture with a judgement changed, an action finished and a shared document linked
    later, for comparing the three ways of reading the past."""
    user = _leader(world)
    kl1, kl2 = _standard("KL1"), _standard("KL2")
    picture = _started(world, at(days_ago(40)))
    _judge(_entry(picture, "KL1"), "nok", user, at(days_ago(30)))
    with clock(at(days_ago(30))):
        shared = evidence_create(
            board=world.board,
            school=world.school,
            kind="link",
            title="Gedeeld plan",
            url="https://example.org/gedeeld",
            standards=[kl2],
            user=user,
        )
        x = action_create(board=world.board, school=world.school, title="X", standards=[kl1])
    _judge(_entry(picture, "KL1"), "ok", user, at(days_ago(10)))
    with clock(at(days_ago(10))):
        action_update(action=x, revision=x.revision, status="done")
        evidence_update(
            evidence=shared,
            title=shared.title,
            description="",
            effective_on=shared.effective_on,
            expires_on=None,
            standards=[kl1],
            indicators=[],
        )
    _link, token = make_inspector_link(world.board, world.school, documents=[shared])
    return picture, token


def test_the_inspector_sees_the_picture_as_it_stood_on_a_date(client, world):
    picture, token = _history_world(world)
    url = reverse("picture:inspector_view", args=[token])
    day = days_ago(20)

    page = client.get(url, {"op": day.isoformat()})
    assert page.status_code == 200
    assert "de herstelopdrachten, acties en documenten daarachter" in page.content.decode()
    (item,) = page.context["overview"].pictures
    assert item.view.rows == selectors.picture_view(picture, as_of=day).rows
    shown = {r.code: (r.status_code, r.open_actions, item.shared[r.id]) for r in item.view.rows}
    assert shown == {"KL1": ("nok", 1, 0), "KL2": ("nnb", 0, 1), "A1": ("nnb", 0, 0)}
    now = client.get(url).context["overview"].pictures[0]
    assert {r.code: now.shared[r.id] for r in now.view.rows} == {"KL1": 1, "KL2": 0, "A1": 0}
    today = client.get(url, {"op": timezone.localdate().isoformat()})
    assert today.context["overview"].pictures[0].view.rows == now.view.rows
    assert list(InspectorAccess.objects.order_by("pk").values_list("what", flat=True)) == [
        f"overview {day.isoformat()}",
        "overview",
        f"overview {timezone.localdate().isoformat()}",
    ]
    label = access_label(f"overview {day.isoformat()}")
    assert label.startswith("Overview of the picture as it stood on ")


def test_the_inspector_on_a_date_sees_the_period_that_was_current_then(client, world):
    picture, token = _history_world(world)
    with clock(at(days_ago(3))):
        new = periods.picture_new_period(picture=picture, period="2027-2028")
    Picture.objects.filter(pk=new.pk).update(created_at=at(days_ago(3)))
    url = reverse("picture:inspector_view", args=[token])
    before = client.get(url, {"op": days_ago(20).isoformat()})
    (item,) = before.context["overview"].pictures
    assert item.view.picture.pk == picture.pk and not item.linked
    body = before.content.decode()
    assert reverse("picture:inspector_entry", args=[token, item.view.rows[0].id]) not in body
    (current,) = client.get(url).context["overview"].pictures
    assert current.view.picture.pk == new.pk and current.linked
    empty = client.get(url, {"op": days_ago(60).isoformat()})
    assert empty.context["overview"].pictures == []
    assert "Op die dag was er geen actueel beeld." in empty.content.decode()


@pytest.mark.parametrize("day", ["gisteren", "2026-13-01", "9999-01-01"])
def test_a_bad_date_on_the_inspectors_view_gets_a_message(client, world, day):
    _picture, token = _history_world(world)
    page = client.get(reverse("picture:inspector_view", args=[token]), {"op": day})
    assert page.status_code == 200
    assert b'aria-invalid="true"' in page.content
    assert page.context["as_of"] is None


def test_the_api_as_of_is_the_picture_page_on_that_day(client, world):
    picture, _token = _history_world(world)
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    for day in (days_ago(35), days_ago(20), days_ago(10), timezone.localdate()):
        data = client.get(
            reverse("api:picture", args=[world.board.pk, picture.pk]), {"as_of": day.isoformat()}
        ).json()
        page = client.get(
            reverse("picture:picture", args=[world.board.pk, picture.pk]), {"op": day.isoformat()}
        ).context["view"]
        assert [
            (
                e["code"],
                e["status_code"],
                e["judged_by"],
                e["evidence"],
                e["open_actions"],
                e["open_assignments"],
            )
            for e in data["entries"]
        ] == [
            (r.code, r.status_code, r.judged_by, r.evidence, r.open_actions, r.open_assignments)
            for r in page.rows
        ]
        assert [e["judged_at"] is None for e in data["entries"]] == [
            r.judged_at is None for r in page.rows
        ]
    live = client.get(reverse("api:picture", args=[world.board.pk, picture.pk])).json()
    assert {k: v for k, v in live.items() if k != "as_of"} == {
        k: v for k, v in data.items() if k != "as_of"
    }


# --- Queries ---------------------------------------------------------------------------------


def _version_with(n: int):
    """A school framework version with `n` standards."""
    from stelsel.frameworks.schema import parse_framework
    from stelsel.frameworks.services import framework_version_store

    head = SMALL_FRAMEWORK.split("standards:\n")[0].replace("id: klein-kader", f"id: kader-met-{n}")
    head = head.replace(
        "      - {code: nok, label: Nog niet in orde, tone: negative}",
        "      - {code: nok, label: Nog niet in orde, tone: negative}\n"
        "      - {code: nnb, label: Nog niet beoordeeld, tone: neutral}",
    )
    standards = "".join(
        f"  - code: GR{i}\n    area: KL\n    name: Standaard {i}\n    gist: Kern.\n"
        f"    guidance: Uitleg.\n    typical_evidence: [Document]\n"
        f"    requirements:\n      - {{code: GR{i}.1, text: Eis.}}\n"
        for i in range(1, n + 1)
    )
    return framework_version_store(spec=parse_framework(head + "standards:\n" + standards))


def _busy_picture(world, school, version, rounds: int):
    """A picture of `school` whose entries were judged `rounds` times, with as many rounds of
    evidence and actions on every standard (one of each finished or expired)."""
    user = _leader(world)
    picture = services.picture_start(
        board=world.board, school=school, framework_version=version, period="2026-2027"
    )
    standards = list(Standard.objects.filter(framework_version=version))
    for round_ in range(rounds):
        for entry in picture.entries.all():
            entry_update(
                entry=entry,
                revision=entry.revision,
                change=EntryChange("ok" if round_ % 2 else "nok"),
                user=user,
            )
        evidence_create(
            board=world.board,
            school=school,
            kind="link",
            title=f"Plan {round_}",
            url="https://example.org/plan",
            effective_on=days_ago(30),
            expires_on=days_ago(round_),
            standards=standards,
            user=user,
        )
        action_create(
            board=world.board,
            school=school,
            title=f"Actie {round_}",
            standards=standards,
            status="done" if round_ % 2 else "planned",
        )
        assignment_create(
            board=world.board,
            school=school,
            standard=standards[round_ % len(standards)],
            text="Herstel",
            deadline=days_ago(-30),
        )
    return picture


def _queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_the_picture_on_a_date_reads_a_fixed_number_of_queries(client, world):
    """However many standards, own indicators and records: the page now, the page on a date
    and the API on a date each read the same number of queries."""
    from tests.factories import grant, make_school

    client.force_login(_leader(world))
    day = {"op": timezone.localdate().isoformat()}
    counts = {}
    small = _busy_picture(world, world.school, make_framework_version("school"), 1)
    other = make_school(world.board)
    grant(_leader(world), world.board, Role.SCHOOL_LEADER, other)
    for name, picture in (("small", small), ("large", None)):
        if picture is None:
            for i in range(6):
                services.indicator_create(
                    board=world.board,
                    perspective="ambitions",
                    level="both",
                    code=f"B{i}",
                    title="x",
                )
            picture = _busy_picture(world, other, _version_with(12), 5)
            assert picture.entries.count() == 18  # against 2 in the small one, read before
        page = reverse("picture:picture", args=[world.board.pk, picture.pk])
        api = reverse("api:picture", args=[world.board.pk, picture.pk])
        counts[name] = (
            _queries(client, page, {}),
            _queries(client, page, day),
            _queries(client, api, {"as_of": day["op"]}),
        )
    assert counts["small"] == counts["large"], counts
    now, then, api = counts["large"]
    # The history costs one query more than the tables: the own indicators as they were.
    assert then == now + 1, counts
    assert then <= 25, counts


def test_the_inspectors_view_on_a_date_reads_a_fixed_number_of_queries(client, world):
    from tests.factories import make_school

    counts = []
    for school, version, rounds in (
        (world.school, make_framework_version("school"), 1),
        (make_school(world.board), _version_with(12), 5),
    ):
        picture = _busy_picture(world, school, version, rounds)
        docs = list(Evidence.objects.filter(school=school))
        _link, token = make_inspector_link(world.board, school, documents=docs)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                reverse("picture:inspector_view", args=[token]),
                {"op": timezone.localdate().isoformat()},
            )
        assert response.status_code == 200
        assert response.context["overview"].pictures[0].view.picture == picture
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
