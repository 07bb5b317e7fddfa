"""CP-SAT model of the slot problem (which meetings are held, and when), for a whole instance or
for a neighbourhood of it with every other meeting fixed.

Locations are not modelled: per slot, at most as many in-person meetings as open tables and as
many online meetings as open video rooms are held, which is exactly what makes a location
assignment exist (home tables are distinct and must be open; see ``locations.py``). This removes
the table symmetry entirely.

Breaks of a participant in a group = (number of busy runs) - (1 if busy at all), with a run-start
boolean per slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from .model import Instance


def weight_scale(instance: Instance) -> int:
    """Integer factor that makes every meeting weight an integer (1 for integer weights)."""
    scale = 1
    for m in instance.meetings:
        fr = Fraction(m.weight).limit_denominator(1000)
        if fr.denominator > 1:
            scale = max(scale, 1000)
    return scale


def int_weights(instance: Instance) -> list[int]:
    """Meeting weights as integers (scaled by :func:`weight_scale`)."""
    s = weight_scale(instance)
    return [max(1, round(m.weight * s)) for m in instance.meetings]


def min_break_bound(avail: list[bool], n: int) -> int:
    """Fewest breaks possible when ``n`` meetings must fit in the available slots of one group."""
    if n <= 1:
        return 0
    runs, cur = [], 0
    for a in avail:
        if a:
            cur += 1
        elif cur:
            runs.append(cur)
            cur = 0
    if cur:
        runs.append(cur)
    runs.sort(reverse=True)
    total = 0
    for used, r in enumerate(runs, 1):
        total += r
        if total >= n:
            return used - 1
    return 0  # cannot fit at all: infeasibility is found elsewhere


def _matchable(masks: list[int], busy: int) -> bool:
    """True when every meeting (bitmask of its allowed slots) gets its own slot of ``busy``."""
    owner: dict[int, int] = {}

    def augment(k: int, seen: list[int]) -> bool:
        cand = masks[k] & busy & ~seen[0]
        while cand:
            bit = cand & -cand
            cand ^= bit
            seen[0] |= bit
            s = bit.bit_length() - 1
            if s not in owner or augment(owner[s], seen):
                owner[s] = k
                return True
        return False

    return all(augment(k, [0]) for k in range(len(masks)))


def _patterns(n_slots: int, runs: int, start: int, left: int) -> Iterable[int]:
    """Bitmasks of ``left`` busy slots in exactly ``runs`` runs, all at or after ``start``."""
    if runs == 1:
        for a in range(start, n_slots - left + 1):
            yield ((1 << left) - 1) << a
        return
    for a in range(start, n_slots):
        for length in range(1, left - runs + 2):
            if a + length + 1 > n_slots:
                break
            block = ((1 << length) - 1) << a
            for rest in _patterns(n_slots, runs - 1, a + length + 1, left - length):
                yield block | rest


def matching_break_bound(
    masks: list[int], avail: int, n_slots: int, cap: int = 3, budget: int = 20_000
) -> int:
    """Fewest breaks of one participant whose meetings (bitmasks of allowed slots, within one group
    of ``n_slots``) must all be held: the fewest runs of busy slots, inside ``avail``, that admit a
    matching of every meeting to its own allowed slot, minus one. This refines
    :func:`min_break_bound` with each meeting's own slots (sessions, partners' unavailability, fixed
    slots). At most ``cap`` is returned, and less when the enumeration exceeds ``budget`` patterns
    (a valid, weaker bound).
    """
    n = len(masks)
    if n <= 1:
        return 0
    tried = 0
    for runs in range(1, cap + 1):
        for busy in _patterns(n_slots, runs, 0, n):
            tried += 1
            if tried > budget:
                return runs - 1
            if busy & ~avail:
                continue
            if _matchable(masks, busy):
                return runs - 1
    return cap


@dataclass
class SlotModel:
    """A built CP-SAT model and the handles needed to read a solution back."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    xk: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    xs: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    held: dict[int, cp_model.IntVar | int] = field(default_factory=dict)
    weight_expr: cp_model.LinearExprT = 0
    breaks_expr: cp_model.LinearExprT = 0
    breaks_of: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    infeasible_reason: str | None = None
    max_breaks: int = 0
    lower_bound: int = 0
    #: probe models: participant -> its number of breaks above its bound, where that may be > 0
    extras: dict[str, cp_model.IntVar] = field(default_factory=dict)

    def slots_of(self, solver: cp_model.CpSolver) -> dict[int, int]:
        """Meeting index -> slot index of the held free meetings in the solver's solution."""
        return {k: s for (k, s), v in self.x.items() if solver.boolean_value(v)}


