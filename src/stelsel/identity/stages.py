"""allauth's second-factor step, skipped when the board's provider already asked for one.

A person with an authenticator app in Stelsel is asked for its code after every sign-in; after a
sign-in through the board's identity provider that says it used more than one factor, asking
again adds nothing, as long as all of the person's roles are on that board.
"""

from allauth.mfa import stages

from stelsel.organisations.models import Membership


class AuthenticateStage(stages.AuthenticateStage):
    def _should_handle(self, request) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        identity = (getattr(sociallogin, "state", None) or {}).get("identity", {})
        if identity.get("mfa") and self.login.user is not None:
            # The provider vouches for its own board only: someone with roles elsewhere too
            # still gives their own code.
            elsewhere = (
                Membership.objects.filter(user=self.login.user)
                .exclude(board_id=identity.get("board"))
                .exists()
            )
            if not elsewhere:
                return False
        return super()._should_handle(request)
