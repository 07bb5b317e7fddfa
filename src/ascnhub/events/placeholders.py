"""Placeholders in texts that organisers write for registrants: `{name}`, `{badge_link}`, …

Used by the organisers' mailings (a floor above) and by the per-meeting templates of the
transactional e-mails (`message_templates`), so both understand the same names and refuse the
same mistakes. A placeholder is a name in braces; anything else in braces is an unknown
placeholder, refused before anything is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .models import Registration

# What every text about one registrant may use (mailings and every transactional e-mail).
REGISTRATION_PLACEHOLDERS = (
    "name",
    "meeting",
    "category",
    "status",
    "participation",
    "registration_link",
    "badge_link",
    "agenda_link",
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def used(text: str) -> list[str]:
    """The placeholder names in `text`, in order of appearance (repeated as they repeat)."""
    return _PLACEHOLDER.findall(text)


def unknown(text: str, known: Iterable[str]) -> list[str]:
    """The placeholder names in `text` that are not in `known`, each once, in order."""
    allowed = set(known)
    out: list[str] = []
    for name in used(text):
        if name not in allowed and name not in out:
            out.append(name)
    return out


def known_text(known: Iterable[str]) -> str:
    """The known placeholders as a reader sees them: "{name}, {badge_link}, …"."""
    return ", ".join(f"{{{name}}}" for name in known)


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each placeholder replaced by its value (checked beforehand with `unknown`; a
    name without a value is left as written rather than failing a send)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def registration_values(registration: Registration, language: str | None = None) -> dict[str, str]:
    """The values of REGISTRATION_PLACEHOLDERS for one registrant, in `language` (default: theirs).

    `badge_link` and `registration_link` are the registrant's own pages; the registration link
    carries its key, so the text goes to the registrant (or, in a test send, to the organiser).
    """
    meeting = registration.meeting
    slug = meeting.slug
    site = settings.SITE_URL
    with translation.override(language or registration.language):
        return {
            "name": registration.name,
            "meeting": meeting.title,
            "category": registration.category.local_name if registration.category_id else "",
            "status": str(registration.get_status_display()),
            "participation": str(registration.get_mode_display()),
            "registration_link": site + registration.get_absolute_url(),
            "badge_link": site + reverse("events:registration_badge", args=[slug, registration.public_id]),
            "agenda_link": site + reverse("events:agenda", args=[slug]),
        }
