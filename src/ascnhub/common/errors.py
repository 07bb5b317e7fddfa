"""The one shape of a refused action, shared by every app's services.

A service that refuses raises a subclass of `DomainError` with a stable machine word (`code`), a
message for people (`message`, translated) and, when one input is at fault, its name (`field`).
Views put the message on the form (on `field` when the form has it); the API answers every
`DomainError` in one place (`api/api.py`), with `http_status`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A refused action: `code` (stable), `message` (for people), `field` (the input at fault, if any)."""

    #: The API's answer: 400, or 409 for the codes in `conflicts` (the request clashes with the state).
    http_status: ClassVar[int] = 400
    conflicts: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, code: str, message: Any, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message  # may be a lazy translation: rendered in the reader's language
        self.field = field

    @property
    def status(self) -> int:
        """The HTTP status the API answers this refusal with."""
        return 409 if self.code in self.conflicts else self.http_status

    def __str__(self) -> str:
        return str(self.message)
