"""Errors that endpoints raise; api.py turns them into JSON answers."""

from __future__ import annotations


class InvalidFields(Exception):
    """400: the request is well-formed but some fields are wrong; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidFields:
        return cls({field: [message]})


def refuse_nul(**fields: object) -> None:
    """No stored text may hold a NUL character (PostgreSQL refuses it): 400 naming the field."""
    bad = {
        name: ["must not contain NUL characters"] for name, value in fields.items() if "\x00" in str(value)
    }
    if bad:
        raise InvalidFields(bad)
