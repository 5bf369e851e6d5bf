"""The board's early-warning settings."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stelsel.insight.signals import margin_for
from stelsel.insight.warnings import digest_choose, warning_settings_update
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission


class WarningSettingsForm(forms.Form):
    margin = forms.DecimalField(
        label=gettext_lazy("Near the norm: within this many percentage points above it"),
        min_value=0,
        max_value=20,
        decimal_places=2,
        localize=True,
        help_text=gettext_lazy(
            "A school whose 3-year result lies less than this above the signalling value gets "
            "a signal, so the board can act before the result drops below it."
        ),
    )


@board_view(Permission.MANAGE_DATA)
def warning_settings(request, board):
    form = WarningSettingsForm(request.POST or None, initial={"margin": margin_for(board)})
    if request.method == "POST" and form.is_valid():
        warning_settings_update(board=board, margin=form.cleaned_data["margin"])
        messages.success(request, _("Settings saved; the signals follow the new margin."))
        return redirect("insight:warning_settings", board_id=board.pk)
    return render(request, "insight/settings/warnings.html", {"board": board, "form": form})


@require_POST
@login_required
def digest_setting(request):
    wanted = request.POST.get("digest") == "on"
    digest_choose(user=request.user, wanted=wanted)
    if wanted:
        messages.success(request, _("You will get an email when new data brings signals."))
    else:
        messages.success(request, _("You will no longer get emails about new signals."))
    return redirect("account_settings")
