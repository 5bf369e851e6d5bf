"""A limit on guessing secret links.

Answer links, meeting codes, inspector links and calendar feeds are reached by a secret in the
address, without signing in. Each unknown secret counts towards a limit per client address and
window; once past it, that address gets "too many" for a while, so the secrets cannot be found by
trying. Known secrets are never counted or refused: a person with a real link always gets in.
"""

from django.core.cache import cache

GUESS_LIMIT = 30  # unknown secrets per client address per window
GUESS_WINDOW = 600  # seconds


class GuessThrottle:
    """The count of unknown secrets of one kind (`scope` keeps kinds apart)."""

    def __init__(self, scope: str, *, limit: int = GUESS_LIMIT, window: int = GUESS_WINDOW):
        self.scope, self.limit, self.window = scope, limit, window

    def _key(self, request) -> str:
        return f"{self.scope}-guess:{request.META.get('REMOTE_ADDR', 'unknown')}"

    def exhausted(self, request) -> bool:
        """Whether this client has used up its guesses."""
        return cache.get(self._key(request), 0) >= self.limit

    def count(self, request) -> None:
        """Count one unknown secret from this client."""
        key = self._key(request)
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
