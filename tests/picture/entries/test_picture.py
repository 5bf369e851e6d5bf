"""The picture itself: starting one, judging with a version check, the thread, periods, the
move to a new framework version, the picture on an earlier date, and the board overview."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stelsel.frameworks.models import Standard
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.picture.entries import periods, selectors, services
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Entry, EntryMessage, Indicator, Picture, PictureState
from stelsel.picture.rollups import summarise
from tests.factories import (
    SMALL_FRAMEWORK,
    grant,
    make_framework_version,
    make_picture,
    make_school,
    make_user,
)

pytestmark = pytest.mark.django_db


def _leader(world):
    return world.users[Role.SCHOOL_LEADER]


def _first(picture) -> Entry:
    return picture.entries.filter(standard__isnull=False).order_by("standard__position").first()


# --- Roll-ups ------------------------------------------------------------------------------

TONES = st.sampled_from(["positive", "negative", "neutral", None])


@given(st.lists(TONES, max_size=60))
def test_summary_counts_every_entry_once(tones):
    summary = summarise(tones)
    assert summary.total == len(tones)
    assert summary.in_order == tones.count("positive")
    assert summary.not_in_order == tones.count("negative")
    assert summary.not_judged == tones.count("neutral") + tones.count(None)
    if tones:
        assert 0 <= summary.share_in_order <= 1
    else:
        assert summary.share_in_order is None


# --- Starting a picture --------------------------------------------------------------------


def test_a_picture_holds_every_standard_and_the_own_indicators(world):
    Indicator.objects.create(board=world.board, perspective="ambitions", code="A1", title="Lezen")
    Indicator.objects.create(
        board=world.board, perspective="expectations", code="V1", title="Ouders", level="board"
    )
    picture = make_picture(world.board, world.school)
    codes = sorted(e.code for e in picture.entries.select_related("standard", "indicator"))
    assert codes == ["A1", "KL1", "KL2"]  # the board-only indicator stays out of a school
    assert {e.status.code for e in picture.entries.all()} == {"nnb"}


def test_a_school_cannot_get_a_board_framework_nor_a_second_current_picture(world):
    board_version = make_framework_version("board")
    with pytest.raises(ValidationError):
        services.picture_start(
            board=world.board, school=world.school, framework_version=board_version, period="x"
        )
    make_picture(world.board, world.school)
    with pytest.raises(ValidationError):
        make_picture(world.board, world.school)
    with pytest.raises(ValidationError):
        services.picture_start(
            board=world.board,
            school=world.other_board_school,
            framework_version=make_framework_version("school"),
            period="2026-2027",
        )
    assert Picture.objects.filter(school=world.school).count() == 1


# --- Judging -------------------------------------------------------------------------------


def test_judging_records_who_and_when_and_bumps_the_revision(world):
    entry = _first(make_picture(world.board, world.school))
    saved = entry_update(
        entry=entry,
        revision=1,
        change=EntryChange(status="ok", visible="Leerlingen lezen dagelijks."),
        user=_leader(world),
    )
    assert saved.revision == 2
    assert saved.status.code == "ok"
    assert saved.judged_by == _leader(world)
    assert saved.judged_at is not None
    assert saved.visible == "Leerlingen lezen dagelijks."


def test_a_second_editor_from_the_same_revision_gets_a_conflict_and_changes_nothing(world):
    entry = _first(make_picture(world.board, world.school))
    entry_update(
        entry=entry, revision=1, change=EntryChange(status="ok", visible="Eerste"), user=None
    )
    with pytest.raises(EditConflict) as caught:
        entry_update(
            entry=entry, revision=1, change=EntryChange(status="nok", visible="Tweede"), user=None
        )
    assert caught.value.current.visible == "Eerste"
    entry.refresh_from_db()
    assert (entry.status.code, entry.visible, entry.revision) == ("ok", "Eerste", 2)


@pytest.mark.parametrize("status", ["voldoende", "", "OK", "ok ", "x" * 500])
def test_a_status_outside_the_scale_is_refused(world, status):
    entry = _first(make_picture(world.board, world.school))
    with pytest.raises(ValidationError) as caught:
        entry_update(entry=entry, revision=1, change=EntryChange(status=status), user=None)
    assert "status" in caught.value.message_dict
    entry.refresh_from_db()
    assert entry.status.code == "nnb" and entry.revision == 1


def test_only_requirements_of_the_standard_can_be_ticked(world):
    picture = make_picture(world.board, world.school)
    first, second = picture.entries.filter(standard__isnull=False).order_by("standard__position")
    foreign = second.standard.requirements.first().pk
    with pytest.raises(ValidationError):
        entry_update(
            entry=first, revision=1, change=EntryChange(None, requirements_met=[foreign]), user=None
        )
    own = first.standard.requirements.first().pk
    saved = entry_update(
        entry=first, revision=1, change=EntryChange(None, requirements_met=[own]), user=None
    )
    assert saved.requirements_met == [own]


# --- Periods and the past ------------------------------------------------------------------


def test_a_new_period_keeps_the_substantiation_and_resets_statuses(world):
    picture = make_picture(world.board, world.school)
    entry = _first(picture)
    req = entry.standard.requirements.first().pk
    entry_update(
        entry=entry,
        revision=1,
        change=EntryChange("ok", requirements_met=[req], secured="Jaarlijkse audit"),
        user=None,
    )
    new = periods.picture_new_period(picture=picture, period="2027-2028")
    picture.refresh_from_db()
    assert picture.state == PictureState.CLOSED and new.previous == picture
    carried = new.entries.get(standard=entry.standard)
    assert carried.secured == "Jaarlijkse audit"
    assert carried.status.code == "nnb" and carried.requirements_met == []
    with pytest.raises(ValidationError):
        entry_update(entry=entry, revision=2, change=EntryChange("nok"), user=None)
    with pytest.raises(ValidationError):
        periods.picture_new_period(picture=new, period="2027-2028")


def test_the_picture_as_it_stood_on_an_earlier_date(world):
    picture = make_picture(world.board, world.school)
    entry = _first(picture)
    Entry.history.filter(id=entry.pk).update(history_date=timezone.now() - timedelta(days=10))
    entry_update(entry=entry, revision=1, change=EntryChange("ok"), user=None)
    earlier = selectors.picture_view(picture, as_of=timezone.localdate() - timedelta(days=5))
    now = selectors.picture_view(picture)
    row_then = next(r for r in earlier.rows if r.id == entry.pk)
    row_now = next(r for r in now.rows if r.id == entry.pk)
    assert (row_then.status_code, row_now.status_code) == ("nnb", "ok")
    before_start = selectors.picture_view(picture, as_of=timezone.localdate() - timedelta(days=30))
    assert before_start.rows == []


def test_the_timeline_follows_a_standard_across_periods(world):
    picture = make_picture(world.board, world.school)
    entry = _first(picture)
    entry_update(entry=entry, revision=1, change=EntryChange("nok"), user=_leader(world))
    services.message_add(
        entry=entry,
        author=world.users[Role.QUALITY_OFFICER],
        kind="feedback",
        text="Laat zien hoe je dit borgt.",
    )
    new = periods.picture_new_period(picture=picture, period="2027-2028")
    kinds = [e.kind for e in selectors.entry_timeline(new.entries.get(standard=entry.standard))]
    assert kinds.count("period") == 2
    assert "status" in kinds and "feedback" in kinds


# --- Moving to a new framework version -----------------------------------------------------


def _next_version():
    from stelsel.frameworks.schema import parse_framework
    from stelsel.frameworks.services import framework_version_store

    text = (
        SMALL_FRAMEWORK.replace("id: klein-kader", "id: klein-beeldkader")
        .replace("version: 1", "version: 2")
        .replace("code: KL2\n", "code: KL3\n")
        .replace("{code: KL2.1", "{code: KL3.1")
        .replace(
            "      - {code: nok, label: Nog niet in orde, tone: negative}",
            "      - {code: nok, label: Nog niet in orde, tone: negative}\n"
            "      - {code: nnb, label: Nog niet beoordeeld, tone: neutral}",
        )
    )
    make_framework_version("school")
    return framework_version_store(spec=parse_framework(text))


def test_moving_to_a_new_version_maps_substantiation_and_links_and_deletes_nothing(world):
    from stelsel.picture.models import Evidence

    picture = make_picture(world.board, world.school)
    kl1, kl2 = (
        e for e in picture.entries.filter(standard__isnull=False).order_by("standard__position")
    )
    entry_update(entry=kl1, revision=1, change=EntryChange("ok", visible="Een"), user=None)
    entry_update(entry=kl2, revision=1, change=EntryChange("nok", visible="Twee"), user=None)
    evidence = Evidence.objects.create(
        board=world.board, school=world.school, kind="link", title="Plan", url="https://x.nl"
    )
    evidence.standards.add(kl2.standard)
    new_version = _next_version()
    new_std = {s.code: s for s in Standard.objects.filter(framework_version=new_version)}
    proposal = periods.proposed_mapping(picture.framework_version, new_version)
    assert proposal == {kl1.standard_id: new_std["KL1"].pk, kl2.standard_id: None}
    mapping = {kl1.standard_id: new_std["KL1"].pk, kl2.standard_id: new_std["KL3"].pk}
    moved = periods.picture_migrate(
        picture=picture, to_version=new_version, mapping=mapping, period="2027-2028"
    )
    assert moved.entries.get(standard=new_std["KL3"]).visible == "Twee"
    assert moved.entries.get(standard=new_std["KL3"]).status.code == "nnb"
    assert set(evidence.standards.values_list("code", flat=True)) == {"KL2", "KL3"}
    assert Entry.objects.filter(picture=picture).count() == 2  # the old picture is kept
    picture.refresh_from_db()
    assert picture.state == PictureState.CLOSED


def test_an_incomplete_or_foreign_mapping_is_refused(world):
    picture = make_picture(world.board, world.school)
    new_version = _next_version()
    kl1 = _first(picture)
    with pytest.raises(ValidationError):
        periods.picture_migrate(
            picture=picture, to_version=new_version, mapping={kl1.standard_id: None}, period="x"
        )
    old_ids = Standard.objects.filter(framework_version=picture.framework_version).values_list(
        "pk", flat=True
    )
    foreign = dict.fromkeys(old_ids, kl1.standard_id)
    with pytest.raises(ValidationError):
        periods.picture_migrate(
            picture=picture, to_version=new_version, mapping=foreign, period="x"
        )
    picture.refresh_from_db()
    assert picture.is_current
    assert Picture.objects.filter(framework_version=new_version).count() == 0


# --- Indicators ----------------------------------------------------------------------------


def test_a_new_indicator_joins_the_current_pictures_and_codes_are_unique(world):
    school_picture = make_picture(world.board, world.school)
    board_picture = make_picture(world.board, None)
    services.indicator_create(
        board=world.board, perspective="expectations", level="school", code="V1", title="Ouders"
    )
    assert school_picture.entries.filter(indicator__code="V1").exists()
    assert not board_picture.entries.filter(indicator__code="V1").exists()
    with pytest.raises(ValidationError):
        services.indicator_create(
            board=world.board, perspective="ambitions", level="both", code="v1", title="Dubbel"
        )


# --- Pages ---------------------------------------------------------------------------------


def test_the_school_leader_judges_and_staff_add_input_but_cannot_judge(client, world):
    entry = _first(make_picture(world.board, world.school))
    url = reverse("picture:entry", args=[world.board.pk, entry.pk])
    client.force_login(_leader(world))
    response = client.post(
        url,
        {
            "revision": 1,
            "status": "nok",
            "visible": "Nog niet overal",
            "ambitions": "",
            "secured": "",
            "accounted": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status.code == "nok"
    client.force_login(world.users[Role.STAFF])
    assert (
        client.post(
            url,
            {
                "revision": 2,
                "status": "ok",
                "visible": "x",
                "ambitions": "",
                "secured": "",
                "accounted": "",
            },
        ).status_code
        == 403
    )
    response = client.post(
        url,
        {
            "revision": 2,
            "visible": "In groep 5 wel",
            "ambitions": "",
            "secured": "",
            "accounted": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status.code, entry.visible) == ("nok", "In groep 5 wel")
    message_url = reverse("picture:entry_message", args=[world.board.pk, entry.pk])
    assert client.post(message_url, {"kind": "feedback", "text": "x"}).status_code == 403
    assert client.post(message_url, {"kind": "input", "text": "Zie rooster"}).status_code == 302
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.post(url, {"revision": 3, "visible": "x"}).status_code == 403
    assert client.get(url).status_code == 200
    assert EntryMessage.objects.filter(entry=entry).count() == 1


def test_the_board_judges_its_own_standards_not_the_schools(client, world):
    school_entry = _first(make_picture(world.board, world.school))
    board_entry = _first(make_picture(world.board, None))
    client.force_login(world.users[Role.QUALITY_OFFICER])
    form = {
        "revision": 1,
        "status": "ok",
        "visible": "",
        "ambitions": "",
        "secured": "",
        "accounted": "",
    }
    assert (
        client.post(
            reverse("picture:entry", args=[world.board.pk, board_entry.pk]), form
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("picture:entry", args=[world.board.pk, school_entry.pk]), form
        ).status_code
        == 403
    )
    client.force_login(_leader(world))
    assert (
        client.get(reverse("picture:entry", args=[world.board.pk, board_entry.pk])).status_code
        == 404
    )


def test_a_concurrent_edit_shows_a_conflict_and_keeps_both_texts(client, world, english):
    entry = _first(make_picture(world.board, world.school))
    entry_update(
        entry=entry,
        revision=1,
        change=EntryChange("ok", visible="Van de ander"),
        user=world.users[Role.SCHOOL_LEADER],
    )
    client.force_login(_leader(world))
    response = client.post(
        reverse("picture:entry", args=[world.board.pk, entry.pk]),
        {
            "revision": 1,
            "status": "nok",
            "visible": "Mijn tekst",
            "ambitions": "",
            "secured": "",
            "accounted": "",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this standard" in body
    assert "Van de ander" in body and "Mijn tekst" in body
    entry.refresh_from_db()
    assert entry.visible == "Van de ander"


@pytest.mark.parametrize("day", ["gisteren", "2026-13-01", "9999-01-01"])
def test_a_bad_date_for_the_past_picture_gets_a_message(client, world, day):
    picture = make_picture(world.board, world.school)
    client.force_login(_leader(world))
    response = client.get(
        reverse("picture:picture", args=[world.board.pk, picture.pk]), {"op": day}
    )
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.content


def test_the_overview_filters_and_links_each_cell(client, world):
    pic = make_picture(world.board, world.school)
    make_picture(world.board, world.other_school)
    entry = _first(pic)
    entry_update(entry=entry, revision=1, change=EntryChange("nok"), user=None)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("picture:overview", args=[world.board.pk])
    page = client.get(url).content.decode()
    assert world.school.name in page and world.other_school.name in page
    assert reverse("picture:entry", args=[world.board.pk, entry.pk]) in page
    page = client.get(url, {"status": "not_in_order"}).content.decode()
    assert world.school.name in page and world.other_school.name not in page
    client.force_login(_leader(world))
    page = client.get(url).content.decode()
    assert world.school.name in page and world.other_school.name not in page


def _board_with_schools(n):
    from tests.factories import make_board

    board = make_board()
    user = make_user()
    grant(user, board, Role.QUALITY_OFFICER)
    for i in range(n):
        picture = make_picture(board, make_school(board))
        entry = _first(picture)
        entry_update(
            entry=entry, revision=1, change=EntryChange("ok" if i % 2 else "nok"), user=None
        )
    return board, user


def test_the_overview_reads_the_same_number_of_queries_for_2_and_12_schools(client):
    counts = []
    for n in (2, 12):
        board, user = _board_with_schools(n)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("picture:overview", args=[board.pk]))
        assert response.status_code == 200
        assert response.content.decode().count("heat__cell--") >= 2 * n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_picture_page_reads_a_fixed_number_of_queries(client, world):
    counts = []
    for n in (0, 8):
        for i in range(n):
            services.indicator_create(
                board=world.board,
                perspective="ambitions",
                level="both",
                code=f"A{i}-{len(counts)}",
                title="Ambitie",
            )
        school = make_school(world.board)
        grant(world.users[Role.QUALITY_OFFICER], world.board, Role.SCHOOL_LEADER, school)
        picture = make_picture(world.board, school)
        client.force_login(world.users[Role.QUALITY_OFFICER])
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    reverse("picture:picture", args=[world.board.pk, picture.pk])
                ).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_after_a_conflict_the_editor_can_save_their_own_version(client, world):
    entry = _first(make_picture(world.board, world.school))
    entry_update(
        entry=entry, revision=1, change=EntryChange("ok", visible="Van de ander"), user=None
    )
    client.force_login(_leader(world))
    url = reverse("picture:entry", args=[world.board.pk, entry.pk])
    form = {
        "revision": 1,
        "status": "nok",
        "visible": "Mijn tekst",
        "ambitions": "",
        "secured": "",
        "accounted": "",
    }
    response = client.post(url, form)
    assert response.status_code == 409
    assert b'name="revision" value="2"' in response.content
    assert client.post(url, {**form, "revision": 2}).status_code == 302
    entry.refresh_from_db()
    assert (entry.visible, entry.status.code) == ("Mijn tekst", "nok")


def test_a_restored_indicator_joins_pictures_started_while_it_was_retired(world):
    indicator = services.indicator_create(
        board=world.board, perspective="ambitions", level="both", code="A9", title="Lezen"
    )
    services.indicator_set_active(indicator=indicator, active=False)
    picture = make_picture(world.board, world.school)
    assert not picture.entries.filter(indicator=indicator).exists()
    services.indicator_set_active(indicator=indicator, active=True)
    assert picture.entries.filter(indicator=indicator).count() == 1
    services.indicator_set_active(indicator=indicator, active=True)
    assert picture.entries.filter(indicator=indicator).count() == 1
