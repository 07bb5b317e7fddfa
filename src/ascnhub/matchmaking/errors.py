"""Domain errors with a machine code (for the API) and a message for people."""

from __future__ import annotations

from ascnhub.common.errors import DomainError


class MatchmakingError(DomainError):
    """A matchmaking action was refused; `code` is stable, `message` says why in plain words."""
