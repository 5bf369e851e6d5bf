"""Where an invited person must sign in instead of choosing a password.

A board may turn password sign-in off for its own domains (the identity app). The invitation
link must then not set a password either, or it would open the door the board closed: it sends
the person to the board's work-account sign-in, which accepts the invitation. The identity app
lies above this one in the layers, so it registers its rule here when it starts.
"""

from collections.abc import Callable

_rules: list[Callable] = []


def register(rule: Callable) -> None:
    """`rule(invitation)` gives the address to sign in at instead, or None."""
    if rule not in _rules:
        _rules.append(rule)


def work_account_sign_in(invitation) -> str | None:
    for rule in _rules:
        address = rule(invitation)
        if address:
            return address
    return None
