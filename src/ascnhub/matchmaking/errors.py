"""Domain errors with a machine code (for the API) and a message for people."""

from __future__ import annotations


class MatchmakingError(Exception):
    """A matchmaking action was refused; `code` is stable, `message` says why in plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
