"""Fixtures for the scheduling engine tests (pure Python, no database)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords():
    """Override the web suite's autouse fixture: engine tests touch no Django settings.

    (They run with ``-p no:django``.)
    """
    yield
