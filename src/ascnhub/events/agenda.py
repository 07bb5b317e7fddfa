"""Shaping the programme for pages and PDFs: days in the venue's calendar, parallel sessions together."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import groupby

from .models import Meeting, Session


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
