"""The IANA time-zone names this machine knows, read once per process."""

from __future__ import annotations

import difflib
import functools
import zoneinfo


def suggest_timezones(text: str, limit: int = 5) -> list[str]:
    """Zones a mistyped name probably meant: "Tokyo" -> Asia/Tokyo, "ho chi minh" -> Asia/Ho_Chi_Minh."""
    wanted = text.strip().replace(" ", "_").casefold()
    if not wanted:
        return []
    zones = sorted(known_timezones())
    by_city: dict[str, list[str]] = {}
    for zone in zones:
        by_city.setdefault(zone.rsplit("/", 1)[-1].casefold(), []).append(zone)
    exact = [z for z in zones if z.casefold() == wanted] + by_city.get(wanted, [])
    close = difflib.get_close_matches(wanted, list(by_city), n=limit, cutoff=0.75)
    partial = [z for z in zones if wanted in z.casefold()]
    out: list[str] = []
    for zone in [*exact, *(z for city in close for z in by_city[city]), *partial]:
        if zone not in out:
            out.append(zone)
    return out[:limit]


@functools.cache
def known_timezones() -> frozenset[str]:
    """All zone names (reading them walks the zoneinfo tree on disk: do it once, not per request)."""
    return frozenset(zoneinfo.available_timezones())
