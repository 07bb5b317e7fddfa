"""Badge tokens: compact, Ed25519-signed, verifiable offline with the public key alone.

A token is `B1.<payload>.<signature>` (URL-safe base64 without padding); the payload is 25 bytes:
version (1), registration UUID (16), meeting id (4, big-endian), expiry as Unix seconds (4). A
scanner that holds the public key (`/meetings/<slug>/badge-key.json`) can check a badge with no
network; the server checks it again at check-in.

The signing key is derived from SECRET_KEY (HMAC-SHA256 with a fixed label), so every web node
signs alike and rotating SECRET_KEY invalidates printed badges, as it should.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils.translation import gettext_lazy as _

PREFIX = "B1"
VERSION = 1
_PAYLOAD = struct.Struct(">B16sII")


class TokenError(Exception):
    """A badge token that must be refused; `code` is machine-readable, str() is for people."""

    MESSAGES = {
        "malformed": _("This is not a badge code of this system (it could not be read)."),
        "forged": _("The badge signature is not valid: the badge may be forged or altered."),
        "expired": _("This badge has expired."),
        "other_meeting": _("This badge belongs to another meeting."),
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))


@dataclass(frozen=True)
class BadgeClaim:
    registration: uuid.UUID
    meeting_id: int
    expires: datetime.datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _private_key() -> Ed25519PrivateKey:
    seed = hmac.new(
        settings.SECRET_KEY.encode(), b"ascnhub.events.badge-signing-key", hashlib.sha256
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def public_key_b64() -> str:
    raw = public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(raw)


def sign(registration_id: uuid.UUID, meeting_id: int, expires: datetime.datetime) -> str:
    expiry = min(int(expires.timestamp()), 0xFFFFFFFF)  # 4 bytes reach the year 2106
    payload = _PAYLOAD.pack(VERSION, registration_id.bytes, meeting_id, expiry)
    return f"{PREFIX}.{_b64(payload)}.{_b64(_private_key().sign(payload))}"


def verify(
    token: str,
    *,
    meeting_id: int | None = None,
    now: datetime.datetime | None = None,
    key: Ed25519PublicKey | None = None,
) -> BadgeClaim:
    """Check a token's signature, expiry and meeting; raise TokenError, or return its claim."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise TokenError("malformed")
    try:
        payload, signature = _unb64(parts[1]), _unb64(parts[2])
    except (ValueError, TypeError):
        raise TokenError("malformed") from None
    if len(payload) != _PAYLOAD.size or len(signature) != 64:
        raise TokenError("malformed")
    try:
        (key or public_key()).verify(signature, payload)
    except InvalidSignature:
        raise TokenError("forged") from None
    version, reg_bytes, token_meeting, expiry = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise TokenError("malformed")
    expires = datetime.datetime.fromtimestamp(expiry, tz=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    if expires < now:
        raise TokenError("expired")
    if meeting_id is not None and token_meeting != meeting_id:
        raise TokenError("other_meeting")
    return BadgeClaim(registration=uuid.UUID(bytes=reg_bytes), meeting_id=token_meeting, expires=expires)
