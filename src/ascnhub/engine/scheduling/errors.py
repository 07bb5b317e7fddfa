"""Errors raised by the scheduling engine."""

from __future__ import annotations


class SchedulingError(Exception):
    """Base class of every error the scheduling engine raises on purpose."""


class InstanceError(SchedulingError):
    """An instance (JSON or .dzn) is malformed or inconsistent.

    ``element`` names the offending element (``"participants[3]"``, ``"meeting m7"``,
    ``"slot d2-0900"``, ``"line 12"``) so that the message can be shown to a person as is.
    """

    def __init__(self, element: str, message: str) -> None:
        self.element = element
        self.message = message
        super().__init__(f"{element}: {message}")


class ResultError(SchedulingError):
    """A result document is malformed (not a schedule violation: see the validator)."""
