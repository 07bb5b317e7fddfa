"""Template helpers for matchmaking pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ascnhub.engine.matching import Reason

register = template.Library()


@register.filter
def reasons_text(reasons: list[Any]) -> list[str]:
    """A suggestion's stored reasons as sentences in the reader's language.

    Reasons are stored structured ({"kind", "args"}) and rendered when shown, so a Japanese reader
    and an Indonesian one each read them in their own language. Rows stored before that (plain
    English strings) are shown as they are until the next refresh replaces them.
    """
    language = get_language() or "en"
    out = []
    for reason in reasons or []:
        if isinstance(reason, dict):
            try:
                out.append(Reason.from_dict(reason).text(language))
            except (ValueError, KeyError, IndexError):
                continue  # a kind this version does not know: better unsaid than wrong
        else:
            out.append(str(reason))
    return out


@register.filter
def updated_ago(when: datetime.datetime | None) -> str:
    """ "updated a moment ago" within the minute, else "updated 5 minutes ago" (the largest unit)."""
    if when is None:
        return ""
    if (timezone.now() - when).total_seconds() < 60:
        return _("updated a moment ago")
    return _("updated %(time)s ago") % {"time": timesince(when, depth=1)}
