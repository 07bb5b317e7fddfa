"""Shared fixtures: fast password hashing, factories, signed-in clients for each role."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    # A PostgreSQL pass skips what only exercises SQLite (child processes on their own file).
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        skip = pytest.mark.skip(reason="SQLite only: already run in the SQLite pass")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is not what these tests are about; MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Secretariat two-factor enforcement has its own tests (tests/common/test_security.py);
    # elsewhere the secretariat acts without setting up an authenticator first.
    settings.ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT = False
    # Anonymous pages may be up to ASCNHUB_PAGE_CACHE_SECONDS old in production; tests that change
    # something and look again at once would see the old page. The cache has its own tests
    # (tests/common/test_pagecache.py, the soak in bench_scaleout.py) and is off elsewhere.
    settings.ASCNHUB_PAGE_CACHE_SECONDS = 0
    # API reads are rate-limited per token and per address (tests/api/test_read_throttle.py);
    # elsewhere a test (the OpenAPI contract's hundreds of calls) must not run into the limit.
    settings.ASCNHUB_API_READ_RATE_PER_TOKEN = settings.ASCNHUB_API_READ_RATE_PER_ADDRESS = "100000/min"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Anonymous pages are cached per process for a few seconds (common/pagecache.py): each test
    # starts from an empty cache, as a freshly started server does.
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language (a Japanese user's, say) active in the
    # thread afterwards; each test starts in the site's default language, as a fresh worker does.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def network(db):
    """A small network: two countries, three cities, their officers, one NR, the secretariat."""
    from tests.factories import make_network

    return make_network()


@pytest.fixture
def client_for(client, django_user_model):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
