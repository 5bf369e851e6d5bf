"""Who does what: the RACI matrix of the board's quality processes and the profile of the
quality officer's role."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.organisations.models import (
    ProcessResponsibility,
    QualityOfficerProfile,
    QualityProcess,
)
from stelsel.organisations.responsibilities import services
from stelsel.organisations.roles import Role
from tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

BE, QO, SL, ST = Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER, Role.STAFF


def _letters(process) -> dict:
    return dict(process.responsibilities.values_list("role", "letter"))


def _series(board, name="Bestuur en kwaliteitszorger", school=None):
    from stelsel.meetings.models import MeetingSeries

    return MeetingSeries.objects.create(
        board=board,
        school=school,
        name=name,
        rhythm="weeks",
        interval=2,
        start_time=dt.time(15, 0),
        first_date=dt.date(2025, 9, 1),
    )


def _edit_url(board, process):
    return reverse("organisations:responsibility_edit", args=[board.pk, process.pk])


def _post_data(process, **letters) -> dict:
    data = {"name": process.name, "description": process.description, "revision": process.revision}
    data.update(dict.fromkeys(Role, ""))
    data.update(letters)
    return data


# --- Defaults -------------------------------------------------------------------------------


def test_defaults_are_each_complete_with_exactly_one_accountable_role():
    for default in services.DEFAULT_PROCESSES:
        letters = services._clean_letters(default["letters"])
        assert list(letters.values()).count("A") == 1, default["key"]
        assert services.missing_parts(letters) == [], default["key"]


def test_starting_from_the_defaults_is_idempotent(world):
    first = services.processes_start(board=world.board)
    assert len(first) == len(services.DEFAULT_PROCESSES) >= 10
    rows = ProcessResponsibility.objects.filter(board=world.board).count()
    again = services.processes_start(board=world.board)
    assert again == []
    assert QualityProcess.objects.filter(board=world.board).count() == len(first)
    assert ProcessResponsibility.objects.filter(board=world.board).count() == rows
    assert not QualityProcess.objects.filter(board=world.other_board).exists()


def test_defaults_skip_renamed_defaults_and_keep_changed_letters(world):
    (first, *_rest) = services.processes_start(board=world.board)
    services.process_update(
        process=first,
        revision=first.revision,
        name="Ons koersplan",
        description="",
        letters={BE: "A", QO: "R", SL: "I"},
    )
    assert services.processes_start(board=world.board) == []
    first.refresh_from_db()
    assert first.name == "Ons koersplan"
    assert _letters(first) == {BE: "A", QO: "R", SL: "I"}


def test_defaults_skip_a_process_made_by_hand_under_the_same_name(world):
    name = str(services.DEFAULT_PROCESSES[0]["name"])
    services.process_create(board=world.board, name=name.upper())
    created = services.processes_start(board=world.board)
    assert len(created) == len(services.DEFAULT_PROCESSES) - 1


def test_start_button_adds_the_defaults_once(client, world):
    client.force_login(world.users[QO])
    url = reverse("organisations:responsibilities_start", args=[world.board.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    count = QualityProcess.objects.filter(board=world.board).count()
    assert count == len(services.DEFAULT_PROCESSES)


# --- Letters --------------------------------------------------------------------------------


def test_two_accountable_roles_are_refused_and_nothing_changes(world):
    process = services.process_create(board=world.board, name="Zelfevaluatie", letters={BE: "A"})
    with pytest.raises(ValidationError) as exc:
        services.process_update(
            process=process,
            revision=process.revision,
            name="Zelfevaluatie",
            description="",
            letters={BE: "A", QO: "A", SL: "R"},
        )
    assert set(exc.value.message_dict) == {BE, QO}
    assert "Only one role can be accountable" in exc.value.message_dict[BE][0]
    process.refresh_from_db()
    assert process.revision == 1
    assert _letters(process) == {BE: "A"}


def test_two_accountable_roles_are_refused_on_creation(world):
    with pytest.raises(ValidationError):
        services.process_create(board=world.board, name="Schoolbezoek", letters={BE: "A", SL: "A"})
    assert not QualityProcess.objects.filter(board=world.board).exists()


def test_the_database_refuses_a_second_accountable_role_too(world):
    process = services.process_create(board=world.board, name="Kalender", letters={BE: "A"})
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessResponsibility.objects.create(
            board=world.board, process=process, role=QO, letter="A"
        )


@pytest.mark.parametrize("letter", ["X", "RA", "accountable", "0"])
def test_only_r_a_c_and_i_are_letters(world, letter):
    with pytest.raises(ValidationError) as exc:
        services.process_create(board=world.board, name="Data", letters={QO: letter})
    assert QO in exc.value.message_dict
    assert not QualityProcess.objects.filter(board=world.board).exists()


def test_unknown_roles_are_refused(world):
    with pytest.raises(ValidationError):
        services.process_create(board=world.board, name="Data", letters={"inspector": "I"})


def test_the_database_refuses_other_letters(world):
    process = services.process_create(board=world.board, name="Kalender")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessResponsibility.objects.create(
            board=world.board, process=process, role=QO, letter="X"
        )


def test_lowercase_letters_are_accepted_and_blanks_mean_no_part(world):
    process = services.process_create(
        board=world.board, name="Data", letters={QO: "r", BE: "a", SL: "", ST: None}
    )
    assert _letters(process) == {QO: "R", BE: "A"}


def test_missing_accountable_or_responsible_is_flagged_not_refused(world):
    process = services.process_create(board=world.board, name="Rapportage", letters={QO: "C"})
    assert _letters(process) == {QO: "C"}
    missing = services.missing_parts(_letters(process))
    assert len(missing) == 2
    assert "accountable" in missing[0]
    assert "responsible" in missing[1]
    assert services.missing_parts({BE: "A", QO: "R"}) == []


def test_names_are_unique_per_board(world):
    services.process_create(board=world.board, name="Schoolbezoeken")
    with pytest.raises(ValidationError) as exc:
        services.process_create(board=world.board, name="  schoolbezoeken ")
    assert "name" in exc.value.message_dict
    services.process_create(board=world.other_board, name="Schoolbezoeken")


# --- Pages ----------------------------------------------------------------------------------


def test_the_matrix_shows_letters_as_text_with_a_legend_and_flags_incomplete_rows(english, world):
    services.process_create(
        board=world.board, name="Zelfevaluatie", letters={BE: "A", QO: "R", ST: "C"}
    )
    services.process_create(board=world.board, name="Kwaliteitskalender", letters={QO: "R"})
    english.force_login(world.users[Role.SUPERVISOR])
    response = english.get(reverse("organisations:responsibilities", args=[world.board.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zelfevaluatie" in html and "Kwaliteitskalender" in html
    assert 'class="raci raci--a"' in html
    assert "Accountable" in html  # the legend and the hidden text say what the letter means
    assert "Nobody is accountable yet" in html
    assert "1 process is not complete yet" in html
    # Readers get no links to edit.
    assert reverse("organisations:responsibility_add", args=[world.board.pk]) not in html


def test_the_board_home_links_to_who_does_what(client, world):
    client.force_login(world.users[ST])
    response = client.get(reverse("web:board_home", args=[world.board.pk]))
    assert (
        reverse("organisations:responsibilities", args=[world.board.pk])
        in response.content.decode()
    )


def test_the_board_office_edits_a_row(client, world):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    client.force_login(world.users[BE])
    response = client.post(
        _edit_url(world.board, process), _post_data(process, **{BE: "A", QO: "R", SL: "C"})
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.revision == 2
    assert _letters(process) == {BE: "A", QO: "R", SL: "C"}


def test_two_accountable_roles_posted_show_an_error_and_save_nothing(english, world):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    english.force_login(world.users[QO])
    response = english.post(
        _edit_url(world.board, process), _post_data(process, **{BE: "A", QO: "A"})
    )
    assert response.status_code == 400
    assert "Only one role can be accountable" in response.content.decode()
    assert _letters(process) == {QO: "R"}


def test_a_posted_letter_other_than_raci_is_refused(client, world):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    client.force_login(world.users[QO])
    response = client.post(_edit_url(world.board, process), _post_data(process, **{BE: "X"}))
    assert response.status_code == 400
    assert _letters(process) == {QO: "R"}


def test_another_boards_process_answers_404_and_stays_unchanged(client, world):
    theirs = services.process_create(board=world.other_board, name="Data", letters={QO: "R"})
    client.force_login(world.users[BE])
    # Through our board's URL, and through theirs.
    for board in (world.board, world.other_board):
        response = client.post(_edit_url(board, theirs), _post_data(theirs, **{BE: "A"}))
        assert response.status_code == 404
    delete = reverse("organisations:responsibility_delete", args=[world.board.pk, theirs.pk])
    assert client.post(delete).status_code == 404
    assert _letters(theirs) == {QO: "R"}


@pytest.mark.parametrize("role", [SL, ST])
def test_school_roles_get_403_on_edits(client, world, role):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    client.force_login(world.users[role])
    board = world.board.pk
    assert client.get(reverse("organisations:responsibilities", args=[board])).status_code == 200
    assert client.get(_edit_url(world.board, process)).status_code == 403
    response = client.post(_edit_url(world.board, process), _post_data(process, **{SL: "A"}))
    assert response.status_code == 403
    add = reverse("organisations:responsibility_add", args=[board])
    assert client.post(add, {"name": "Nieuw"}).status_code == 403
    start = reverse("organisations:responsibilities_start", args=[board])
    assert client.post(start).status_code == 403
    edit_profile = reverse("organisations:officer_profile_edit", args=[board])
    assert client.post(edit_profile, {"tasks": "x", "revision": 0}).status_code == 403
    assert _letters(process) == {QO: "R"}
    assert QualityProcess.objects.filter(board=world.board).count() == 1
    assert not QualityOfficerProfile.objects.exists()


def test_concurrent_row_edits_answer_409_and_keep_both(english, world):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    opened = _post_data(process, **{BE: "A", QO: "R"})
    services.process_update(
        process=process,
        revision=process.revision,
        name="Data en signalering",
        description="",
        letters={BE: "A", QO: "R", SL: "C"},
    )
    english.force_login(world.users[BE])
    response = english.post(_edit_url(world.board, process), {**opened, ST: "I"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this process" in html
    assert "Data en signalering" in html  # their version is shown beside the editor's
    process.refresh_from_db()
    assert process.name == "Data en signalering"
    assert _letters(process) == {BE: "A", QO: "R", SL: "C"}
    # The form now carries the current revision: saving again is a deliberate replace.
    assert f'value="{process.revision}"' in html


def test_the_add_page_creates_a_process_at_the_end(client, world):
    services.processes_start(board=world.board)
    client.force_login(world.users[QO])
    data = {"name": "Gesprekkencyclus", "description": "", **dict.fromkeys(Role, "")}
    data[QO] = "A"
    response = client.post(reverse("organisations:responsibility_add", args=[world.board.pk]), data)
    assert response.status_code == 302
    last = QualityProcess.objects.filter(board=world.board).last()
    assert last.name == "Gesprekkencyclus"
    assert _letters(last) == {QO: "A"}


def test_the_matrix_page_queries_do_not_grow_with_processes(client, world):
    from stelsel.organisations.models import Board

    client.force_login(world.users[BE])
    url = reverse("organisations:responsibilities", args=[world.board.pk])
    services.process_create(board=world.board, name="Een", letters={BE: "A"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries()
    services.processes_start(board=world.board)
    for n in range(10):
        services.process_create(
            board=world.board, name=f"Proces {n}", letters={BE: "A", QO: "R", SL: "C"}
        )
    assert QualityProcess.objects.filter(board=world.board).count() > 15
    assert Board.objects.count() == 2
    assert queries() == few


# --- The quality officer's profile ----------------------------------------------------------


def test_the_profile_is_saved_and_shown_to_everyone_on_the_board(client, world):
    series = _series(world.board)
    officer = world.users[QO]
    services.officer_profile_save(
        board=world.board,
        revision=0,
        officer=officer,
        tasks="De kwaliteitskalender bewaken.",
        meeting_series=[series],
        boundaries="Geen zeggenschap over personeel.",
        user=world.users[BE],
    )
    client.force_login(world.users[Role.COUNCIL])
    response = client.get(reverse("organisations:officer_profile", args=[world.board.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De kwaliteitskalender bewaken." in html
    assert "Bestuur en kwaliteitszorger" in html
    assert officer.name in html


def test_the_profile_page_shows_the_prompts_as_help(english, world):
    english.force_login(world.users[QO])
    response = english.get(reverse("organisations:officer_profile_edit", args=[world.board.pk]))
    assert response.status_code == 200
    assert "Who steers me on the goals?" in response.content.decode()


def test_concurrent_profile_edits_answer_409_and_lose_nothing(english, world):
    english.force_login(world.users[QO])
    url = reverse("organisations:officer_profile_edit", args=[world.board.pk])
    # Two editors open the empty form (revision 0); the first saves.
    first = {"tasks": "Rapportages opstellen.", "revision": 0}
    assert english.post(url, first).status_code == 302
    second = {"tasks": "Scholen bezoeken.", "ambitions": "Elke school voldoende.", "revision": 0}
    response = english.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this profile" in html
    assert "Rapportages opstellen." in html  # their version
    assert "Scholen bezoeken." in html  # and the second editor's text stays in the form
    profile = QualityOfficerProfile.objects.get(board=world.board)
    assert profile.tasks == "Rapportages opstellen."
    assert profile.revision == 1
    # Saving again on the revision the conflict page carries replaces it deliberately.
    assert english.post(url, {**second, "revision": 1}).status_code == 302
    profile.refresh_from_db()
    assert profile.tasks == "Scholen bezoeken."
    assert profile.revision == 2


def test_the_profile_refuses_someone_who_is_not_a_quality_officer(world):
    with pytest.raises(ValidationError) as exc:
        services.officer_profile_save(
            board=world.board, revision=0, officer=world.users[SL], tasks="x"
        )
    assert "officer" in exc.value.message_dict
    outsider = make_user()
    grant(outsider, world.other_board, QO)
    with pytest.raises(ValidationError):
        services.officer_profile_save(board=world.board, revision=0, officer=outsider)
    assert not QualityOfficerProfile.objects.exists()


def test_the_profile_refuses_another_boards_tables(world):
    theirs = _series(world.other_board)
    with pytest.raises(ValidationError) as exc:
        services.officer_profile_save(board=world.board, revision=0, meeting_series=[theirs])
    assert "meeting_series" in exc.value.message_dict
    assert not QualityOfficerProfile.objects.exists()


def test_the_profile_shows_a_school_table_only_to_those_who_see_that_school(client, world):
    other_school_table = _series(world.board, "Gesprek andere school", world.other_school)
    services.officer_profile_save(
        board=world.board, revision=0, meeting_series=[other_school_table]
    )
    url = reverse("organisations:officer_profile", args=[world.board.pk])
    client.force_login(world.users[BE])
    assert "Gesprek andere school" in client.get(url).content.decode()
    client.force_login(world.users[ST])
    assert "Gesprek andere school" not in client.get(url).content.decode()


def test_the_profile_page_of_another_board_answers_404(client, world):
    client.force_login(world.outsider)
    for name in ("officer_profile", "officer_profile_edit", "responsibilities"):
        assert (
            client.get(reverse(f"organisations:{name}", args=[world.board.pk])).status_code == 404
        )


def test_the_board_office_removes_a_process_with_its_letters(client, world):
    process = services.process_create(board=world.board, name="Data", letters={QO: "R"})
    client.force_login(world.users[QO])
    url = reverse("organisations:responsibility_delete", args=[world.board.pk, process.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not QualityProcess.objects.filter(pk=process.pk).exists()
    assert not ProcessResponsibility.objects.filter(process_id=process.pk).exists()


def test_saving_a_process_removed_meanwhile_is_a_clear_error(world):
    process = services.process_create(board=world.board, name="Data")
    services.process_delete(process=process)
    with pytest.raises(ValidationError, match="removed"):
        services.process_update(
            process=process, revision=1, name="Data", description="", letters={}
        )
