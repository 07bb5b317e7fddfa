"""Shared fixtures: fast password hashing, factories, signed-in clients for each role."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is not what these tests are about; MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Secretariat two-factor enforcement has its own tests (tests/common/test_security.py);
    # elsewhere the secretariat acts without setting up an authenticator first.
    settings.ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT = False


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
