"""The bell in the header: the signed-in user's unread count on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def bell(request: HttpRequest) -> dict:
    """`notices_unread`: counted lazily (a page that never shows it pays nothing) with one query,
    and at most once per request however many templates read it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notices_unread": 0}

    def count() -> int:
        cached = getattr(request, "_notices_unread", None)
        if cached is None:
            from .services import unread_count

            cached = request._notices_unread = unread_count(user)  # type: ignore[attr-defined]
        return cached

    return {"notices_unread": SimpleLazyObject(count)}
