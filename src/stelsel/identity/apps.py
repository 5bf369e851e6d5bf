from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "stelsel.identity"
    label = "identity"
    verbose_name = _("Sign-in and onboarding")

    def ready(self):
        from stelsel.identity.policy import invitation_sign_in_address
        from stelsel.organisations.sign_in_hooks import register

        register(invitation_sign_in_address)
