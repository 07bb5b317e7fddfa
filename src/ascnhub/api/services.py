"""Issuing and revoking API tokens."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from ascnhub.common import activity

from .models import ApiToken, Scope, hash_token

TOKEN_PREFIX = "ascn_"


@transaction.atomic
def issue_token(user: Any, name: str, scopes: list[str], *, days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the stored token and the secret (shown once, never stored)."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(Scope.values)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:12],
        key_hash=hash_token(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
    )
    activity.record(user, "issue_token", token, {"scopes": [None, token.scopes]})
    return token, secret


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken) -> None:
    """Revoke a token at once; it stays listed for the audit trail."""
    token.revoked = True
    token.save(update_fields=["revoked"])
    activity.record(actor, "revoke_token", token, {"revoked": [False, True]})


def authenticate(secret: str) -> ApiToken | None:
    """The usable token for a secret, or None; records when it was last used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # cheap, and not on every call
    return token
