"""allauth adapter: Stelsel is invitation-only, so nobody can sign themselves up."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False
