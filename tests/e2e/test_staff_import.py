"""Bringing a staff in at once, in the browser: the board executive uploads a list with a
problem, sees the row and its reason and that nothing can be confirmed; uploads the corrected
list, confirms, and follows the invitations going out until they are all sent.

Every page of the flow is checked with axe, fits a 390 px phone and a 1366 px laptop, and is
photographed at both widths."""

import pytest

from stelsel.identity.models import StaffImport, StaffImportState
from stelsel.identity.tasks import send_pending
from stelsel.organisations.models import Invitation
from stelsel.organisations.roles import Role
from tests.e2e.axe import serious_problems
from tests.factories import grant, make_board, make_school, make_user

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "naam;e-mail;school;rol\n"
AN = "An Jansen;an@eik.nl;De Regenboog;leerkracht\n"
WRONG = HEADER + AN + "Bo;bo@;De Regenboog;leerkracht\n"
RIGHT = HEADER + AN + "Bo de Wit;bo@eik.nl;De Regenboog;directeur\n"


def test_the_executive_brings_a_staff_in_at_once(page, live_server, sign_in, screenshot, tmp_path):
    board = make_board(name="Stichting De Eik")
    make_school(board, name="De Regenboog")
    executive = make_user(email="bestuur@eik.nl", name="Bea Bestuur")
    grant(executive, board, Role.BOARD_EXECUTIVE)
    problems: list[str] = []

    def check(name: str) -> None:
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{name} at {width} px: {found}" for found in serious_problems(page))
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{name}: {page.url} is {scroll} px wide at {width} px")
            screenshot(f"staff-import-{name}-{width}")

    sign_in(executive)
    page.goto(f"{live_server.url}/besturen/{board.pk}/mensen/")
    check("people")
    page.locator("main a[href$='/mensen/importeren/']").click()
    page.wait_for_load_state()
    check("upload")

    wrong = tmp_path / "personeel.csv"
    wrong.write_text(WRONG, encoding="utf-8")
    page.set_input_files("#id_file", str(wrong))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "bo@" in main and "3" in main  # the row and its number are named
    assert page.locator("form[action$='/bevestigen/']").count() == 0
    check("preview-problem")
    assert not Invitation.objects.filter(board=board).exists()

    page.goto(f"{live_server.url}/besturen/{board.pk}/mensen/importeren/")
    right = tmp_path / "personeel-goed.csv"
    right.write_text(RIGHT, encoding="utf-8")
    page.set_input_files("#id_file", str(right))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    check("preview")
    page.locator("form[action$='/bevestigen/'] button[type=submit]").click()
    page.wait_for_load_state()
    staff_import = StaffImport.objects.get(board=board, state=StaffImportState.SENDING)
    assert staff_import.total == 2
    assert "0" in page.locator("#import-progress").inner_text()
    check("sending")

    send_pending(staff_import.pk)  # what the task worker does
    page.wait_for_function(
        "() => !document.querySelector('#import-progress[hx-get]')", timeout=10_000
    )
    check("done")
    invited = dict(Invitation.objects.filter(board=board).values_list("email", "role"))
    assert invited == {"an@eik.nl": Role.STAFF, "bo@eik.nl": Role.SCHOOL_LEADER}
    assert not problems, "\n".join(problems)
