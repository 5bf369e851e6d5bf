"""The guessing limit keeps its window on every cache backend."""

import time

from django.core.cache import cache
from django.test import RequestFactory, override_settings

from stelsel.lib.throttle import GuessThrottle


def test_a_used_up_limit_lasts_the_window_even_where_incr_resets_the_timeout(tmp_path):
    """The file and database caches store an incremented value with the cache's default
    timeout; the limit must still hold for its whole window."""
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
            "TIMEOUT": 1,
        }
    }
    with override_settings(CACHES=caches):
        throttle = GuessThrottle("test", limit=2, window=600)
        assert not throttle.refused(request) and not throttle.refused(request)
        assert throttle.refused(request)
        time.sleep(1.2)
        assert throttle.refused(request), "still refused after the cache's default timeout"
        cache.clear()
