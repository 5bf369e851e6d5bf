"""The user's own settings: personal API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stelsel.accounts import selectors, services
from stelsel.accounts.selectors import user_has_totp
from stelsel.meetings import selectors as meetings_selectors


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("For example the tool that will use it."),
    )


@login_required
def account_settings(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.tokens_for_user(request.user),
            "has_totp": user_has_totp(request.user),
            **meetings_selectors.settings_context(request.user),  # calendar feed, reminders
        },
    )


@require_POST
@login_required
def token_revoke(request, token_id):
    token = selectors.tokens_for_user(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.token_revoke(token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:settings")
