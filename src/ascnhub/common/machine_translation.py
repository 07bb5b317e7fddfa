"""Machine translation behind a small protocol; none is bundled.

A backend is anything with `translate(texts, source, target) -> list[str]`. The one the platform
knows how to configure speaks the LibreTranslate HTTP API (`POST /translate` with `q` as a list,
`source`, `target`, `format` and an optional `api_key`; the answer is
`{"translatedText": [...]}`), at the address in `ASCNHUB_MT_URL` with the key in
`ASCNHUB_MT_API_KEY`. Without an address, machine translation is off and the pages do not offer it.

Every failure (the endpoint is down, answers 4xx/5xx, or sends something that is not the expected
JSON) raises `MachineTranslationError` with a message for people; the caller stores nothing.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _


class MachineTranslationError(Exception):
    """The machine translation failed; the message says why, for the person who asked."""


class MachineTranslator(Protocol):
    """What a machine-translation backend offers."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """`texts` from language `source` into `target`, one result per text, in order."""
        ...


class LibreTranslateClient:
    """A LibreTranslate-compatible endpoint (LibreTranslate itself, or anything speaking its API)."""

    def __init__(self, url: str, api_key: str = "", timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Send all texts in one request; raise MachineTranslationError on any failure."""
        texts = list(texts)
        if not texts:
            return []
        payload: dict[str, object] = {"q": texts, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(
            f"{self.url}/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc.read())
            raise MachineTranslationError(
                _("The machine-translation service refused the request (HTTP %(status)s)%(detail)s.")
                % {"status": exc.code, "detail": f": {detail}" if detail else ""}
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise MachineTranslationError(
                _("The machine-translation service could not be reached (%(reason)s).") % {"reason": reason}
            ) from exc
        try:
            answer = json.loads(body)
            translated = answer["translatedText"]
        except (ValueError, TypeError, KeyError) as exc:
            raise MachineTranslationError(
                _("The machine-translation service sent an answer that is not a translation.")
            ) from exc
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if (
            not isinstance(translated, list)
            or len(translated) != len(texts)
            or not all(isinstance(t, str) for t in translated)
        ):
            raise MachineTranslationError(
                _("The machine-translation service sent %(got)s texts back for %(sent)s.")
                % {"got": len(translated) if isinstance(translated, list) else 0, "sent": len(texts)}
            )
        return translated


def _error_detail(body: bytes) -> str:
    """The endpoint's own explanation (LibreTranslate answers {"error": "…"}), shortened."""
    try:
        detail = json.loads(body).get("error", "")
    except (ValueError, AttributeError):
        detail = ""
    return str(detail)[:200]


def configured_backend() -> MachineTranslator | None:
    """The configured backend, or None when machine translation is off (no `ASCNHUB_MT_URL`)."""
    url = getattr(settings, "ASCNHUB_MT_URL", "")
    if not url:
        return None
    return LibreTranslateClient(
        url, getattr(settings, "ASCNHUB_MT_API_KEY", ""), getattr(settings, "ASCNHUB_MT_TIMEOUT", 30.0)
    )
