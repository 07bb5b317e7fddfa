"""The organiser's grid: one block of slots × tables and video rooms, of a run or of the published
schedule, filtered by participant, organisation, country or table.

One block at a time (a matchmaking session of the agenda), so the page stays small at 1,200
participants; the number of queries does not depend on how many meetings there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Location, MeetingRequest, Pin, ScheduledMeeting, ScheduleRun, Setup, Slot


@dataclass
class Entry:
    """A meeting in a cell: its request (both sides loaded), its row when published, whether pinned."""

    request: MeetingRequest
    slot: Slot
    location: Location
    row: ScheduledMeeting | None
    pinned: bool
    shown: bool = True  # False: filtered out (the cell is still taken)

    @property
    def label(self) -> str:
        return f"{self.request.requester.name} — {self.request.recipient.name}"


def _matches(entry: Entry, *, q: str, organisation: str, country: str) -> bool:
    sides = (entry.request.requester, entry.request.recipient)
    if q and not any(q.lower() in p.name.lower() for p in sides):
        return False
    if organisation and not any(
        organisation.lower() in (p.organisation.name if p.organisation else p.name).lower() for p in sides
    ):
        return False
    return not (country and not any(p.country == country.upper() for p in sides))


def blocks_of(setup: Setup) -> list[dict[str, Any]]:
    """The blocks of consecutive slots (one per matchmaking session), in time order."""
    blocks: dict[str, dict[str, Any]] = {}
    for slot in setup.slots.all():
        block = blocks.setdefault(slot.group, {"group": slot.group, "slots": []})
        block["slots"].append(slot)
    return list(blocks.values())


def build(
    setup: Setup,
    run: ScheduleRun,
    *,
    block: str | None = None,
    q: str = "",
    organisation: str = "",
    country: str = "",
    table: str = "",
) -> dict[str, Any]:
    """The grid of one block of `run` (its rows once published, else its result)."""
    blocks = blocks_of(setup)
    current = next((b for b in blocks if b["group"] == block), blocks[0] if blocks else None)
    slots: list[Slot] = current["slots"] if current else []
    slot_by_pk = {s.pk: s for s in slots}
    locations = list(setup.locations.all())
    if table:
        locations = [loc for loc in locations if loc.code == table]
    loc_by_pk = {loc.pk: loc for loc in setup.locations.all()}
    pinned = set(
        Pin.objects.filter(request__setup=setup, slot__in=slots).values_list("request_id", flat=True)
    )
    entries: list[Entry] = []
    related = ("request__requester__organisation", "request__recipient__organisation")
    if run.status in (ScheduleRun.Status.PUBLISHED, ScheduleRun.Status.SUPERSEDED):
        for m in ScheduledMeeting.objects.filter(run=run, slot__in=slots).select_related(*related):
            entries.append(
                Entry(m.request, slot_by_pk[m.slot_id], loc_by_pk[m.location_id], m, m.request_id in pinned)
            )
    elif run.result:
        codes = {s.code: s for s in slots}
        locs = {loc.code: loc for loc in loc_by_pk.values()}
        wanted = {a["meeting"]: a for a in run.result["assignments"] if a["slot"] in codes}
        requests = MeetingRequest.objects.filter(setup=setup, public_id__in=list(wanted)).select_related(
            "requester__organisation", "recipient__organisation"
        )
        for r in requests:
            a = wanted[str(r.public_id)]
            entries.append(Entry(r, codes[a["slot"]], locs[a["location"]], None, r.pk in pinned))
    filtered = bool(q or organisation or country)
    for e in entries:
        e.shown = _matches(e, q=q, organisation=organisation, country=country)
    cells = {(e.slot.pk, e.location.pk): e for e in entries}
    rows: list[dict[str, Any]] = []
    for loc in locations:
        found = [cells.get((s.pk, loc.pk)) for s in slots]
        # With a filter, only the tables where a matching meeting is.
        if not filtered or any(e is not None and e.shown for e in found):
            rows.append(
                {
                    "location": loc,
                    "cells": [{"slot": s, "entry": e} for s, e in zip(slots, found, strict=True)],
                }
            )
    index = blocks.index(current) if current else 0
    return {
        "blocks": blocks,
        "block": current,
        "previous_block": blocks[index - 1] if index > 0 else None,
        "next_block": blocks[index + 1] if index + 1 < len(blocks) else None,
        "slots": slots,
        "rows": rows,
        "shown": sum(1 for e in entries if e.shown),
        "editable": run.pk == setup.published_run_id,
        "countries": sorted(setup.profiles.values_list("country", flat=True).distinct()),
        "tables": [loc.code for loc in loc_by_pk.values()],
    }
