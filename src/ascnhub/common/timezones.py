"""The IANA time-zone names this machine knows, read once per process."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def known_timezones() -> frozenset[str]:
    """All zone names (reading them walks the zoneinfo tree on disk: do it once, not per request)."""
    return frozenset(zoneinfo.available_timezones())
