"""Revoking a personal API token (the settings page that lists them is web.views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.accounts import selectors, services


@require_POST
@login_required
def token_revoke(request, token_id):
    token = selectors.tokens_for_user(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.token_revoke(token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("account_settings")
