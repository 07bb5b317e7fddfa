"""Location assignment after the slots are chosen (slots first, then locations).

Per slot, a meeting with a ``fixed_location`` or a home table gets it; other in-person meetings get
a free open table, preferring the table one of its participants used last (people stay at the same
table when that costs nothing); online meetings get an open video room the same way. The slot
model's capacity constraints (and one meeting at a time per pinned location) guarantee that this
always succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import SchedulingError
from .model import Assignment, Instance


def assign_locations(
    instance: Instance,
    slot_of: Mapping[int, int],
    prefer: Mapping[int, str] | None = None,
) -> list[Assignment]:
    """Assignments for meeting index -> slot index, in meeting order.

    ``prefer`` maps a meeting index to a location to keep when it is still free (re-scheduling).
    """
    inst = instance
    prefer = prefer or {}
    by_slot: dict[int, list[int]] = {}
    for k, s in slot_of.items():
        by_slot.setdefault(s, []).append(k)
    last_loc: dict[str, str] = {}
    loc_of: dict[int, str] = {}
    # home tables and pinned locations (``fixed_location``) are lent to others last
    homes = {p.home_location for p in inst.participants if p.home_location is not None}
    homes |= {m.fixed_location for m in inst.meetings if m.fixed_location is not None}
    for s in sorted(by_slot):
        ks = sorted(by_slot[s])
        # someone's home table is lent to others only when no other table is free
        open_tables = [loc.id for loc in inst.locations if loc.kind == "table" and inst.location_open(loc, s)]
        open_tables.sort(key=lambda t: t in homes)
        open_rooms = [
            loc.id for loc in inst.locations if loc.kind == "virtual" and inst.location_open(loc, s)
        ]
        open_rooms.sort(key=lambda r: r in homes)
        table_set, room_set = set(open_tables), set(open_rooms)
        taken: set[str] = set()
        pending: list[int] = []
        # pinned locations and home tables first, then preferred (kept) locations
        for k in ks:
            m = inst.meetings[k]
            home = inst.location_of(m)
            if home is not None:
                loc_of[k] = home
                taken.add(home)
            else:
                pending.append(k)
        rest: list[int] = []
        for k in pending:
            want = prefer.get(k)
            kind = "table" if inst.is_in_person(inst.meetings[k]) else "virtual"
            pool_set = table_set if kind == "table" else room_set
            if want is not None and want not in taken and want in pool_set:
                loc_of[k] = want
                taken.add(want)
            else:
                rest.append(k)
        for k in rest:
            m = inst.meetings[k]
            pool = open_tables if inst.is_in_person(m) else open_rooms
            pool_set = table_set if inst.is_in_person(m) else room_set
            choice = None
            for p in m.participants:
                cand = last_loc.get(p)
                if cand is not None and cand not in taken and cand in pool_set and cand not in homes:
                    choice = cand
                    break
            if choice is None:
                choice = next((loc for loc in pool if loc not in taken), None)
            if choice is None:
                raise SchedulingError(f"no free location for meeting {m.id} in slot {inst.slots[s].id}")
            loc_of[k] = choice
            taken.add(choice)
        for k in ks:
            for p in inst.meetings[k].participants:
                last_loc[p] = loc_of[k]
    return [Assignment(inst.meetings[k].id, inst.slots[slot_of[k]].id, loc_of[k]) for k in sorted(slot_of)]
