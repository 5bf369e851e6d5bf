"""Starting a sign-in through a board's identity provider, and signing out everywhere.

A person finds their board's provider by their work address (the domain says which board), or
follows the board's own sign-in address. The sign-in itself is allauth's; these views only start
it, with a POST so no other site can start one on someone's behalf.
"""

from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from stelsel.identity.apps_for_allauth import is_complete, social_app
from stelsel.identity.forms import NO_PROVIDER, WorkAccountForm
from stelsel.identity.models import IdentityProvider
from stelsel.identity.oidc import callback
from stelsel.identity.policy import provider_for_address
from stelsel.identity.sign_out import (
    LEAVE_SALT,
    continue_elsewhere,
    leave_url,
    provider_sign_out_url,
)


def _next_url(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _begin(request, provider: IdentityProvider):
    allauth_provider = social_app(provider).get_provider(request)
    response = allauth_provider.redirect(request, process="login", next_url=_next_url(request))
    return continue_elsewhere(request, response)


def discover(request):
    """Which provider signs in this address: the board whose domain it is."""
    form = WorkAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = provider_for_address(form.cleaned_data["email"])
        if provider is not None and is_complete(provider):
            return _begin(request, provider)
        form.add_error("email", NO_PROVIDER)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "identity/discover.html", {"form": form, "next": _next_url(request)}, status=status
    )


def start(request, key):
    """The board's own sign-in address: a page with one button, which starts the sign-in; an
    OpenID Connect provider sends its answer back here too (`oidc.callback`)."""
    provider = IdentityProvider.objects.select_related("board").filter(key=key).first()
    if provider is None or not is_complete(provider):
        raise Http404
    if request.method == "GET" and provider.is_oidc and "state" in request.GET:
        return callback(request, provider.key)
    if request.method == "POST":
        return _begin(request, provider)
    return render(
        request, "identity/start.html", {"provider": provider, "next": _next_url(request)}
    )


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session of this person, this one included, and sign out at the provider."""
    target = provider_sign_out_url(request)
    end_sessions(request, list(UserSession.objects.filter(user_id=request.user.pk)))
    if request.user.is_authenticated:
        logout(request)
    return redirect(leave_url(target) if target else "account_login")


def leave(request):
    """The page that takes the browser on to the identity provider after signing out: the
    address is signed by Stelsel, so nobody can use this page to send people elsewhere."""
    try:
        target = signing.loads(request.GET.get("to", ""), salt=LEAVE_SALT, max_age=600)
    except signing.BadSignature:
        return redirect("account_login")
    return render(request, "identity/continue.html", {"target": target, "leaving": True})
