"""Bearer-token authentication with scopes, and session authentication for the site's own pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle, BaseThrottle, SimpleRateThrottle

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


class _ReadThrottle(SimpleRateThrottle):
    """Reads (GET, HEAD) only; the rate is read from settings on each request, and the history is
    kept in the default cache (the database), shared by every process."""

    setting = ""

    def __init__(self) -> None:
        super().__init__(rate="1/s")  # replaced from settings on each request

    def allow_request(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return True
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class TokenReadThrottle(_ReadThrottle):
    """`ASCNHUB_API_READ_RATE_PER_TOKEN` reads per token."""

    scope = "read-token"
    setting = "ASCNHUB_API_READ_RATE_PER_TOKEN"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        return None if token is None else self.cache_format % {"scope": self.scope, "ident": token.pk}


class AddressReadThrottle(_ReadThrottle):
    """`ASCNHUB_API_READ_RATE_PER_ADDRESS` reads per client address, with or without a token (so
    many tokens from one address do not multiply its share)."""

    scope = "read-address"
    setting = "ASCNHUB_API_READ_RATE_PER_ADDRESS"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


READ_THROTTLE: list[BaseThrottle] = [TokenReadThrottle(), AddressReadThrottle()]

optional_token = [TokenAuth(), lambda request: True]  # public endpoints: a token is optional
