"""Sign-in with the board's own accounts, in the browser, through a real OpenID Connect provider.

The board executive signs in with a password, adds the board's provider on the sign-in settings
page and finds there the redirect URI to register. An invited quality officer then finds the
board's provider by their work address, signs in at the provider's own page (the test provider
on this machine), comes back signed in on the board's home with the invitation accepted, and
signing out ends the session at the provider too. Someone the board never invited is refused.

Every page of the flow is checked with axe, fits a 390 px phone and a 1366 px laptop, and is
photographed at both widths to be looked at."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from stelsel.identity.apps_for_allauth import redirect_uri
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.organisations.models import Invitation, Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from tests.e2e.axe import serious_problems
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_widths import MEASURE
from tests.factories import grant, make_board, make_user
from tests.idp.oidc import running_oidc_idp

pytestmark = pytest.mark.django_db(transaction=True)

DOMAIN = "de-eik.nl"
INVITED = f"an.jansen@{DOMAIN}"
NOT_INVITED = f"piet.bakker@{DOMAIN}"


@pytest.fixture
def idp():
    with running_oidc_idp() as provider:
        provider.interactive = True
        yield provider


@pytest.fixture
def local_site(settings, live_server):
    settings.IDENTITY_ALLOW_HTTP_LOCALHOST = True
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def check():
    """axe, the width and a photograph at both widths, ending at the laptop width; the problems
    of every page are gathered and reported together at the end of the test."""
    problems: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def run(page, name: str) -> None:
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{name} at {width} px: {found}" for found in serious_problems(page))
            measured = page.evaluate(MEASURE, width)
            if measured["scrollWidth"] > width:
                problems.append(
                    f"{name}: {page.url} is {measured['scrollWidth']} px wide at {width} px;"
                    f" sticking out: {', '.join(measured['culprits']) or 'nothing visible'}"
                )
            page.screenshot(path=str(SCREENSHOTS / f"sign-in-{name}-{width}.png"), full_page=True)

    run.problems = problems
    return run


def _watch(page):
    """Keep what the browser refused under the page's Content Security Policy, to name it
    when a navigation does not happen."""
    page.blocked = []
    page.on(
        "console",
        lambda message: (
            page.blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return _watch(page)


def _open(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url


def _follow(locator):
    """Click a link or a form's button; the response of the page it leads to."""
    page = locator.page
    try:
        with page.expect_navigation() as navigation:
            locator.click()
        return navigation.value
    except PlaywrightError as exc:
        page.wait_for_timeout(500)  # the console message comes after the failed navigation
        blocked = "; ".join(getattr(page, "blocked", [])) or "nothing"
        reason = str(exc).splitlines()[0]
        raise AssertionError(f"{page.url}: no page followed ({reason}); CSP refused: {blocked}")


def _at_the_provider(page, idp, email: str):
    """The work address on the login page's way in, then the provider's own sign-in page."""
    _follow(page.locator("main a[href^='/inloggen/werkaccount/']"))
    page.fill("#id_email", email)
    _follow(page.locator("main form button[type=submit]"))
    # Stelsel's page continues to the provider by itself (a form may only lead to Stelsel).
    page.wait_for_url(f"{idp.issuer}/authorize**")
    assert page.locator("h1").inner_text() == "Sign in"
    page.fill("#email", email)
    return _follow(page.get_by_role("button", name="Sign in"))


