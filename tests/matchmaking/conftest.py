"""Matchmaking tests: tasks run at once, e-mail goes to mail.outbox, a small matchmaking world."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def mm(network):
    from tests.matchmaking.factories import make_world

    return make_world(network)
