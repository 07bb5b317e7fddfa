"""Template helpers for meetings: clock times in a given zone, zone labels."""

from __future__ import annotations

import datetime
import zoneinfo

from django import template
from django.utils import formats, timezone

register = template.Library()


def _zone(name: str | None):
    return zoneinfo.ZoneInfo(name) if name else timezone.get_current_timezone()


@register.filter
def hm(value: datetime.datetime | None, zone: str | None = None) -> str:
    """'09:30' in the given zone (or the viewer's), in the language's time format ('09.30' in Indonesian)."""
    if not value:
        return ""
    return formats.time_format(value.astimezone(_zone(zone)), "TIME_FORMAT")


@register.filter
def local_date(value: datetime.datetime | None, zone: str | None = None) -> datetime.date | None:
    if not value:
        return None
    return value.astimezone(_zone(zone)).date()


@register.filter
def zone_label(zone: str | None, when: datetime.datetime | None = None) -> str:
    """'Asia/Tokyo (UTC+09:00)'."""
    tz = _zone(zone)
    offset = (when or timezone.now()).astimezone(tz).strftime("%z")
    return f"{tz.key} (UTC{offset[:3]}:{offset[3:]})"