def test_a_board_sets_up_its_provider_and_an_invited_person_signs_in_with_it(
    browser, page, live_server, local_site, sign_in, idp, check
):
    base = local_site
    board = make_board(name="Stichting De Eik")
    executive = make_user(email=f"bestuurder@{DOMAIN}", name="Bea Bestuurder")
    grant(executive, board, Role.BOARD_EXECUTIVE)
    invitation, _link = invitation_create(
        board=board, email=INVITED, role=Role.QUALITY_OFFICER, invited_by=executive
    )

    # 1. The executive adds the board's provider and finds the redirect URI to register.
    _watch(page)
    sign_in(executive)
    _open(page, base + reverse("organisations:board_settings", args=[board.pk]))
    settings_url = reverse("identity:settings", args=[board.pk])
    _follow(page.locator(f"main a[href='{settings_url}']"))
    assert page.url == base + settings_url
    _follow(page.locator(f"main a[href$='/nieuw/{ProviderKind.OIDC}/']"))
    check(page, "provider-form")
    form = page.locator("main form.form")
    form.locator("#id_label").fill("Werkaccount De Eik")
    form.locator("#id_domains").fill(DOMAIN)
    form.locator("#id_server_url").fill(idp.issuer)
    form.locator("#id_client_id").fill(idp.client_id)
    form.locator("#id_client_secret").fill(idp.client_secret)
    _follow(form.locator("button[type=submit]"))
    assert page.url == base + settings_url, page.locator("main").inner_text()[:1500]
    provider = IdentityProvider.objects.get(board=board)
    assert provider.kind == ProviderKind.OIDC and provider.server_url == idp.issuer
    assert list(provider.domains.values_list("domain", flat=True)) == [DOMAIN]
    shown = page.locator(f"main #redirect-{provider.key}")
    assert shown.is_visible() and shown.input_value() == redirect_uri(provider)
    check(page, "settings")
    page.context.close()

    # 2. The invited person finds the provider by their work address and signs in there.
    person = _new_page(browser)
    _open(person, base + reverse("account_login"))
    check(person, "login")
    _follow(person.locator("main a[href^='/inloggen/werkaccount/']"))
    check(person, "discover")
    _open(person, base + reverse("account_login"))
    idp.next_identity = {
        "sub": "an-jansen-1",
        "email": INVITED,
        "email_verified": True,
        "name": "An Jansen",
    }
    assert _at_the_provider(person, idp, INVITED).status == 200
    assert person.url == base + reverse("web:board_home", args=[board.pk]), person.url
    assert "Stichting De Eik" in person.locator("body").inner_text()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert Membership.objects.filter(
        user__email=INVITED, board=board, role=Role.QUALITY_OFFICER
    ).exists()
    provider.refresh_from_db()
    assert provider.verified_at is not None and not provider.last_error

    _open(person, base + reverse("account_settings"))
    check(person, "account-settings")
    _open(person, base + reverse("usersessions_list"))
    assert person.locator("main .session-list > li").count() == 1
    check(person, "sessions")
    _open(person, base + reverse("socialaccount_connections"))
    check(person, "linked-accounts")

    # 3. Signing out of Stelsel signs out at the provider, which sends the person back.
    _open(person, base + reverse("web:board_home", args=[board.pk]))
    _follow(person.locator("form.site-header__signout button[type=submit]"))
    person.wait_for_url(base + reverse("account_login"))
    assert len(idp.logouts) == 1
    assert idp.logouts[0]["client_id"] == idp.client_id
    assert idp.logouts[0].get("id_token_hint")
    assert idp.logouts[0]["post_logout_redirect_uri"] == base + reverse("account_login")
    assert person.locator("form.site-header__signout").count() == 0
    person.context.close()

    # 4. Someone the board never invited is refused, and nothing is made for them.
    stranger = _new_page(browser)
    _open(stranger, base + reverse("identity:start", args=[provider.key]))
    check(stranger, "start")
    _open(stranger, base + reverse("account_login"))
    idp.next_identity = {"sub": "piet-1", "email": NOT_INVITED, "email_verified": True}
    assert _at_the_provider(stranger, idp, NOT_INVITED).status == 403
    assert stranger.locator("main a[href='/accounts/login/']").count() == 1
    check(stranger, "refused")
    assert not get_user_model().objects.filter(email=NOT_INVITED).exists()
    assert not Invitation.objects.filter(email=NOT_INVITED).exists()
    stranger.context.close()

    assert not check.problems, "\n".join(check.problems)
