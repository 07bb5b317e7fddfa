"""Re-scheduling: repair a previous schedule after changes, moving as little as possible.

The changes are already in the new instance (cancelled meetings removed, new requests added, a
participant's new ``unavailable`` slots, a no-show's meetings removed). Every previous assignment
that is still valid stays in its slot and at its location; the meetings it no longer covers (new,
displaced, previously unscheduled) are placed around it by the break-aware greedy and then
improved by large-neighbourhood search in which only those meetings may move.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from .greedy import greedy_slots
from .lns import improve
from .model import Instance, Progress, Result

ProgressFn = Callable[[Progress], None]


def kept_assignments(instance: Instance, previous: Result) -> tuple[dict[int, int], dict[int, str]]:
    """Previous assignments still valid in ``instance``: meeting index -> slot index and -> location.

    An assignment is dropped when its meeting is gone, its slot is no longer allowed (a participant
    became unavailable, the slot was removed), its location is gone, closed or of the wrong kind,
    or it now clashes with an earlier kept assignment (participant, location, capacity, cap), or
    with a required meeting the organiser pinned to that slot and location (the pin wins).
    """
    inst = instance
    k_of = {m.id: k for k, m in enumerate(inst.meetings)}
    pins = {
        (m.fixed_location, m.fixed_slot): m.id
        for m in inst.meetings
        if m.required and m.fixed_location is not None and m.fixed_slot is not None
    }
    allowed = [set(a) for a in inst.allowed_slots]
    busy: set[tuple[str, int]] = set()
    used_loc: set[tuple[str, int]] = set()
    count: dict[str, int] = {}
    slot_of: dict[int, int] = {}
    loc_of: dict[int, str] = {}
    for a in previous.assignments:
        k = k_of.get(a.meeting)
        s = inst.slot_index.get(a.slot)
        loc = inst.location_by_id.get(a.location)
        if k is None or s is None or loc is None or s not in allowed[k] or k in slot_of:
            continue
        m = inst.meetings[k]
        need = "table" if inst.is_in_person(m) else "virtual"
        if loc.kind != need or not inst.location_open(loc, s) or (a.location, s) in used_loc:
            continue
        home = inst.location_of(m)
        if home is not None and home != a.location:
            continue
        if pins.get((a.location, a.slot), m.id) != m.id:
            continue
        if any((p, s) in busy for p in m.participants):
            continue
        if any(
            inst.participant_by_id[p].max_meetings is not None
            and count.get(p, 0) >= inst.participant_by_id[p].max_meetings  # type: ignore[operator]
            for p in m.participants
        ):
            continue
        slot_of[k] = s
        loc_of[k] = a.location
        used_loc.add((a.location, s))
        for p in m.participants:
            busy.add((p, s))
            count[p] = count.get(p, 0) + 1
    # precedences among kept meetings
    for k in list(slot_of):
        for b in inst.meetings[k].after:
            kb = k_of[b]
            if kb in slot_of and k in slot_of and slot_of[kb] >= slot_of[k]:
                del slot_of[k]
                del loc_of[k]
    return slot_of, loc_of


def reschedule(
    instance: Instance,
    previous: Result,
    *,
    time_limit_s: float = 5.0,
    seed: int = 0,
    workers: int = 2,
    on_progress: ProgressFn | None = None,
) -> Result:
    """A new schedule for the changed ``instance`` that keeps every still-valid assignment of
    ``previous`` in its slot and location. ``stats`` reports ``moved`` (meetings held before and
    after at a different slot or location), ``kept``, ``added`` and ``dropped``.
    """
    from .solver import make_result

    started = time.monotonic()
    inst = instance
    kept, kept_loc = kept_assignments(inst, previous)
    # a kept meeting sitting at an idle exhibitor's home table keeps it: that exhibitor takes no new
    # in-person meeting in that slot (the meeting would need the same table)
    owner = {p.home_location: p.id for p in inst.participants if p.home_location is not None}
    blocked: dict[str, set[str]] = {}
    for k, loc in kept_loc.items():
        who = owner.get(loc)
        if who is not None and who not in inst.meetings[k].participants:
            blocked.setdefault(who, set()).add(inst.slots[kept[k]].id)
    # likewise a kept meeting at a location someone else's meeting is pinned to (fixed_location)
    pinned: dict[str, list[int]] = {}
    for k, m in enumerate(inst.meetings):
        if m.fixed_location is not None and k not in kept:
            pinned.setdefault(m.fixed_location, []).append(k)
    off: dict[int, set[str]] = {}
    for k, loc in kept_loc.items():
        for j in pinned.get(loc, ()):
            off.setdefault(j, set()).add(inst.slots[kept[k]].id)
    work = inst
    if blocked:
        parts = tuple(
            dataclasses.replace(p, unavailable=p.unavailable | blocked[p.id]) if p.id in blocked else p
            for p in inst.participants
        )
        work = dataclasses.replace(work, participants=parts)
    if off:
        all_slots = [s.id for s in inst.slots]
        meetings = tuple(
            dataclasses.replace(m, slots=tuple(s for s in (m.slots or all_slots) if s not in off[j]))
            if j in off
            else m
            for j, m in enumerate(inst.meetings)
        )
        work = dataclasses.replace(work, meetings=meetings)
    cur = greedy_slots(work, break_aware=True, fixed=kept)
    movable = {k for k in range(len(inst.meetings)) if k not in kept}
    cur, figures = improve(
        work,
        cur,
        deadline=started + 0.8 * time_limit_s,
        seed=seed,
        workers=workers,
        movable=movable,
        on_progress=on_progress,
        started=started,
        sub_time_s=1.0,
    )
    required_missing = [m.id for k, m in enumerate(inst.meetings) if m.required and k not in cur]
    prev = {a.meeting: (a.slot, a.location) for a in previous.assignments}
    stats: dict[str, object] = {
        "solver": "reschedule: keep + greedy + lns",
        "workers": workers,
        "seed": seed,
        **figures,
    }
    if required_missing:
        stats["reason"] = f"required meetings not placed: {', '.join(required_missing[:5])}"
        stats["wall_time_s"] = round(time.monotonic() - started, 3)
        return make_result(inst, None, "unknown", bound_weight=None, bound_breaks=None, stats=stats)
    result = make_result(
        inst, cur, "feasible", bound_weight=None, bound_breaks=None, stats=stats, prefer_locations=kept_loc
    )
    now = {a.meeting: (a.slot, a.location) for a in result.assignments}
    moved = sum(1 for m, where in now.items() if m in prev and prev[m] != where)
    result.stats.update(
        {
            "moved": moved,
            "kept": sum(1 for m, where in now.items() if prev.get(m) == where),
            "added": sum(1 for m in now if m not in prev),
            "dropped": sum(1 for m in prev if m not in now),
            "wall_time_s": round(time.monotonic() - started, 3),
        }
    )
    return result
