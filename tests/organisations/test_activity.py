"""The board's activity page: every app's history, filterable, a page at a time, the board's own
records only, and nothing of self-evaluation answers or secrets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stelsel.meetings.models import Meeting
from stelsel.organisations import activity
from stelsel.organisations.models import Invitation
from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.planning.actions.services import action_update
from stelsel.planning.models import Action
from tests.factories import (
    fill_answers,
    grant,
    make_action,
    make_round,
    make_user,
)
from tests.factories.activity import make_history

pytestmark = pytest.mark.django_db

ALL_KINDS = {
    "board",
    "school",
    "membership",
    "invitation",
    "process",
    "officer_profile",
    "entry",
    "entry_message",
    "indicator",
    "evidence",
    "assignment",
    "visit",
    "action",
    "plan",
    "theme",
    "goal",
    "check_in",
    "series",
    "meeting",
    "decision",
    "round",
}


def _url(board, **query):
    url = reverse("organisations:activity", args=[board.pk])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def _page(client, board, **query):
    response = client.get(_url(board, **query))
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["page"]


def _kinds(page) -> set[str]:
    return {entry.kind for entry in page.entries}


@pytest.fixture
def full(world):
    make_history(world.board, world.school, world.users[Role.BOARD_EXECUTIVE])
    return world


def test_every_kind_of_history_appears(client, full):
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    page = _page(client, full.board)
    assert _kinds(page) == ALL_KINDS
    assert all(entry.url for entry in page.entries if entry.kind != "board"), [
        e.kind for e in page.entries if not e.url
    ]


def test_the_quality_officer_reads_it_too_and_others_may_not(client, full):
    client.force_login(full.users[Role.QUALITY_OFFICER])
    assert _kinds(_page(client, full.board)) == ALL_KINDS
    for role in (Role.SCHOOL_LEADER, Role.SUPERVISOR, Role.STAFF):
        client.force_login(full.users[role])
        assert client.get(_url(full.board)).status_code == 403


def test_another_boards_records_never_appear(client, full):
    make_history(full.other_board, full.other_board_school, full.outsider)
    make_action(full.other_board, full.other_board_school, title="Geheim van een ander")
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    page = _page(client, full.board)
    text = client.get(_url(full.board)).content.decode()
    assert "Geheim van een ander" not in text
    assert full.other_board_school.name not in text
    assert "Stichting Ander" not in text
    own = {"", full.school.name, full.other_school.name}
    assert {entry.school for entry in page.entries} <= own
    # Asking for the other board's school is an error, not a way in.
    response = client.get(_url(full.board, school=full.other_board_school.pk))
    assert response.status_code == 400
    assert "Geheim van een ander" not in response.content.decode()


def test_a_change_shows_what_changed_in_readable_values(english, full):
    executive = full.users[Role.BOARD_EXECUTIVE]
    owner = make_user(name="Anna de Vries")
    grant(owner, full.board, Role.SCHOOL_LEADER, full.school)
    action = Action.objects.get(title="Leesteam opzetten")
    action_update(
        action=action,
        revision=action.revision,
        user=executive,
        status="in_progress",
        owner=owner,
        due_on=datetime.date(2027, 3, 1),
        progress=40,
    )
    english.force_login(executive)
    page = _page(english, full.board, soort="actions")
    changed = next(e for e in page.entries if e.action == "~")
    assert changed.who == executive
    changes = {c.field: (c.old, c.new) for c in changed.changes}
    assert changes["status"] == ("Planned", "In progress")
    assert changes["owner"] == ("", "Anna de Vries")
    assert changes["progress (%)"] == ("0", "40")
    assert changes["due date"][1] == "1 Mar 2027"
    assert not {"revision", "updated at", "board"} & set(changes)
    text = english.get(_url(full.board, soort="actions")).content.decode()
    assert "Planned → In progress" in text  # choices in the reader's language
    assert '— → <span lang="nl">Anna de Vries</span>' in text  # a name as its people wrote it


def test_a_field_without_a_label_of_its_own_is_named_in_the_readers_language(english, full):
    meeting = Meeting.objects.get(board=full.board)
    meeting.state = "held"
    meeting.save()
    english.force_login(full.users[Role.BOARD_EXECUTIVE])
    page = _page(english, full.board, soort="meetings")
    changed = next(e for e in page.entries if e.kind == "meeting" and e.action == "~")
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("state", "Planned", "Held")]


def test_a_judgement_shows_the_level_by_its_label(english, full):
    english.force_login(full.users[Role.BOARD_EXECUTIVE])
    entry = full.school.pictures.get().entries.get(status__code="ok")
    entry_update(entry=entry, revision=entry.revision, change=EntryChange(status="nok"), user=None)
    page = _page(english, full.board, soort="judgements")
    changed = next(e for e in page.entries if e.kind == "entry" and e.action == "~")
    assert ("In order", "Not yet in order") in [(c.old, c.new) for c in changed.changes]
    assert changed.label.startswith("KL1")
    assert changed.school == full.school.name


def test_no_secret_and_no_answer_reaches_the_page(client, full):
    invitation = Invitation.objects.get(email="nieuw1@example.org")
    round_ = make_round(full.board, full.school, state="open")
    fill_answers(round_, "teachers", 6, 3)
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    text = client.get(_url(full.board)).content.decode()
    assert invitation.token_hash not in text
    assert round_.title in text  # the round itself is history
    page = _page(client, full.board, soort="rounds")
    assert {e.kind for e in page.entries} == {"round"}
    for entry in page.entries:
        assert not {"answers", "responses"} & {c.field for c in entry.changes}


def test_a_removed_object_still_shows_by_its_name_without_a_link(client, full):
    action = Action.objects.get(title="Leesteam opzetten")
    action.delete()
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    page = _page(client, full.board, soort="actions")
    removed = [e for e in page.entries if e.label == "Leesteam opzetten"]
    assert {e.action for e in removed} == {"+", "-"}
    assert all(e.url is None for e in removed)


# --- Filters -----------------------------------------------------------------------------------


KIND_OF_GROUP = {
    "judgements": {"entry", "entry_message", "indicator"},
    "evidence": {"evidence"},
    "assignments": {"assignment"},
    "visits": {"visit"},
    "actions": {"action"},
    "plans": {"plan", "theme", "goal", "check_in"},
    "rounds": {"round"},
    "meetings": {"series", "meeting", "decision"},
    "people": {"membership", "invitation", "process", "officer_profile"},
    "board": {"board", "school"},
}


def test_the_kind_filter_narrows_to_its_kinds(client, full):
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    assert set(KIND_OF_GROUP) == set(activity.GROUPS)
    for group, kinds in KIND_OF_GROUP.items():
        assert _kinds(_page(client, full.board, soort=group)) == kinds, group


def test_the_school_filter_narrows_to_a_school_or_the_board(client, full):
    make_action(full.board, full.other_school, title="Actie andere school")
    make_action(full.board, None, title="Actie bestuur")
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    own = _page(client, full.board, school=full.school.pk).entries
    assert own and {e.school for e in own} == {full.school.name}
    assert "Actie andere school" not in {e.label for e in own}
    assert {"entry", "decision", "theme", "check_in", "membership"} <= {e.kind for e in own}
    board_level = _page(client, full.board, school="board").entries
    assert board_level and {e.school for e in board_level} == {""}
    labels = {e.label for e in board_level}
    assert "Actie bestuur" in labels and "Actie andere school" not in labels
    assert "Leesteam opzetten" not in labels


def test_the_person_filter_shows_what_one_person_changed(client, full):
    executive, officer = full.users[Role.BOARD_EXECUTIVE], full.users[Role.QUALITY_OFFICER]
    action = Action.objects.get(title="Leesteam opzetten")
    action_update(action=action, revision=action.revision, user=officer, progress=10)
    action_update(action=action, revision=action.revision + 1, user=executive, progress=20)
    client.force_login(executive)
    page = _page(client, full.board, persoon=officer.pk)
    assert page.entries and {e.who for e in page.entries} == {officer}
    assert any(e.kind == "action" and e.action == "~" for e in page.entries)
    mine = _page(client, full.board, persoon=executive.pk).entries
    assert {e.kind for e in mine} == {"entry_message", "action"}
    assert {e.who for e in mine} == {executive}


def test_the_period_filter_narrows_by_date(client, full):
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    assert _kinds(_page(client, full.board, van=today.isoformat(), tot=today.isoformat())) == (
        ALL_KINDS
    )
    assert _page(client, full.board, van=(today + day).isoformat()).entries == []
    assert _page(client, full.board, tot=(today - day).isoformat()).entries == []
    # Dutch dates as people type them
    assert _page(client, full.board, van=f"{today:%d-%m-%Y}").entries


@pytest.mark.parametrize("same_moment", [False, True])
def test_paging_goes_through_everything_once(client, full, same_moment):
    """Small pages, also when every entry of every source shares one moment: every entry once,
    in order."""
    if same_moment:
        moment = timezone.now().replace(microsecond=123456)
        for source in activity.registered():
            source.records(full.board).update(**{source.when: moment})
    everything = activity.read(full.users[Role.BOARD_EXECUTIVE], full.board, activity.Filters())
    assert everything.older is None
    seen, cursor = [], None
    while True:
        page = activity.read(
            full.users[Role.BOARD_EXECUTIVE], full.board, activity.Filters(before=cursor), limit=7
        )
        seen += page.entries
        if page.older is None:
            break
        cursor = activity.Cursor.parse(str(page.older))
    assert seen == everything.entries


def test_the_page_links_to_older_entries(client, full, monkeypatch):
    monkeypatch.setattr(activity, "PAGE_SIZE", 5)
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    response = client.get(_url(full.board, soort="people"))
    first = response.context["page"]
    assert len(first.entries) == 5 and first.older
    older = response.context["older"]
    assert "soort=people" in older and "ouder=" in older
    assert 'rel="next"' in response.content.decode()
    second = client.get(_url(full.board) + "?" + older).context["page"]
    assert second.entries and not set(map(id, second.entries)) & set(map(id, first.entries))
    assert second.entries[0].when <= first.entries[-1].when
    assert _kinds(second) <= KIND_OF_GROUP["people"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"van": "31-02-2026"}, "Enter a date, for example 31-12-2026."),
        ({"tot": "gisteren"}, "Enter a date, for example 31-12-2026."),
        ({"van": "0001-01-01"}, "Enter a date between 2000 and 2100."),
        (
            {"van": "2026-05-02", "tot": "2026-05-01"},
            "The end of the period lies before its start.",
        ),
        ({"soort": "answers"}, "Choose one of the options in the list."),
        ({"school": "abc"}, "Choose one of the options in the list."),
        ({"persoon": "999999999999999999999"}, "Choose one of the options in the list."),
        ({"ouder": "not-a-cursor"}, "This link to older entries is not valid."),
        ({"ouder": "99999999999999999999999.entry.1"}, "This link to older entries is not valid."),
        ({"ouder": "1.nothing.1"}, "This link to older entries is not valid."),
    ],
)
def test_bad_filter_input_gets_a_clear_error(english, full, query, message):
    english.force_login(full.users[Role.BOARD_EXECUTIVE])
    response = english.get(_url(full.board, **query))
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "Leesteam opzetten" not in text


def test_the_filter_form_is_labelled(client, full):
    client.force_login(full.users[Role.BOARD_EXECUTIVE])
    text = client.get(_url(full.board)).content.decode()
    for name in ("soort", "school", "persoon", "van", "tot"):
        assert f'<label for="id_{name}">' in text, name
    assert 'method="get"' in text


def test_a_person_with_many_records_fills_pages_of_a_hundred(english, world):
    executive = world.users[Role.BOARD_EXECUTIVE]
    for n in range(60):
        make_action(world.board, world.school, title=f"Actie {n}", progress=0)
    for action in Action.objects.filter(board=world.board):
        action_update(action=action, revision=action.revision, user=executive, progress=5)
    english.force_login(executive)
    page = _page(english, world.board, soort="actions")
    assert len(page.entries) == activity.PAGE_SIZE == 100
    assert page.older is not None
    rest = _page(english, world.board, soort="actions", ouder=str(page.older))
    assert len(rest.entries) == 20 and rest.older is None
    changes = [e.changes for e in page.entries + rest.entries if e.action == "~"]
    assert len(changes) == 60
    assert all(c == [("progress (%)", "0", "5", False)] for c in changes)
