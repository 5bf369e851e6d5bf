"""Shared fixtures: fast password hashing in tests, and a two-board world with every role."""

import contextlib

import pytest

from tests.factories import make_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Uploads of a test go to its own folder, never to the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service-level messages are asserted in English; pages still follow the language switch
    (Dutch by default), because the language middleware sets the language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def _shared_cache_of_this_worker(tmp_path_factory):
    """The shared cache is a directory every process of an installation sees; test workers each
    have their own database, whose boards have the same ids, so each gets its own directory."""
    from django.conf import settings
    from django.core.cache import caches

    settings.CACHES["shared"]["LOCATION"] = str(tmp_path_factory.mktemp("shared-cache"))
    with contextlib.suppress(AttributeError):  # made earlier, with the installation's directory
        del caches["shared"]


@pytest.fixture(autouse=True)
def _fresh_cache(_shared_cache_of_this_worker):
    """Rate limits live in the cache; each test starts with none. Questionnaire shapes are kept
    per version id, which a rolled-back test gives out again to another version. Kept page parts
    and data versions (the shared cache) outlive a test database of the same name."""
    from django.core.cache import cache, caches

    from stelsel.selfevaluation.services import questionnaire_shape

    cache.clear()
    caches["shared"].clear()
    questionnaire_shape.cache_clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def english(client, settings):
    """Switch the test client to English, for assertions on message texts."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory, django_db_modify_db_settings_parallel_suffix):
    """SQLite tests use a file, not memory: the live server for browser tests then gets its own
    connections instead of sharing one across threads. Each pytest-xdist worker has its own
    database (the suffix fixture names them `…_gw0`, `…_gw1`)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.db")
