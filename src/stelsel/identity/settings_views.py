"""The board's sign-in settings: its identity providers and the password rule.

Only the board executive (MANAGE_BOARD) reaches these pages; a provider is looked up within the
board that `board_view` loaded through access, so another board's provider is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.identity import selectors, services
from stelsel.identity.forms import PasswordsForm, ProviderForm
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission


@board_view(Permission.MANAGE_BOARD)
def sign_in_settings(request, board):
    return render(
        request,
        "identity/settings.html",
        {
            "board": board,
            "providers": selectors.providers_with_addresses(board),
            "kinds": ProviderKind.choices,
            "passwords_off": selectors.passwords_off(board),
            "blockers": services.passwords_off_blockers(board=board, user=request.user),
            "settings_url": reverse("identity:settings", args=[board.pk]),
        },
    )


def _save(request, board, form, provider=None):
    try:
        saved = services.provider_save(
            board=board,
            data=form.provider_data(),
            domains_text=form.cleaned_data["domains"],
            client_secret=form.cleaned_data.get("client_secret", ""),
            provider=provider,
            revision=form.cleaned_data.get("revision"),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None
    messages.success(
        request,
        _("%(label)s saved. Try a sign-in with your own work account to check it works.")
        % {"label": saved.display_label},
    )
    return redirect("identity:settings", board_id=board.pk)


@board_view(Permission.MANAGE_BOARD)
def provider_add(request, board, kind):
    if kind not in ProviderKind.values:
        raise Http404
    form = ProviderForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        response = _save(request, board, form)
        if response:
            return response
    return render(
        request,
        "identity/provider_form.html",
        {"board": board, "form": form, "kind_label": ProviderKind(kind).label, "provider": None},
        status=400 if request.method == "POST" else 200,
    )


@board_view(Permission.MANAGE_BOARD)
def provider_edit(request, board, provider_id):
    provider = get_object_or_404(IdentityProvider, pk=provider_id, board=board)
    form = ProviderForm(request.POST or None, kind=provider.kind, provider=provider)
    if request.method == "POST" and form.is_valid():
        response = _save(request, board, form, provider)
        if response:
            return response
    return render(
        request,
        "identity/provider_form.html",
        {
            "board": board,
            "form": form,
            "kind_label": provider.get_kind_display(),
            "provider": provider,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@board_view(Permission.MANAGE_BOARD)
def provider_delete(request, board, provider_id):
    provider = get_object_or_404(IdentityProvider, pk=provider_id, board=board)
    services.provider_delete(provider=provider)
    messages.success(
        request,
        _("%(label)s removed. Its people sign in with their password again.")
        % {"label": provider.display_label},
    )
    return redirect("identity:settings", board_id=board.pk)


@require_POST
@board_view(Permission.MANAGE_BOARD)
def passwords(request, board):
    form = PasswordsForm(request.POST)
    form.is_valid()
    off = bool(form.cleaned_data.get("passwords_off"))
    try:
        services.passwords_set(board=board, user=request.user, off=off)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if off:
            messages.success(
                request,
                _(
                    "Password sign-in is off for addresses in the board's domains; they sign in "
                    "with their work account."
                ),
            )
        else:
            messages.success(request, _("Password sign-in is on again for everyone."))
    return redirect("identity:settings", board_id=board.pk)
