"""Organiser set-up: slots cut from the agenda's matchmaking blocks, tables and video rooms."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ascnhub.common import activity

from .errors import MatchmakingError
from .models import Location, Setup, Slot

if TYPE_CHECKING:
    from ascnhub.common.models import User


def setup_for(meeting: Any) -> Setup:
    """The meeting's matchmaking set-up (created on first use)."""
    return Setup.objects.get_or_create(meeting=meeting)[0]


@transaction.atomic
def slots_from_agenda(actor: User, setup: Setup) -> int:
    """Cut every matchmaking block of the agenda into slots of `slot_minutes` (replacing unused slots)."""
    if setup.published_run_id:
        raise MatchmakingError("published", _("The schedule is published; slots can no longer be changed."))
    blocks = setup.meeting.sessions.filter(kind="matchmaking").order_by("starts_at")
    if not blocks:
        raise MatchmakingError("no_blocks", _("The agenda has no matchmaking block to cut into slots."))
    setup.slots.all().delete()
    step = datetime.timedelta(minutes=setup.slot_minutes)
    slots = []
    for block in blocks:
        start = block.starts_at
        group = f"b{block.pk}"
        while start + step <= block.ends_at:
            code = start.strftime("s%Y%m%d-%H%M")
            slots.append(
                Slot(
                    setup=setup, code=code, starts_at=start, ends_at=start + step, group=group, session=block
                )
            )
            start += step
    Slot.objects.bulk_create(slots)
    activity.record(actor, "set_slots", setup, {"slots": [None, len(slots)]})
    return len(slots)


@transaction.atomic
def set_locations(actor: User, setup: Setup, *, tables: int, video_rooms: int) -> None:
    """Have exactly `tables` tables (T01…) and `video_rooms` video rooms (V01…); keeps existing ones."""
    if setup.published_run_id and (
        tables < setup.locations.filter(kind="table").count()
        or video_rooms < setup.locations.filter(kind="virtual").count()
    ):
        raise MatchmakingError(
            "published", _("The schedule is published; tables and rooms can only be added.")
        )
    for kind, prefix, wanted in (("table", "T", tables), ("virtual", "V", video_rooms)):
        existing = list(setup.locations.filter(kind=kind).order_by("code"))
        for extra in existing[wanted:]:
            extra.delete()
        for n in range(len(existing) + 1, wanted + 1):
            code = f"{prefix}{n:02d}" if wanted < 100 else f"{prefix}{n:03d}"
            label = f"Table {n}" if kind == "table" else f"Video room {n}"
            Location.objects.create(
                setup=setup,
                code=code,
                kind=kind,
                label=label,
                video_url=""
                if kind == "table"
                else f"https://video.example/{setup.meeting.slug}-{code.lower()}",
            )
    activity.record(
        actor, "set_locations", setup, {"tables": [None, tables], "video_rooms": [None, video_rooms]}
    )