def build_slot_model(
    instance: Instance,
    free: Iterable[int],
    fixed: Mapping[int, int] | None = None,
    *,
    with_breaks: bool = True,
    implied: bool = True,
    fairness: bool = True,
    min_weight: int | None = None,
    weights: list[int] | None = None,
    span: bool = True,
    match_bound: bool = True,
) -> SlotModel:
    """Build the model for meetings ``free`` given ``fixed`` (meeting index -> slot index).

    Meetings neither free nor fixed are not held. ``implied`` adds redundant constraints (fixed
    meeting counts, break lower bounds, fixed busy slots). ``min_weight`` bounds the held weight
    of the free meetings from below. Breaks are modelled for every participant of a free meeting.
    """
    fixed = dict(fixed or {})
    free = sorted(set(free) - set(fixed))
    inst = instance
    w = weights or int_weights(inst)
    n_slots = len(inst.slots)
    model = cp_model.CpModel()
    sm = SlotModel(model)
    meetings = inst.meetings
    allowed = inst.allowed_slots

    # context from fixed meetings
    fixed_busy: dict[str, set[int]] = {}
    fixed_count: dict[str, int] = {}
    used_tables = [0] * n_slots
    used_rooms = [0] * n_slots
    for k, s in fixed.items():
        m = meetings[k]
        for p in m.participants:
            fixed_busy.setdefault(p, set()).add(s)
            fixed_count[p] = fixed_count.get(p, 0) + 1
        if inst.is_in_person(m):
            used_tables[s] += 1
        else:
            used_rooms[s] += 1
    cap_tables = [inst.tables_open[s] - used_tables[s] for s in range(n_slots)]
    cap_rooms = [inst.rooms_open[s] - used_rooms[s] for s in range(n_slots)]
    # a location pinned by a fixed meeting (its fixed_location or home table) is taken in its slot
    pinned_used = {(inst.location_of(meetings[k]), s) for k, s in fixed.items()}
    free_set = set(free)
    id_to_k = {m.id: k for k, m in enumerate(meetings)}

    # domains
    for k in free:
        m = meetings[k]
        dom = set(allowed[k])
        for p in m.participants:
            dom -= fixed_busy.get(p, set())
        inperson = inst.is_in_person(m)
        dom = {s for s in dom if (cap_tables[s] if inperson else cap_rooms[s]) > 0}
        pin = inst.location_of(m)
        if pin is not None:
            dom = {s for s in dom if (pin, s) not in pinned_used}
        for before in m.after:
            kb = id_to_k[before]
            if kb in fixed:
                dom = {s for s in dom if s > fixed[kb]}
        sm_dom = dom
        for later in inst.later_of.get(k, ()):
            if later in fixed:
                sm_dom = {s for s in sm_dom if s < fixed[later]}
        if m.required and not sm_dom:
            sm.infeasible_reason = (
                f"required meeting {m.id} has no slot where all its participants are free "
                "and a location is open"
            )
            model.add_bool_or([])  # unsatisfiable
        lits = []
        for s in sorted(sm_dom):
            v = model.new_bool_var(f"x{k}_{s}")
            sm.x[(k, s)] = v
            lits.append(v)
            sm.xk.setdefault(k, []).append((s, v))
        if m.required:
            if lits:
                model.add_exactly_one(lits)
            sm.held[k] = 1
        elif lits:
            h = model.new_bool_var(f"h{k}")
            model.add(sum(lits) == h)
            sm.held[k] = h
        else:
            sm.held[k] = 0

    # participants
    by_ps: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    touched: set[str] = set()
    for (k, s), v in sm.x.items():
        for p in meetings[k].participants:
            by_ps.setdefault((p, s), []).append(v)
    for k in free:
        touched.update(meetings[k].participants)
    for lits in by_ps.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    for p in sorted(touched):
        part = inst.participant_by_id[p]
        mine = [k for k in inst.meetings_of[p] if k in free_set]
        if part.max_meetings is not None:
            room = part.max_meetings - fixed_count.get(p, 0)
            model.add(sum(sm.held[k] for k in mine) <= room)

    # capacity per slot
    per_slot_t: dict[int, list[cp_model.IntVar]] = {}
    per_slot_r: dict[int, list[cp_model.IntVar]] = {}
    for (k, s), v in sm.x.items():
        (per_slot_t if inst.is_in_person(meetings[k]) else per_slot_r).setdefault(s, []).append(v)
    for s, lits in per_slot_t.items():
        if len(lits) > cap_tables[s]:
            model.add(sum(lits) <= cap_tables[s])
    for s, lits in per_slot_r.items():
        if len(lits) > cap_rooms[s]:
            model.add(sum(lits) <= cap_rooms[s])
    # meetings pinned to one location (fixed_location, or a home table another meeting is pinned
    # to) use it one at a time; with the counts above this is exactly what makes the location
    # assignment succeed (pinned meetings take their locations, the others any free one)
    pinned_to: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    has_pin: set[str] = {m.fixed_location for m in meetings if m.fixed_location is not None}
    if has_pin:
        for (k, s), v in sm.x.items():
            pin = inst.location_of(meetings[k])
            if pin in has_pin:
                pinned_to.setdefault((pin, s), []).append(v)
        for lits in pinned_to.values():
            if len(lits) > 1:
                model.add_at_most_one(lits)

    # precedences among free meetings
    for k in free:
        for before in meetings[k].after:
            kb = id_to_k[before]
            if kb not in free_set:
                continue
            pos_k = sum(s * v for s, v in sm.xk.get(k, []))
            pos_b = sum(s * v for s, v in sm.xk.get(kb, []))
            hk, hb = sm.held[k], sm.held[kb]
            if isinstance(hk, int) and isinstance(hb, int):
                if hk and hb:
                    model.add(pos_b + 1 <= pos_k)
            else:
                lits = [h for h in (hk, hb) if not isinstance(h, int)]
                if not any(isinstance(h, int) and h == 0 for h in (hk, hb)):
                    model.add(pos_b + 1 <= pos_k).only_enforce_if(lits)

    # weight
    sm.weight_expr = sum(w[k] * sm.held[k] for k in free)
    if min_weight is not None:
        model.add(sm.weight_expr >= min_weight)

    if not with_breaks:
        return sm

    # breaks
    total: list[cp_model.LinearExprT] = []
    busy_at: dict[int, list[cp_model.IntVar]] = {}
    for p in sorted(touched):
        mine = [k for k in inst.meetings_of[p] if k in free_set]
        all_required = all(meetings[k].required for k in mine)
        pb: list[cp_model.LinearExprT] = []
        for group in inst.groups:
            busy: list[cp_model.IntVar | int] = []
            for s in group:
                if s in fixed_busy.get(p, ()):
                    busy.append(1)
                else:
                    lits = by_ps.get((p, s), [])
                    if not lits:
                        busy.append(0)
                    elif len(lits) == 1 and not implied:
                        busy.append(lits[0])
                    else:
                        bv = model.new_bool_var(f"b{p}_{s}")
                        model.add(sum(lits) == bv)
                        busy.append(bv)
            for s_, b in zip(group, busy, strict=False):
                if not isinstance(b, int):
                    busy_at.setdefault(s_, []).append(b)
            if sum(1 for b in busy if not isinstance(b, int)) == 0:
                continue  # fully fixed group: constant breaks, irrelevant
            starts: list[cp_model.IntVar | int] = []
            for i, b in enumerate(busy):
                prev = busy[i - 1] if i else 0
                if isinstance(b, int) and b == 0:
                    continue
                if isinstance(prev, int) and prev == 1:
                    continue
                if isinstance(prev, int) and prev == 0:
                    starts.append(b)
                    continue
                assert not isinstance(prev, int)
                st = model.new_bool_var(f"st{p}_{group[i]}")
                # st <=> b and not prev
                if isinstance(b, int):
                    model.add(st == 1 - prev)
                else:
                    model.add_implication(st, b)
                    model.add_implication(st, prev.negated())
                    model.add_bool_or([st, b.negated(), prev])
                starts.append(st)
            # active = busy somewhere in the group
            const_busy = any(isinstance(b, int) and b == 1 for b in busy)
            group_set = set(group)
            must = any(meetings[k].required and set(allowed[k]) <= group_set and allowed[k] for k in mine)
            if const_busy or must:
                active: cp_model.IntVar | int = 1
            else:
                active = model.new_bool_var(f"act{p}_{group[0]}")
                var_busy = [b for b in busy if not isinstance(b, int)]
                model.add_max_equality(active, var_busy)
            expr = model.new_int_var(0, max(0, (len(group) - 1) // 2), f"br{p}_{group[0]}")
            model.add(expr == sum(starts) - active)
            pb.append(expr)
            if implied and span:
                known = (
                    len(mine) if (all_required and not fixed_busy.get(p) and len(inst.groups) == 1) else None
                )
                _add_span(model, busy, expr, f"{p}_{group[0]}", known)
            if implied and all_required and not fixed_busy.get(p) and len(inst.groups) == 1:
                # exact number of busy slots and a lower bound on breaks from availability
                n = len(mine)
                vb = [b for b in busy if not isinstance(b, int)]
                model.add(sum(vb) == n)
                avail = [not (isinstance(b, int) and b == 0) for b in busy]
                lb = min_break_bound(avail, n)
                if match_bound:
                    pos = {s_: i for i, s_ in enumerate(group)}
                    masks = [sum(1 << pos[s_] for s_ in allowed[k]) for k in mine]
                    amask = sum(1 << i for i, a in enumerate(avail) if a)
                    lb = max(lb, matching_break_bound(masks, amask, len(group)))
                if lb > 0:
                    model.add(expr >= lb)
                    sm.lower_bound += lb
        sm.breaks_of[p] = sum(pb) if pb else 0
        total.append(sm.breaks_of[p])
        sm.max_breaks += max(0, len(inst.slots) // 2)
    sm.breaks_expr = sum(total)
    if implied:
        # implied: busy participants per slot = sum of meeting sizes (even, at most 2 x tables for pairs)
        for s_, bl in busy_at.items():
            if len(bl) < 2:
                continue
            terms = [(len(meetings[k].participants), v) for k, v in _x_at(sm, s_)]
            if terms and all(c == 2 for c, _ in terms):
                cap = cap_tables[s_] + cap_rooms[s_]
                n_s = model.new_int_var(0, min(cap, len(terms)), f"ns{s_}")
                model.add(sum(v for _, v in terms) == n_s)
                model.add(sum(bl) == 2 * n_s)

    spread = inst.objective.max_break_spread
    if fairness and spread is not None and sm.breaks_of:
        others = [
            _fixed_breaks(inst, fixed_busy.get(p.id, set()))
            for p in inst.participants
            if p.id not in sm.breaks_of
        ]
        lo_max = min(others) if others else n_slots
        hi_min = max(others) if others else 0
        lo = model.new_int_var(max(0, hi_min - spread), max(0, lo_max), "lo")
        for e in sm.breaks_of.values():
            model.add(e >= lo)
            model.add(e <= lo + spread)
    return sm


def _x_at(sm: SlotModel, s: int) -> list[tuple[int, cp_model.IntVar]]:
    if not sm.xs:
        for (k, s_), v in sm.x.items():
            sm.xs.setdefault(s_, []).append((k, v))
    return sm.xs.get(s, [])


def _add_span(
    model: cp_model.CpModel,
    busy: list[cp_model.IntVar | int],
    breaks: cp_model.IntVar,
    tag: str,
    count: int | None = None,
) -> None:
    """Implied span structure: idle slots between the first and last meeting exist iff breaks > 0.

    ``f[i]``: a meeting at or before i; ``la[i]``: a meeting at or after i; inside = f and l. The idle
    slots inside the span number at least ``breaks`` and at most (len - 1) x ``breaks``.
    """
    n = len(busy)
    f = [model.new_bool_var(f"f{tag}_{i}") for i in range(n)]
    la = [model.new_bool_var(f"l{tag}_{i}") for i in range(n)]
    inside = [model.new_bool_var(f"in{tag}_{i}") for i in range(n)]
    for i in range(n):
        b = busy[i]
        fp = f[i - 1] if i else 0
        ln = la[i + 1] if i + 1 < n else 0
        model.add(f[i] >= b)
        model.add(f[i] >= fp)
        model.add(f[i] <= fp + b)
        model.add(la[i] >= b)
        model.add(la[i] >= ln)
        model.add(la[i] <= ln + b)
        model.add(inside[i] <= f[i])
        model.add(inside[i] <= la[i])
        model.add(inside[i] >= f[i] + la[i] - 1)
    idle = sum(inside) - sum(busy)
    model.add(idle >= breaks)
    model.add(idle <= max(1, n - 1) * breaks)
    if count is not None and count > 0:
        # order encoding of the first and last busy slot: bounds reasoning on the span
        first = model.new_int_var(0, n - 1, f"first{tag}")
        last = model.new_int_var(0, n - 1, f"last{tag}")
        for i in range(n):
            model.add(first <= i).only_enforce_if(f[i])
            model.add(first >= i + 1).only_enforce_if(f[i].negated())
            model.add(last >= i).only_enforce_if(la[i])
            model.add(last <= i - 1).only_enforce_if(la[i].negated())
        model.add(last - first + 1 == count + idle)


def _fixed_breaks(inst: Instance, busy: set[int]) -> int:
    n = 0
    for group in inst.groups:
        used = [s in busy for s in group]
        idx = [i for i, u in enumerate(used) if u]
        if len(idx) >= 2:
            n += sum(1 for i in range(idx[0] + 1, idx[-1] + 1) if used[i] and not used[i - 1])
    return n


def participant_break_bounds(instance: Instance) -> dict[str, int] | None:
    """Per participant, a proven lower bound on its breaks, for instances where every meeting is
    required and all slots form one group (B2BSP); None for other instances, and for instances
    with pinned locations (``fixed_location``), which the probe models do not represent."""
    inst = instance
    if len(inst.groups) != 1 or not all(m.required for m in inst.meetings):
        return None
    if any(m.fixed_location is not None for m in inst.meetings):
        return None
    n_slots = len(inst.slots)
    allowed = inst.allowed_slots
    out: dict[str, int] = {}
    for p in inst.participants:
        mine = inst.meetings_of[p.id]
        masks = [sum(1 << s for s in allowed[k]) for k in mine]
        amask = 0
        for mk in masks:
            amask |= mk
        avail = [bool(amask >> s & 1) for s in range(n_slots)]
        out[p.id] = max(min_break_bound(avail, len(mine)), matching_break_bound(masks, amask, n_slots))
    return out


#: Participants with a fixed number of runs in the probe get order-encoded run starts and ends.
PROBE_RUNS = True


def _link_busy_to_runs(
    model: cp_model.CpModel,
    busy: list[cp_model.IntVar | int],
    a: list[cp_model.IntVar],
    b: list[cp_model.IntVar],
    prefix: str,
    tag: str,
) -> None:
    """Slot s is busy iff it lies in one of the runs ``[a_r, b_r]`` (runs never overlap), through
    order literals ``a_r <= s`` and ``b_r >= s``; a fixed ``busy[s]`` fixes every run's literal."""
    for s, bs in enumerate(busy):
        inside: list[cp_model.IntVar] = []
        for r in range(len(a)):
            early = model.new_bool_var(f"{prefix}ae{tag}_{r}_{s}")  # a_r <= s
            late = model.new_bool_var(f"{prefix}bl{tag}_{r}_{s}")  # b_r >= s
            model.add(a[r] <= s).only_enforce_if(early)
            model.add(a[r] >= s + 1).only_enforce_if(early.negated())
            model.add(b[r] >= s).only_enforce_if(late)
            model.add(b[r] <= s - 1).only_enforce_if(late.negated())
            i = model.new_bool_var(f"{prefix}in{tag}_{r}_{s}")
            model.add_bool_and([early, late]).only_enforce_if(i)
            model.add_bool_or([early.negated(), late.negated(), i])
            inside.append(i)
        if isinstance(bs, int):
            for i in inside:
                model.add(i == bs)
        else:
            model.add(sum(inside) == bs)


def _add_runs(
    model: cp_model.CpModel, busy: list[cp_model.IntVar | int], runs: int, count: int, tag: str
) -> list[tuple[cp_model.IntVar, cp_model.IntVar]]:
    """Busy slots = exactly ``runs`` non-empty runs ``[a_r, b_r]`` separated by idle slots,
    ``count`` slots in all; each slot is busy iff it lies in a run (order literals on a_r, b_r).
    Returns the runs' (first, last) slot variables."""
    n = len(busy)
    a = [model.new_int_var(0, n - 1, f"ra{tag}_{r}") for r in range(runs)]
    b = [model.new_int_var(0, n - 1, f"rb{tag}_{r}") for r in range(runs)]
    for r in range(runs):
        model.add(b[r] >= a[r])
        if r + 1 < runs:
            model.add(a[r + 1] >= b[r] + 2)
    model.add(sum(b[r] - a[r] + 1 for r in range(runs)) == count)
    _link_busy_to_runs(model, busy, a, b, "r", tag)
    return list(zip(a, b, strict=True))


#: Add the busy participants per slot as a cumulative over the windows and runs (probe models);
#: participants that may take extra breaks are then modelled by :func:`_add_flex_runs`.
PROBE_CUMULATIVE = True


def _add_flex_runs(
    model: cp_model.CpModel,
    busy: list[cp_model.IntVar | int],
    lb: int,
    top: int,
    count: int,
    extra: cp_model.IntVar,
    tag: str,
) -> list[tuple[cp_model.IntVar, cp_model.IntVar]]:
    """Busy slots of a participant with ``lb + extra`` breaks, ``extra`` in [0, top]: the union of
    ``lb + top + 1`` non-empty runs ``[a_r, b_r]``, each followed by a gap (a real break) or glued to
    the next run. A glued run has length 1 (fewer representations of one timetable; glued runs
    may still sit in any stretch long enough, and forcing them to the end would lose timetables). Unlike the
    conditional window, every run is always there, which gives the cumulative over the runs
    (:func:`_add_busy_cumulative`) the participant's whole busy time at every level. Returns the
    runs' (first, last) slot variables."""
    n = len(busy)
    runs = lb + top + 1
    a = [model.new_int_var(0, n - 1, f"fa{tag}_{r}") for r in range(runs)]
    b = [model.new_int_var(0, n - 1, f"fb{tag}_{r}") for r in range(runs)]
    gaps: list[cp_model.IntVar] = []
    for r in range(runs):
        model.add(b[r] >= a[r])
        if r + 1 < runs:
            g = model.new_bool_var(f"fg{tag}_{r}")
            model.add(a[r + 1] >= b[r] + 2).only_enforce_if(g)
            model.add(a[r + 1] == b[r] + 1).only_enforce_if(g.negated())
            model.add(b[r] == a[r]).only_enforce_if(g.negated())
            gaps.append(g)
    model.add(sum(gaps) == lb + extra)
    model.add(sum(b[r] - a[r] + 1 for r in range(runs)) == count)
    _link_busy_to_runs(model, busy, a, b, "f", tag)
    return list(zip(a, b, strict=True))


def _add_busy_cumulative(
    model: cp_model.CpModel,
    inst: Instance,
    spans: list[tuple[cp_model.LinearExprT, cp_model.LinearExprT]],
) -> None:
    """At most 2 x (tables + rooms) participants are busy in a slot (every meeting is a pair), as
    a cumulative over the known busy spans ``[start, end)`` of the participants in a window or in
    exact runs. The same count is implied by the slot variables, but only the cumulative's energy
    reasoning sees that windows of many participants cannot all cover the same few slots when
    nearly every table is used (forumt-14crafe, tic-13crafc: 4-10 free table-slots in all)."""
    n_slots = len(inst.slots)
    caps = [2 * (inst.tables_open[s] + inst.rooms_open[s]) for s in range(n_slots)]
    top = max(caps, default=0)
    intervals = []
    for i, (st, end) in enumerate(spans):
        size = model.new_int_var(1, n_slots, f"cw{i}")
        intervals.append(model.new_interval_var(st, size, end, f"cu{i}"))
    demands: list[int] = [1] * len(intervals)
    for s, c in enumerate(caps):
        if c < top:  # a slot with fewer locations: fixed filler demand
            intervals.append(model.new_fixed_size_interval_var(s, 1, f"cf{s}"))
            demands.append(top - c)
    if intervals:
        model.add_cumulative(intervals, demands, top)


def build_probe_model(instance: Instance, bounds: Mapping[str, int], extra: int = 0) -> SlotModel:
    """The decision model "total breaks <= sum of the participants' bounds + ``extra``" (all
    meetings required, one group): participant p has ``bounds[p] + e_p`` breaks with
    ``sum(e_p) <= extra``. A participant whose bound is 0 and that gets no extra break is busy in one
    window ``[st, st + n)`` (an integer start, order-encoded): this strong contiguity model finds
    zero-break timetables that the break-counting model misses, and proves quickly when none
    exists. Probing ``extra`` = 0, 1, 2, ... is a linear search from below (as core-less MaxSAT
    does): the first feasible level is optimal, each infeasible one raises the bound by one.
    With ``PROBE_CUMULATIVE`` (the default) a participant that may take extra breaks is modelled
    by glued runs (:func:`_add_flex_runs`) instead of a conditional window, and the busy spans of
    all participants form a cumulative (:func:`_add_busy_cumulative`). ``sm.extras`` holds the
    participants' extra-break variables.
    """
    inst = instance
    sm = build_slot_model(inst, range(len(inst.meetings)), with_breaks=False)
    model = sm.model
    n_slots = len(inst.slots)
    by_ps: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    for (k, s), v in sm.x.items():
        for pid in inst.meetings[k].participants:
            by_ps.setdefault((pid, s), []).append(v)
    extras: list[cp_model.IntVar] = []
    breaks: list[cp_model.LinearExprT] = []
    spans: list[tuple[cp_model.LinearExprT, cp_model.LinearExprT]] = []
    for p in inst.participants:
        n = len(inst.meetings_of[p.id])
        if n <= 1:
            breaks.append(0)
            continue
        busy: list[cp_model.IntVar | int] = []
        for s in range(n_slots):
            lits = by_ps.get((p.id, s), [])
            if not lits:
                busy.append(0)
            elif len(lits) == 1:
                busy.append(lits[0])
            else:
                bv = model.new_bool_var(f"b{p.id}_{s}")
                model.add(sum(lits) == bv)
                busy.append(bv)
        lb = bounds.get(p.id, 0)
        top = min(extra, max(0, (n_slots - n) - lb), n - 1 - lb)
        e: cp_model.IntVar | int = model.new_int_var(0, top, f"ex{p.id}") if top > 0 else 0
        if not isinstance(e, int):
            extras.append(e)
            sm.extras[p.id] = e
        breaks.append(lb + e)
        if PROBE_CUMULATIVE and not isinstance(e, int):
            spans.extend((a, b + 1) for a, b in _add_flex_runs(model, busy, lb, top, n, e, p.id))
            continue
        if lb == 0:
            plain: cp_model.IntVar | None = None  # None: always one window
            if not isinstance(e, int):
                plain = model.new_bool_var(f"z{p.id}")
                model.add(e == 0).only_enforce_if(plain)
                model.add(e >= 1).only_enforce_if(plain.negated())
            guard = [plain.negated()] if plain is not None else []
            st = model.new_int_var(0, n_slots - n, f"st{p.id}")
            for s, b in enumerate(busy):
                early = model.new_bool_var(f"e{p.id}_{s}")  # st <= s
                late = model.new_bool_var(f"l{p.id}_{s}")  # st >= s - n + 1
                model.add(st <= s).only_enforce_if(early)
                model.add(st >= s + 1).only_enforce_if(early.negated())
                model.add(st >= s - n + 1).only_enforce_if(late)
                model.add(st <= s - n).only_enforce_if(late.negated())
                if isinstance(b, int):
                    model.add_bool_or([*guard, early.negated(), late.negated()])
                else:
                    model.add_bool_or([*guard, b.negated(), early])
                    model.add_bool_or([*guard, b.negated(), late])
                    model.add_bool_or([*guard, early.negated(), late.negated(), b])
            if plain is None:
                spans.append((st, st + n))
                continue
        if isinstance(e, int) and PROBE_RUNS:
            spans.extend((a, b + 1) for a, b in _add_runs(model, busy, lb + 1, n, p.id))
            continue
        starts: list[cp_model.IntVar | int] = []
        for s, b in enumerate(busy):
            if isinstance(b, int):
                continue
            prev = busy[s - 1] if s else 0
            if isinstance(prev, int):
                starts.append(b)
                continue
            st_ = model.new_bool_var(f"rs{p.id}_{s}")
            model.add_implication(st_, b)
            model.add_implication(st_, prev.negated())
            model.add_bool_or([st_, b.negated(), prev])
            starts.append(st_)
        model.add(sum(starts) == lb + e + 1)
    if extras:
        model.add(sum(extras) <= extra)
    if PROBE_CUMULATIVE:
        _add_busy_cumulative(model, inst, spans)
    spread = inst.objective.max_break_spread
    if spread is not None:
        lo = model.new_int_var(0, n_slots, "lo")
        for br in breaks:
            model.add(br >= lo)
            model.add(br <= lo + spread)
    return sm


def extra_break_candidates(instance: Instance, bounds: Mapping[str, int]) -> list[str]:
    """Participants that can take one break more than ``bounds`` (every meeting required, one
    group), the most constrained first: those at bound 0 by the number of single windows of busy
    slots that still admit a matching of their meetings (fewest first: a participant with one or
    two feasible windows is where the timetable is tightest, and one extra break frees it most),
    then those with more meetings; participants with a bound > 0 come after, by meetings.
    """
    inst = instance
    n_slots = len(inst.slots)
    allowed = inst.allowed_slots
    keyed: list[tuple[int, int, int, str]] = []
    for order, p in enumerate(inst.participants):
        mine = inst.meetings_of[p.id]
        n, lb = len(mine), bounds.get(p.id, 0)
        if min(n_slots - n - lb, n - 1 - lb) < 1:
            continue  # no room for one more break
        windows = n_slots + 1
        if lb == 0:
            masks = [sum(1 << s for s in allowed[k]) for k in mine]
            windows = sum(1 for st in range(n_slots - n + 1) if _matchable(masks, ((1 << n) - 1) << st))
        keyed.append((windows, -n, order, p.id))
    keyed.sort()
    return [pid for *_, pid in keyed]
