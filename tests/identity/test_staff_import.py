"""Bringing a whole staff in at once: reading lists, checking them against the board, writing
them in one transaction and sending the invitations in the background."""

import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from stelsel.identity import staff_import as importing
from stelsel.identity.models import (
    IdentityDomain,
    IdentityProvider,
    StaffImport,
    StaffImportInvitation,
    StaffImportState,
)
from stelsel.identity.staff_lists import (
    MAX_ROWS,
    ListRow,
    StaffListError,
    read_file,
    read_paste,
)
from stelsel.identity.tasks import send_pending
from stelsel.organisations.models import Invitation, Membership, hash_invitation_token
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def english_mail(settings):
    """Invitations are written in the site's language (Dutch); these tests read them in English."""
    settings.LANGUAGE_CODE = "en"


class RefusingBackend(EmailBackend):
    """The local outbox, except that the mail server refuses addresses starting "weigert"."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("weigert") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


# --- Reading lists --------------------------------------------------------------------------


def test_it_reads_a_semicolon_csv_with_bom_and_dutch_headers():
    data = (
        "\ufeffNaam;E-mailadres;Locatie;Rol\r\n"
        "Anna de Vries;anna@school.nl;De Eigen School;leerkracht\r\n"
        ";;;\r\n"
        "Bram;bram@school.nl;12AB00;directeur\r\n"
    ).encode()
    rows = read_file(data, "lijst.csv")
    assert rows == [
        ListRow(2, "Anna de Vries", "anna@school.nl", "De Eigen School", "leerkracht"),
        ListRow(4, "Bram", "bram@school.nl", "12AB00", "directeur"),
    ]


def test_it_reads_a_comma_csv_with_english_headers_in_any_case_and_order():
    data = b"  ROLE , E-Mail ,Full Name,school\nstaff,c@school.nl,Cor,De Eigen School\n"
    assert read_file(data) == [ListRow(2, "Cor", "c@school.nl", "De Eigen School", "staff")]


def test_it_reads_tab_separated_and_windows_1252_csv():
    data = "naam\temail\trol\nRené Müller\trene@school.nl\tmedewerker\n".encode("cp1252")
    assert read_file(data) == [ListRow(2, "René Müller", "rene@school.nl", "", "medewerker")]


def test_it_reads_the_first_sheet_of_an_xlsx_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Naam", "E-mail", "School", "Rol"])
    sheet.append(["Dina", "dina@school.nl", "De Eigen School", "Leerkracht"])
    sheet.append([None, None, None, None])
    sheet.append(["Eef", "eef@school.nl", 1234, "mr"])
    workbook.create_sheet("Other").append(["naam", "email"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_file(buffer.getvalue(), "lijst.xlsx")
    assert rows == [
        ListRow(2, "Dina", "dina@school.nl", "De Eigen School", "Leerkracht"),
        ListRow(4, "Eef", "eef@school.nl", "1234", "mr"),
    ]


def test_blank_cells_take_the_forms_school_and_role():
    rows = read_file(b"email;rol\na@school.nl;\nb@school.nl;directeur\n", school="X", role="staff")
    assert [(r.school, r.role) for r in rows] == [("X", "staff"), ("X", "directeur")]


def test_it_reads_pasted_lines_in_every_form():
    text = (
        "a@school.nl\n"
        "\n"
        "Anna de Vries <anna@school.nl>\n"
        "Bram Jansen; bram@school.nl\n"
        "Jansen, Cor, cor@school.nl\n"
        "dina@school.nl\tDina\n"
        "  Eef  van Dam   eef@school.nl \n"
    )
    rows = read_paste(text, school="12AB00", role="staff")
    assert [(r.row, r.name, r.email) for r in rows] == [
        (1, "", "a@school.nl"),
        (3, "Anna de Vries", "anna@school.nl"),
        (4, "Bram Jansen", "bram@school.nl"),
        (5, "Jansen, Cor", "cor@school.nl"),
        (6, "Dina", "dina@school.nl"),
        (7, "Eef van Dam", "eef@school.nl"),
    ]
    assert {(r.school, r.role) for r in rows} == {("12AB00", "staff")}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"naam;email\n", "empty"),
        (b"naam;adres\nAnna;anna@school.nl\n", "no email column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or Excel"),
        (b"PK\x03\x04broken zip", "not a CSV or Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, ".xls"),
        (b"email\n" + b"a@school.nl\n" * (MAX_ROWS + 1), "more than 2000"),
        (b"email\n" + b"x" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_a_list_that_cannot_be_read_gives_one_clear_error(data, message):
    with pytest.raises(StaffListError, match=message):
        read_file(data, "lijst.csv")


def test_an_empty_paste_is_refused():
    with pytest.raises(StaffListError, match="empty"):
        read_paste("\n  \n", role="staff")


# --- Checking against the board -------------------------------------------------------------


def _check(world, *rows):
    return importing.check_rows(
        world.board,
        [ListRow(n, name, email, school, role) for n, name, email, school, role in rows],
    )


def _by_row(checked):
    return {row["row"]: (row["outcome"], row["reason"]) for row in checked}


@pytest.mark.django_db
def test_every_kind_of_problem_is_named_with_its_row(world):
    school = world.school.name
    checked = _by_row(
        _check(
            world,
            (2, "A", "not-an-address", school, "staff"),
            (3, "B", "", school, "staff"),
            (4, "C", "dup@school.nl", school, "staff"),
            (5, "D", "ok@school.nl", "Onbekende School", "staff"),
            (6, "E", "ok2@school.nl", school, "conciërge"),
            (7, "F", "boss@school.nl", "", "bestuurder"),
            (8, "G", "adv@school.nl", "", "Advisor"),
            (9, "H", "noschool@school.nl", "", "leerkracht"),
            (10, "I", "qo@school.nl", school, "quality_officer"),
            (11, "J", "DUP@school.nl", f"  {school.upper()} ", "Staff member"),
            (12, "K", "norole@school.nl", school, ""),
        )
    )
    assert checked[2] == ("problem", "“not-an-address” is not a valid email address.")
    assert checked[3] == ("problem", "No email address.")
    assert checked[4][1] == checked[11][1]
    assert "more than once" in checked[4][1] and "rows 4, 11" in checked[4][1]
    assert checked[5][1].startswith("Unknown school: “Onbekende School”")
    assert checked[6] == ("problem", "Unknown role: “conciërge”.")
    assert "one by one on the people page" in checked[7][1]
    assert "one by one on the people page" in checked[8][1]
    assert checked[9][1] == "The role Staff member is given on one school; choose the school."
    assert checked[10][1] == "The role Quality officer is given on the board, not on one school."
    assert checked[12] == ("problem", "No role.")
    assert all(outcome == "problem" for outcome, _reason in checked.values())


@pytest.mark.django_db
def test_the_same_address_with_another_role_or_school_is_no_duplicate(world):
    checked = _by_row(
        _check(
            world,
            (2, "A", "a@school.nl", world.school.name, "staff"),
            (3, "A", "a@school.nl", world.other_school.name, "staff"),
            (4, "A", "a@school.nl", world.school.name, "school_leader"),
        )
    )
    assert {outcome for outcome, _reason in checked.values()} == {"invite"}


@pytest.mark.django_db
def test_schools_match_by_name_or_code_and_roles_by_many_words(world):
    code = world.school.vestigingscode
    checked = _check(
        world,
        (2, "", "a@school.nl", "de   eigen SCHOOL", "Directeur"),
        (3, "", "b@school.nl", f"{code[:4].lower()} {code[4:]}", "IB'er"),
        (4, "", "c@school.nl", "", "Kwaliteitszorg"),
        (5, "", "d@school.nl", "", "GMR-lid"),
        (6, "", "e@school.nl", code, "MR"),
        (7, "", "f@school.nl", "", "RvT"),
        (8, "", "g@school.nl", code, "Medewerker"),
        (9, "", "h@school.nl", code, "intern  begeleider"),
        (10, "", "i@school.nl", "", "Toezichthouder (RvT)"),
    )
    assert [(r["outcome"], r["role_code"], r["school_id"]) for r in checked] == [
        ("invite", Role.SCHOOL_LEADER, world.school.pk),
        ("invite", Role.STAFF, world.school.pk),
        ("invite", Role.QUALITY_OFFICER, None),
        ("invite", Role.COUNCIL, None),
        ("invite", Role.COUNCIL, world.school.pk),
        ("invite", Role.SUPERVISOR, None),
        ("invite", Role.STAFF, world.school.pk),
        ("invite", Role.STAFF, world.school.pk),
        ("invite", Role.SUPERVISOR, None),
    ]


@pytest.mark.django_db
def test_a_school_of_another_board_is_unknown(world):
    checked = _check(
        world, (2, "", "a@school.nl", world.other_board_school.vestigingscode, "staff")
    )
    assert checked[0]["outcome"] == "problem"
    assert checked[0]["reason"].startswith("Unknown school")


@pytest.mark.django_db
def test_people_on_the_board_get_the_role_and_known_roles_and_invitations_are_already(world):
    supervisor = world.users[Role.SUPERVISOR]
    staff = world.users[Role.STAFF]
    invitation_create(
        board=world.board,
        email="Open@School.nl",
        role=Role.STAFF,
        school=world.school,
        invited_by=None,
    )
    checked = _by_row(
        _check(
            world,
            (2, "", supervisor.email.upper(), world.school.name, "staff"),
            (3, "", staff.email, world.school.name, "staff"),
            (4, "", "open@school.nl", world.school.name, "staff"),
            (5, "", "open@school.nl", world.other_school.name, "staff"),
            (6, "", world.outsider.email, world.school.name, "staff"),
        )
    )
    assert checked[2] == ("add_role", "")
    assert checked[3] == ("already", "Already has this role.")
    assert checked[4][0] == "already" and "still open" in checked[4][1]
    assert checked[5] == ("invite", "")
    assert checked[6] == ("invite", "")  # on another board only: invited, not added


# --- Confirming -----------------------------------------------------------------------------


def _preview(world, *rows):
    return importing.preview_create(
        board=world.board,
        user=world.users[Role.BOARD_EXECUTIVE],
        rows=[ListRow(n, name, email, school, role) for n, name, email, school, role in rows],
        source_name="lijst.csv",
    )


def _written():
    return (
        Invitation.objects.count(),
        Membership.objects.count(),
        StaffImportInvitation.objects.count(),
    )


@pytest.mark.django_db
def test_a_list_with_a_problem_writes_nothing(world):
    before = _written()
    preview = _preview(
        world,
        (2, "", "a@school.nl", world.school.name, "staff"),
        (3, "", world.users[Role.SUPERVISOR].email, world.school.name, "staff"),
        (4, "", "bad address", world.school.name, "staff"),
    )
    assert not importing.can_confirm(preview)
    result = importing.import_confirm(
        board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
    )
    assert result.state == StaffImportState.PREVIEW
    assert _written() == before


@pytest.mark.django_db
def test_confirm_writes_everything_and_sends_in_the_background(
    world, settings, english_mail, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    supervisor = world.users[Role.SUPERVISOR]
    preview = _preview(
        world,
        (2, "Anna", "anna@school.nl", world.school.name, "leerkracht"),
        (3, "", supervisor.email, world.school.name, "staff"),
        (4, "", world.users[Role.STAFF].email, world.school.name, "staff"),
        (5, "Bram", "bram@school.nl", "", "kwaliteitsmedewerker"),
    )
    assert importing.can_confirm(preview)
    with django_capture_on_commit_callbacks(execute=True):
        result = importing.import_confirm(
            board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
        )
    assert result.total == 2
    assert Membership.objects.filter(user=supervisor, school=world.school, role=Role.STAFF).exists()
    invitations = Invitation.objects.filter(email__in=["anna@school.nl", "bram@school.nl"])
    assert {(i.email, i.role, i.school_id, i.name) for i in invitations} == {
        ("anna@school.nl", Role.STAFF, world.school.pk, "Anna"),
        ("bram@school.nl", Role.QUALITY_OFFICER, None, "Bram"),
    }
    result.refresh_from_db()
    assert (result.state, result.sent, result.failed) == (StaffImportState.DONE, 2, 0)
    assert result.finished_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@school.nl", "bram@school.nl"]
    # The link in the email is the one the invitation now holds (a fresh token).
    anna = mail.outbox[[m.to[0] for m in mail.outbox].index("anna@school.nl")]
    token = re.search(r"/uitnodiging/(\S+)/", anna.body).group(1)
    assert Invitation.objects.get(email="anna@school.nl").token_hash == hash_invitation_token(token)
    assert "as Staff member at De Eigen School" in anna.body
    assert "work account" not in anna.body and "/inloggen/werkaccount/" not in anna.body


@pytest.mark.django_db
def test_confirm_is_one_transaction(world, monkeypatch):
    """The second invitation fails on the database (the same token twice): the role given to
    the first row and the first invitation are gone as well."""
    preview = _preview(
        world,
        (2, "", world.users[Role.SUPERVISOR].email, world.school.name, "staff"),
        (3, "", "a@school.nl", world.school.name, "staff"),
        (4, "", "b@school.nl", world.school.name, "staff"),
    )
    before = _written()
    monkeypatch.setattr(Invitation, "new_token", staticmethod(lambda: "always-the-same"))
    with pytest.raises(importing.ImportFailed):
        importing.import_confirm(
            board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
        )
    assert _written() == before
    preview.refresh_from_db()
    assert preview.state == StaffImportState.PREVIEW and preview.total == 0


@pytest.mark.django_db
def test_confirm_checks_again_and_writes_nothing_when_the_board_changed(world):
    preview = _preview(
        world,
        (2, "", "a@school.nl", world.school.name, "staff"),
        (3, "", "b@school.nl", world.other_school.name, "staff"),
    )
    world.other_school.name = "Nieuwe naam"
    world.other_school.save()
    before = _written()
    result = importing.import_confirm(
        board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
    )
    assert result.state == StaffImportState.PREVIEW
    assert _written() == before
    preview.refresh_from_db()
    assert [row["outcome"] for row in preview.rows] == ["invite", "problem"]


@pytest.mark.django_db
def test_a_second_confirm_does_nothing(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    preview = _preview(world, (2, "", "a@school.nl", world.school.name, "staff"))
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            importing.import_confirm(
                board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
            )
    assert Invitation.objects.filter(email="a@school.nl").count() == 1
    assert StaffImportInvitation.objects.filter(staff_import=preview).count() == 1
    assert len(mail.outbox) == 1


# --- Sending --------------------------------------------------------------------------------


def _confirmed(world, *emails):
    preview = _preview(
        world, *[(n, "", email, world.school.name, "staff") for n, email in enumerate(emails, 2)]
    )
    return importing.import_confirm(
        board=world.board, import_id=preview.pk, user=world.users[Role.BOARD_EXECUTIVE]
    )


@pytest.mark.django_db
def test_a_refused_mail_counts_as_failed_and_the_rest_go_out(world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    staff_import = _confirmed(world, "a@school.nl", "weigert@school.nl", "c@school.nl")
    assert staff_import.state == StaffImportState.SENDING
    done = send_pending(staff_import.pk)
    assert (done.state, done.total, done.sent, done.failed) == ("done", 3, 2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@school.nl", "c@school.nl"]
    failed = StaffImportInvitation.objects.get(invitation__email="weigert@school.nl")
    assert failed.sent_at is None and "SMTPRecipientsRefused" in failed.error

    # Sent again once the address works: only the failed one goes out.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert importing.import_send_failed_again(board=world.board, import_id=done.pk) == 1
    again = send_pending(done.pk)
    assert (again.state, again.sent, again.failed) == ("done", 3, 0)
    assert [m.to[0] for m in mail.outbox][-1] == "weigert@school.nl"
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_email_offers_the_work_account_of_the_boards_provider(world, english_mail):
    provider = IdentityProvider.objects.create(
        board=world.board, kind="entra", label="Werkaccount Eigen", tenant="t"
    )
    IdentityDomain.objects.create(provider=provider, domain="eigen.nl")
    other = IdentityProvider.objects.create(board=world.other_board, kind="google")
    IdentityDomain.objects.create(provider=other, domain="ander.nl")
    staff_import = _confirmed(world, "anna@eigen.nl", "bram@ander.nl", "cor@elders.nl")
    send_pending(staff_import.pk)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    sign_in = f"http://127.0.0.1:8000/inloggen/werkaccount/{provider.key}/"
    assert "work account (Werkaccount Eigen)" in bodies["anna@eigen.nl"]
    assert sign_in in bodies["anna@eigen.nl"]
    assert "/uitnodiging/" in bodies["anna@eigen.nl"]
    for email in ("bram@ander.nl", "cor@elders.nl"):
        assert "work account" not in bodies[email]
        assert "/inloggen/werkaccount/" not in bodies[email]


@pytest.mark.django_db
def test_a_withdrawn_invitation_is_not_sent(world):
    staff_import = _confirmed(world, "a@school.nl", "b@school.nl")
    Invitation.objects.filter(email="a@school.nl").update(revoked_at="2024-01-01T00:00:00Z")
    done = send_pending(staff_import.pk)
    assert (done.sent, done.failed) == (1, 1)
    assert [m.to[0] for m in mail.outbox] == ["b@school.nl"]


# --- Pages ----------------------------------------------------------------------------------


def _url(name, world, *args, board=None):
    return reverse(f"identity:{name}", args=[(board or world.board).pk, *args])


@pytest.mark.django_db
def test_uploading_a_file_shows_the_preview(client, english, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    upload = io.BytesIO(
        f"naam;email;school;rol\nAnna;anna@school.nl;{world.school.name};leerkracht\n"
        ";bad;;leerkracht\n".encode()
    )
    upload.name = "team.csv"
    response = client.post(_url("staff_import", world), {"file": upload, "role": ""})
    staff_import = StaffImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("staff_import_detail", world, staff_import.pk)
    page = client.get(response["Location"]).content.decode()
    assert "team.csv" in page
    assert "“bad” is not a valid email address." in page
    assert "Upload the list again" in page
    assert "staff_import_confirm" not in page and "/bevestigen/" not in page


@pytest.mark.django_db
def test_pasting_and_confirming_through_the_pages(
    client, english, world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.post(
        _url("staff_import", world),
        {
            "text": "Anna <anna@school.nl>\nbram@school.nl",
            "school": world.school.pk,
            "role": "staff",
        },
    )
    staff_import = StaffImport.objects.get()
    assert [row["outcome"] for row in staff_import.rows] == ["invite", "invite"]
    assert "/bevestigen/" in client.get(response["Location"]).content.decode()
    confirm = _url("staff_import_confirm", world, staff_import.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 302
    assert client.post(confirm).status_code == 302  # a second click
    assert Invitation.objects.filter(email__in=["anna@school.nl", "bram@school.nl"]).count() == 2
    staff_import.refresh_from_db()
    assert staff_import.state == StaffImportState.SENDING
    # While sending, the page follows itself; htmx gets only the progress.
    detail = _url("staff_import_detail", world, staff_import.pk)
    part = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in part and "0 of 2 sent" in part
    assert "<html" not in part
    send_pending(staff_import.pk)
    part = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part and "2 of 2 invitations sent." in part


@pytest.mark.django_db
def test_the_form_wants_a_file_or_a_paste_and_a_role_for_pasted_lines(client, english, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    page = client.post(_url("staff_import", world), {"text": ""}).content.decode()
    assert "Upload a file or paste addresses (one of the two)." in page
    page = client.post(_url("staff_import", world), {"text": "a@school.nl"}).content.decode()
    assert "Choose the role for the pasted addresses." in page
    page = client.post(
        _url("staff_import", world), {"text": "a@school.nl", "role": "staff"}
    ).content.decode()
    assert "choose the school" in page
    assert not StaffImport.objects.exists()


@pytest.mark.django_db
def test_an_unreadable_file_is_refused_on_the_form(client, english, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    upload = io.BytesIO(b"naam;adres\nAnna;anna@school.nl\n")
    upload.name = "lijst.csv"
    page = client.post(_url("staff_import", world), {"file": upload}).content.decode()
    assert "The list has no email column." in page
    assert not StaffImport.objects.exists()


@pytest.mark.django_db
def test_another_boards_import_is_not_found(client, world):
    other = StaffImport.objects.create(board=world.other_board, rows=[])
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.get(_url("staff_import_detail", world, other.pk)).status_code == 404
    assert client.post(_url("staff_import_confirm", world, other.pk)).status_code == 404
    assert client.post(_url("staff_import_send_again", world, other.pk)).status_code == 404
    assert (
        client.get(
            _url("staff_import_detail", world, other.pk, board=world.other_board)
        ).status_code
        == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.SCHOOL_LEADER, Role.QUALITY_OFFICER])
def test_only_the_board_executive_may_import(client, world, role):
    own = StaffImport.objects.create(board=world.board, rows=[])
    client.force_login(world.users[role])
    assert client.get(_url("staff_import", world)).status_code == 403
    assert client.get(_url("staff_import_detail", world, own.pk)).status_code == 403
    assert client.post(_url("staff_import_confirm", world, own.pk)).status_code == 403


@pytest.mark.django_db
def test_the_template_is_a_csv_with_the_column_names(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.get(_url("staff_import_template", world))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_file(response.content + b";a@school.nl;;\n")
    assert rows == [ListRow(2, "", "a@school.nl", "", "")]


@pytest.mark.django_db
def test_the_people_page_links_to_the_import(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    page = client.get(reverse("organisations:people", args=[world.board.pk])).content.decode()
    assert _url("staff_import", world) in page


@pytest.mark.django_db
def test_the_preview_page_takes_as_many_queries_for_100_rows_as_for_10(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    counts = []
    for size in (10, 100):
        preview = _preview(
            world,
            *[(n, "", f"p{size}-{n}@school.nl", world.school.name, "staff") for n in range(size)],
        )
        url = _url("staff_import_detail", world, preview.pk)
        client.get(url)  # session and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("badge badge--info") == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_checking_takes_as_many_queries_for_100_rows_as_for_10(world):
    counts = []
    for size in (10, 100):
        rows = [ListRow(n, "", f"q{n}@school.nl", world.school.name, "staff") for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            importing.check_rows(world.board, rows)
        counts.append(len(queries))
    assert counts[0] == counts[1]
