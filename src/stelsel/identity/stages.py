"""allauth's second-factor step, skipped when the board's provider already asked for one.

A person with an authenticator app in Stelsel is asked for its code after every sign-in; after a
sign-in through the board's identity provider that says it used more than one factor, asking
again adds nothing.
"""

from allauth.mfa import stages


class AuthenticateStage(stages.AuthenticateStage):
    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if (getattr(sociallogin, "state", None) or {}).get("identity", {}).get("mfa"):
            return False
        return super()._should_handle(request)
