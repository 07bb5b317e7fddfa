"""Bearer-token authentication with scopes, and session authentication for the site's own pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle, BaseThrottle

from . import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ascn_…`. The request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str):
        found = services.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        # The views read the token (its scopes); HttpRequest's stubs do not know the attribute.
        setattr(request, "api_token", found)  # noqa: B010
        return found


def require_scope(request: HttpRequest, scope: str) -> None:
    """403 unless the token carries `scope` (named in the message)."""
    token = getattr(request, "api_token", None)
    if token is None or scope not in token.scopes:
        raise HttpError(403, f"this token lacks the scope {scope!r}")


def require_any_scope(request: HttpRequest, *scopes: str) -> None:
    """403 unless the token carries one of `scopes` (reading what one wrote, or `read:private`)."""
    token = getattr(request, "api_token", None)
    if token is None or not set(scopes) & set(token.scopes):
        raise HttpError(403, f"this token lacks one of the scopes {', '.join(map(repr, scopes))}")


# Writes are rate-limited per token user, counted in the database cache (shared by all processes).
WRITE_THROTTLE: list[BaseThrottle] = [AuthRateThrottle("60/min")]

optional_token = [TokenAuth(), lambda request: True]  # public endpoints: a token is optional
