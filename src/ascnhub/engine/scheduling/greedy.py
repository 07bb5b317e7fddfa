"""Fast constructive schedules with slot bitmasks.

``greedy_slots(instance)`` is the baseline the benchmarks compare with: meetings by weight
(required first), each in the earliest slot where all its participants are free and a location
is open. ``break_aware=True`` is the warm start of the solver: the same order, but a meeting goes
where it extends its participants' existing runs (no new break) when it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import Instance


def _low_bit(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def greedy_slots(
    instance: Instance,
    *,
    break_aware: bool = False,
    fixed: Mapping[int, int] | None = None,
    order: Iterable[int] | None = None,
) -> dict[int, int]:
    """Meeting index -> slot index for the meetings the greedy manages to place.

    ``fixed`` meetings are placed first as given (assumed valid); ``order`` overrides the
    default order (required first, pinned ones first among them, then by decreasing weight).
    """
    inst = instance
    n = len(inst.slots)
    full = (1 << n) - 1
    si = inst.slot_index
    pidx = {p.id: i for i, p in enumerate(inst.participants)}
    free = [full & ~sum(1 << si[s] for s in p.unavailable) for p in inst.participants]
    busy = [0] * len(inst.participants)
    count = [0] * len(inst.participants)
    cap = [p.max_meetings if p.max_meetings is not None else n for p in inst.participants]
    tables = list(inst.tables_open)
    rooms = list(inst.rooms_open)
    tmask = sum(1 << s for s in range(n) if tables[s] > 0)
    rmask = sum(1 << s for s in range(n) if rooms[s] > 0)
    first = 0
    last = 0
    group_masks = []
    for g in inst.groups:
        first |= 1 << g[0]
        last |= 1 << g[-1]
        group_masks.append(sum(1 << s for s in g))
    allowed = [sum(1 << s for s in a) for a in inst.allowed_slots]
    inperson = [inst.is_in_person(m) for m in inst.meetings]
    parts = [[pidx[p] for p in m.participants] for m in inst.meetings]
    id_to_k = {m.id: k for k, m in enumerate(inst.meetings)}
    before = [[id_to_k[b] for b in m.after] for m in inst.meetings]
    later: list[list[int]] = [[] for _ in inst.meetings]
    for k, bs in enumerate(before):
        for b in bs:
            later[b].append(k)
    # meetings pinned to a location (fixed_location, or a home table someone is pinned to) use it
    # one at a time: the free slots of each such location
    pinned = {m.fixed_location for m in inst.meetings if m.fixed_location is not None}
    pin_of = [inst.location_of(m) if pinned else None for m in inst.meetings]
    pin_of = [loc if loc in pinned else None for loc in pin_of]
    loc_free = dict.fromkeys(pinned, full)
    out: dict[int, int] = {}

    def place(k: int, s: int) -> None:
        nonlocal tmask, rmask
        out[k] = s
        bit = 1 << s
        pin = pin_of[k]
        if pin is not None:
            loc_free[pin] &= ~bit
        for p in parts[k]:
            free[p] &= ~bit
            busy[p] |= bit
            count[p] += 1
        if inperson[k]:
            tables[s] -= 1
            if tables[s] <= 0:
                tmask &= ~bit
        else:
            rooms[s] -= 1
            if rooms[s] <= 0:
                rmask &= ~bit

    for k, s in (fixed or {}).items():
        place(k, s)
    if order is None:
        # required meetings first, pinned ones (a fixed slot and location) before the others
        order = sorted(
            range(len(inst.meetings)),
            key=lambda k: (
                not inst.meetings[k].required,
                inst.meetings[k].fixed_location is None or inst.meetings[k].fixed_slot is None,
                -inst.meetings[k].weight,
                k,
            ),
        )
    for k in order:
        if k in out:
            continue
        ps = parts[k]
        if any(count[p] >= cap[p] for p in ps):
            continue
        cand = allowed[k] & (tmask if inperson[k] else rmask)
        pin = pin_of[k]
        if pin is not None:
            cand &= loc_free[pin]
        for p in ps:
            cand &= free[p]
        for b in before[k]:
            if b in out:
                cand &= full & ~((1 << (out[b] + 1)) - 1)
        for a in later[k]:
            if a in out:
                cand &= (1 << out[a]) - 1
        if not cand:
            continue
        if break_aware:
            no_new = cand
            some = 0
            for p in ps:
                b = busy[p]
                adj = (((b << 1) & ~first) | ((b >> 1) & ~last)) & full & ~b
                empty = 0
                for gm in group_masks:
                    if not b & gm:
                        empty |= gm
                no_new &= adj | empty
                some |= adj
            if no_new:
                cand = no_new
            elif cand & some:
                cand &= some
        place(k, _low_bit(cand))
    return out
