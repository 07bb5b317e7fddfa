"""Template helpers: times with their zone named."""

from __future__ import annotations

import datetime
import zoneinfo

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def zoned(value: datetime.datetime | None, zone: str | None = None) -> str:
    """'18 Oct 2021, 09:00 (Asia/Tokyo, UTC+09:00)' in the given zone, or the viewer's."""
    if not value:
        return ""
    tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
    local = value.astimezone(tz)
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({tz.key}, {offset})"


@register.simple_tag
def zoned_span(
    start: datetime.datetime | None, end: datetime.datetime | None, zone: str | None = None
) -> str:
    """'18 Oct 2021, 13:00–13:30 (Asia/Tokyo, UTC+09:00)': a start and end in one zone."""
    if not start or not end:
        return zoned(start, zone)
    tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    offset = local_start.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    end_text = formats.time_format(local_end, "TIME_FORMAT")
    if local_end.date() != local_start.date():
        end_text = formats.date_format(local_end, "DATETIME_FORMAT")
    return f"{formats.date_format(local_start, 'DATETIME_FORMAT')}–{end_text} ({tz.key}, {offset})"


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for filters and pagination)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
