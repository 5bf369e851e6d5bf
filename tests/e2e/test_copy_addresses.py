"""The copy button in the browser: it copies the calendar address to the clipboard and says
so in its live region; where the page gets no clipboard it selects the address instead."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from stelsel.organisations.roles import Role
from tests.factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _make_calendar_address(page, live_server):
    page.goto(live_server.url + reverse("account_settings"))
    page.locator(f"form[action='{reverse('meetings:feed_create')}'] button").click()
    page.wait_for_load_state()
    return page.locator("#feed-url").input_value()


def test_the_copy_button_copies_the_calendar_address_and_says_so(
    page, live_server, sign_in, screenshot, world
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(world.users[Role.QUALITY_OFFICER])
    address = _make_calendar_address(page, live_server)
    assert address.endswith(".ics")
    button = page.locator("[data-copy='feed-url']")
    assert button.is_visible()
    button.click()
    page.locator("#feed-url-status").filter(has_text=button.get_attribute("data-copied")).wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == address
    webcal = page.locator("a[href^='webcal:']")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    violations = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert violations == []
    screenshot("calendar-address-copied")


def test_without_a_clipboard_the_address_is_selected_to_copy_by_hand(
    page, live_server, sign_in, world
):
    sign_in(world.users[Role.QUALITY_OFFICER])
    address = _make_calendar_address(page, live_server)
    # A browser that offers the page no clipboard.
    page.evaluate("() => Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    button = page.locator("[data-copy='feed-url']")
    button.click()
    said = page.locator("#feed-url-status")
    said.filter(has_text=button.get_attribute("data-copied")).or_(
        said.filter(has_text=button.get_attribute("data-selected"))
    ).wait_for()
    selected = page.evaluate(
        "() => { const f = document.getElementById('feed-url');"
        " return f.value.substring(f.selectionStart, f.selectionEnd); }"
    )
    assert selected == address
    assert page.evaluate("() => document.activeElement.id") == "feed-url"
