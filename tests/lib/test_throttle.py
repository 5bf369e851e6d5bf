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


def _from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_an_ipv6_client_is_counted_by_its_64_and_ipv4_by_its_address():
    throttle = GuessThrottle("test-v6", limit=2)
    assert not throttle.refused(_from("2001:db8:1:2::1"))
    assert not throttle.refused(_from("2001:db8:1:2:ffff::9"))
    assert throttle.refused(_from("2001:db8:1:2:abcd::5")), "the same /64 is one client"
    assert not throttle.refused(_from("2001:db8:1:3::1")), "another /64 is another client"
    assert not throttle.refused(_from("192.0.2.1"))
    assert not throttle.refused(_from("192.0.2.2"))
    assert not throttle.refused(_from("not-an-address"))


def test_the_ceiling_over_all_addresses_stops_guessing_from_many():
    throttle = GuessThrottle("test-total", limit=30, total=5)
    for n in range(5):
        assert not throttle.refused(_from(f"198.51.100.{n}"))
    assert throttle.refused(_from("198.51.100.200")), "a fresh address after the ceiling"
    assert not GuessThrottle("test-other", limit=30, total=5).refused(_from("198.51.100.200"))
