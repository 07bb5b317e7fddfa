"""Shaping the programme for pages and PDFs: days in the venue's calendar, parallel sessions together."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import groupby

from .models import AgendaVersion, Meeting, Session


@dataclass
class Slot:
    starts_at: datetime.datetime
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Day:
    date: datetime.date
    slots: list[Slot] = field(default_factory=list)


def public_sessions(meeting: Meeting):
    return (
        Session.objects.filter(meeting=meeting)
        .select_related("room")
        .prefetch_related("speaker_links__person__organisation")
        .order_by("starts_at", "track", "title")
    )


def build_days(meeting: Meeting, sessions, viewer_zone: str | None = None) -> list[Day]:
    """Group sessions by the venue's date, and sessions starting together into one slot (tracks)."""
    tz = meeting.tz
    viewer = zoneinfo.ZoneInfo(viewer_zone) if viewer_zone else tz
    days: list[Day] = []
    for date, day_sessions in groupby(sessions, key=lambda s: s.starts_at.astimezone(tz).date()):
        day = Day(date)
        for start, slot_sessions in groupby(day_sessions, key=lambda s: s.starts_at):
            items = list(slot_sessions)
            for s in items:
                s.viewer_day_differs = s.starts_at.astimezone(viewer).date() != date
            day.slots.append(Slot(start, items))
        days.append(day)
    return days


def session_sequences(meeting: Meeting) -> dict[str, int]:
    """session UUID -> its calendar SEQUENCE: how many times it changed after it first appeared.

    Counted from the published agenda versions, plus one when the session as it is now differs
    from the last version (calendars show the programme as it is, published or not), so every
    change a subscriber's calendar can see raises the number.
    """
    from .services import agenda_snapshot

    counts: dict[str, int] = {}
    previous: dict[str, dict] = {}
    versions = (
        AgendaVersion.objects.filter(meeting=meeting).order_by("number").values_list("snapshot", flat=True)
    )
    for snapshot in [*versions, agenda_snapshot(meeting)]:
        for key, item in snapshot.items():
            if key in previous and previous[key] != item:
                counts[key] = counts.get(key, 0) + 1
        previous = snapshot
    return counts
