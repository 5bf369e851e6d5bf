"""Boards may require two-factor sign-in: members without TOTP are sent to set it up first."""

from django.shortcuts import redirect
from django.urls import reverse

from stelsel.organisations.two_factor import satisfied_board, user_must_set_up_two_factor

ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/i18n/",
    "/uitnodiging/",
    "/health",
    "/vragenlijst/",
    "/bijeenkomst/",
    "/bedankt/",
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")  # the API answers 403 itself (api/auth.py)
            and user_must_set_up_two_factor(user, satisfied_board(request.session))
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)
