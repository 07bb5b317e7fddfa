"""Issuing and revoking API tokens; registering people on behalf of a token's user."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ascnhub.common import activity
from ascnhub.common.errors import DomainError

from .models import ApiToken, Scope, SubmittedRegistration, hash_token

if TYPE_CHECKING:
    from ascnhub.common.models import User

TOKEN_PREFIX = "ascn_"
MAX_TOKEN_DAYS = 730


class TokenError(DomainError, ValueError):
    """A refused token: unknown scope, bad name or expiry, someone else's token. (A ValueError
    too, as `issue_token` refused unknown scopes with one before.)"""


@transaction.atomic
def issue_token(user: Any, name: str, scopes: list[str], *, days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the stored token and the secret (shown once, never stored)."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise TokenError(
            "unknown_scope",
            f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(Scope.values)}",
            "scopes",
        )
    if not scopes:
        raise TokenError("no_scope", "choose at least one scope", "scopes")
    if not name.strip():
        raise TokenError("no_name", "give the token a name, to tell it apart later", "name")
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenError("bad_expiry", f"a token lasts 1 to {MAX_TOKEN_DAYS} days", "days")
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
def revoke_token(actor: User, token: ApiToken) -> None:
    """Revoke a token at once; it stays listed for the audit trail. Only its owner (or the
    secretariat, through the admin) revokes it."""
    if actor is not None and token.user_id != actor.pk and not actor.is_staff:
        raise TokenError("not_yours", "this is not your token")
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


def submission_key(user: Any, idempotency_key: str) -> str:
    """The registration's submission key for a client's idempotency key: scoped to the user, so one
    integrator's key never finds another's registration."""
    return hashlib.sha256(f"api:{user.pk}:{idempotency_key}".encode()).hexdigest()[:40]


@transaction.atomic
def register_on_behalf(
    user: Any, token: ApiToken | None, meeting: Any, category: Any, data: dict[str, Any], key: str
) -> tuple[Any, bool]:
    """Register someone through the API (`events.services.register` does the checks: capacity and
    waiting list, approval rule, one registration per e-mail); returns (registration, created).

    The registration belongs to the token's user only when it is for their own e-mail address;
    otherwise the user is recorded as its submitter, who may then read its status.
    """
    from ascnhub.events import services as events

    from . import webhooks

    own = data["email"].strip().lower() == (user.email or "").strip().lower()
    registration, created = events.register(
        meeting, category, data, user=user if own else None, submission_key=key
    )
    if created:
        SubmittedRegistration.objects.create(registration=registration, user=user, token=token)
        if not own:
            activity.record(user, "register_via_api", registration, {"status": [None, registration.status]})
        webhooks.registration_changed(registration)  # the submitter's endpoints, now that it is recorded
    return registration, created
