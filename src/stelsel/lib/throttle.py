"""A limit on guessing secret links.

Answer links, meeting codes, inspector links and calendar feeds are reached by a secret in the
address, without signing in. Each unknown secret counts towards a limit per client address and
window; once past it, that address gets "too many" for a while, so the secrets cannot be found by
trying. Known secrets are never counted or refused: a person with a real link always gets in.

An IPv6 client is counted by its /64 (one connection holds a whole /64), and a kind may have a
ceiling over all addresses together (`total`), so that guessing from many addresses is bounded
too; past it, unknown secrets get "too many" from everyone for the rest of the window.
"""

import ipaddress

from django.core.cache import cache

GUESS_LIMIT = 30  # unknown secrets per client address per window
GUESS_WINDOW = 600  # seconds


class GuessThrottle:
    """The count of unknown secrets of one kind (`scope` keeps kinds apart)."""

    def __init__(
        self,
        scope: str,
        *,
        limit: int = GUESS_LIMIT,
        window: int = GUESS_WINDOW,
        total: int | None = None,
    ):
        self.scope, self.limit, self.window, self.total = scope, limit, window, total

    def _key(self, request) -> str:
        return f"{self.scope}-guess:{client_key(request.META.get('REMOTE_ADDR', ''))}"

    def _total_key(self) -> str:
        return f"{self.scope}-guess-total"

    def exhausted(self, request) -> bool:
        """Whether this client (or, with a ceiling, everyone) has used up the guesses."""
        if self.total is not None and cache.get(self._total_key(), 0) >= self.total:
            return True
        return cache.get(self._key(request), 0) >= self.limit

    def count(self, request) -> None:
        """Count one unknown secret from this client (and towards the ceiling)."""
        self._incr(self._key(request))
        if self.total is not None:
            self._incr(self._total_key())

    def _incr(self, key: str) -> None:
        cache.add(key, 0, self.window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window)
        # Some backends (the database cache among them) store an incremented value with the
        # cache's default timeout, which may be shorter than the window; the window is kept.
        cache.touch(key, self.window)

    def refused(self, request) -> bool:
        """For an unknown secret: True if the client is past its limit (answer "too many"),
        otherwise count this guess and return False (answer "not found")."""
        if self.exhausted(request):
            return True
        self.count(request)
        return False


def client_key(address: str) -> str:
    """The address a client is counted by: an IPv4 address itself, an IPv6 address its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"
