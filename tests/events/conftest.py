"""Events tests: tasks run at once (django-tasks ImmediateBackend), e-mail goes to mail.outbox."""

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
def hlm(db):
    from tests.events.factories import make_meeting

    return make_meeting()
