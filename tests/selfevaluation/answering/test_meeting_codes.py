"""Meeting codes: short, grouped for reading aloud, typed in any form, and not to be guessed
under the throttle."""

import pytest
from django.urls import reverse

from stelsel.lib.throttle import GUESS_LIMIT, GUESS_WINDOW
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import RoundPerspective
from tests.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    round_ = make_round(world.board, world.school, state="open")
    return services.meeting_code_start(
        round_=round_, perspective=round_.perspectives.get(code="council"), cap=10
    )


def test_the_guessing_odds_stated_for_the_code_hold_for_the_throttle():
    """The numbers in the docstring of `_meeting_code`, from the constants themselves."""
    codes = len(services.MEETING_ALPHABET) ** services.MEETING_CODE_LENGTH
    assert codes == 2**40
    guesses_a_day = GUESS_LIMIT * (24 * 60 * 60 // GUESS_WINDOW)
    assert guesses_a_day == 4_320
    live_codes = 1_000
    a_day = guesses_a_day * live_codes / codes
    a_round = 28 * a_day
    assert a_day < 4e-6, "about 4 in a million per address per day"
    assert 1 / a_round > 9_000, "less than 1 in 9,000 per address over a 4-week round"
    everyone_a_day = services.MEETING_GUESS_CEILING * (24 * 60 * 60 // GUESS_WINDOW)
    assert everyone_a_day == 72_000
    assert everyone_a_day * live_codes / codes < 6.6e-5, "6.6 in 100,000 a day, all addresses"
    assert 1 / (28 * everyone_a_day * live_codes / codes) > 540, "1 in 540 over a round"
    assert set(services.MEETING_ALPHABET).isdisjoint("01OI"), "no look-alikes"
    assert len(set(services.MEETING_ALPHABET)) == len(services.MEETING_ALPHABET) == 32


def test_a_new_code_has_8_characters_and_shows_in_two_groups(council):
    code = council.meeting_code
    assert len(code) == 8 and all(ch in services.MEETING_ALPHABET for ch in code)
    assert council.meeting_code_grouped == f"{code[:4]}-{code[4:]}"
    assert services.meeting_url(code).endswith(f"/bijeenkomst/{code[:4]}-{code[4:]}/")


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c,
        lambda c: f"{c[:4]}-{c[4:]}",
        lambda c: f"{c[:4]} {c[4:]}".lower(),
        lambda c: f"  {c.lower()} ",
        lambda c: f"{c[:2]} {c[2:4]}–{c[4:]}",
    ],
)
def test_a_code_is_accepted_with_or_without_dash_spaces_and_capitals(client, council, typed):
    raw = typed(council.meeting_code)
    entry = client.get(reverse("selfevaluation:meeting_entry"), {"code": raw})
    assert entry.status_code == 302
    assert entry.url == reverse("selfevaluation:meeting", args=[council.meeting_code_grouped])
    assert client.get(entry.url).status_code == 200
    assert services.perspective_from_meeting_code(raw).pk == council.pk


def test_a_code_of_the_old_length_keeps_working(client, council):
    old = "ABCDEFGHJKLM"
    RoundPerspective.objects.filter(pk=council.pk).update(meeting_code=old)
    assert client.get(reverse("selfevaluation:meeting", args=[old])).status_code == 200
    entry = client.get(reverse("selfevaluation:meeting_entry"), {"code": "abcd efgh jklm"})
    assert entry.url == reverse("selfevaluation:meeting", args=["ABCD-EFGH-JKLM"])
    assert client.get(entry.url).status_code == 200


@pytest.mark.parametrize("typed", ["ABC", "ABCD-EFG0", "ABCDEFGHI", "ABCD-EFGH-IJ", "ÄBCD-EFGH"])
def test_what_cannot_be_a_code_is_answered_on_the_entry_page_without_counting(
    client, english, council, typed
):
    for _attempt in range(GUESS_LIMIT + 2):
        response = client.get(reverse("selfevaluation:meeting_entry"), {"code": typed})
        assert response.status_code == 400
    html = response.content.decode()
    assert "This is not a meeting code" in html and 'aria-invalid="true"' in html
    assert f'value="{typed}"' in html, "what was typed stays to correct"
    assert (
        client.get(reverse("selfevaluation:meeting", args=[council.meeting_code])).status_code
        == 200
    )


def test_an_unknown_code_says_so_leads_back_and_counts_as_a_guess(client, english, council):
    unknown = "ABCD-EFGH" if council.meeting_code != "ABCDEFGH" else "HGFE-DCBA"
    url = reverse("selfevaluation:meeting", args=[unknown])
    for _attempt in range(GUESS_LIMIT):
        response = client.get(url)
        assert response.status_code == 404
    assert "This code is not known" in response.content.decode()
    assert reverse("selfevaluation:meeting_entry") in response.content.decode()
    assert client.get(url).status_code == 429


def test_the_sign_in_page_leads_to_answering_with_a_code(client, english):
    html = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("selfevaluation:meeting_entry")}"' in html
    assert "Answer with a code" in html
