"""Core-guided MaxSAT (RC2 from python-sat) for instances where every meeting is required.

Why: the CP-SAT probe from below (:func:`.solver._probe_levels`) is a linear search on the total
breaks; it decides the first one or two levels above the per-participant bounds, and then stalls
(tic-13crafc: levels 0 and 1 in 1 s, level 2 unknown after 8 s). A core-guided MaxSAT solver
raises the lower bound with unsatisfiable cores of the soft clauses, which is how the published
B2BSP results (Bofill et al., JAIR 2022) prove their optima. Measured on the 20 originals, alone on
one core and 10 s each: RC2 proves tic-13crafc optimal at 4 in 5.8-6.4 s, forumt-14crafe (5),
tic-14crafa (0) and forum-13 (0) in 2-5 s, and raises ticf-13crafb's bound to its optimum 3 in
5.5-8 s in four of six runs (without a timetable); it is slower than the CP-SAT probe on the
others. So it runs in a child process beside the probe, and whichever decides first wins
(:class:`MaxSatRace`).

Encoding (all hard unless said): x[k, s] for each meeting and allowed slot, exactly one per
meeting; precedences; per slot at most as many in-person meetings as tables (online: rooms),
counted over clusters of meetings that share a participant; busy[p, s] <-> some meeting of p
in s, at most one per participant and slot; start[p, s] <-> busy[p, s] and not busy[p, s-1] (a
run starts); a totalizer over p's starts whose outputs
r[p, j] <-> "p has at least j runs" hold in both directions (the fairness rule below needs the
"at most" side too). Breaks of p are runs - 1 (the validator's definition, one group). The soft
clauses are not r[p, j] for j above p's bound + 1 (weight 1): the per-participant matching bound
(:func:`.cpmodel.participant_break_bounds`) is built in as hard r[p, bound + 1], so the cost is
directly "breaks above the bounds" (soft units "no run starts here" needed many more cores:
tic-13crafc 9.5 s against 6.4 s). Fairness with spread d: L[j] <- some participant has at most j
runs; L[j] -> every participant has at most j + d runs. Implied constraints (JAIR 2022 implied
constraints 1 and 2): each participant is busy in exactly as many slots as it has meetings, and
at most 2 x tables participants are busy in a slot, an even number of them (4.5.1 and 4.5.2 of the
paper: the parity on a totalizer of the busy literals, and the cluster counting, made RC2 alone
1.2-6 x faster on the B2BSP originals it decides, forum-14 29 s -> 13 s; see
docs/benchmarks-scheduling.md).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from .model import Instance

#: Above this many (meeting, slot) pairs the MaxSAT race is not started. The largest B2BSP
#: original, ticf-14crafa, has 5,926 pairs (63,000 variables, 306,000 clauses, encoded in 0.5 s).
MAXSAT_MAX_PAIRS = 8_000
#: Up to this many busy literals per slot the parity counter is a full totalizer (see ``encode``).
FULL_COUNTER_MAX = 128
#: SAT oracle of RC2: Glucose 4 was faster than CaDiCaL 1.5.3 on the B2BSP instances measured.
MAXSAT_SOLVER = "g4"
#: RC2 options: ``adapt`` detects at-most-one constraints among the soft literals, ``exhaust`` and
#: ``minz`` make the cores smaller and stronger (the settings measured on B2BSP).
RC2_OPTIONS: dict[str, bool] = {"adapt": True, "exhaust": True, "minz": True}


def eligible(instance: Instance) -> bool:
    """True when the encoding is exact for ``instance`` and small enough to be worth a try.

    Every meeting must be required (the cost is breaks only), the slots must form one group, no
    participant may have a home table and no meeting a ``fixed_location`` (the capacity per slot
    would not be the only location condition), and the (meeting, slot) pairs must be at most
    :data:`MAXSAT_MAX_PAIRS`.
    """
    inst = instance
    if len(inst.groups) != 1 or not inst.meetings:
        return False
    if not all(m.required for m in inst.meetings):
        return False
    if any(p.home_location is not None for p in inst.participants):
        return False
    if any(m.fixed_location is not None for m in inst.meetings):
        return False
    allowed = inst.allowed_slots
    if any(not a for a in allowed):
        return False
    return sum(len(a) for a in allowed) <= MAXSAT_MAX_PAIRS


class _Pool:
    """Fresh variable numbers (DIMACS, from 1)."""

    def __init__(self) -> None:
        self.top = 0

    def new(self) -> int:
        self.top += 1
        return self.top


def _totalizer(inputs: list[int], pool: _Pool, hard: list[list[int]], limit: int | None = None) -> list[int]:
    """Outputs o with o[j - 1] <-> (sum of ``inputs``) >= j, both directions (full totalizer); with
    ``limit``, only the first ``limit`` outputs (o[limit - 1] <-> sum >= limit), which keeps a
    counter over many inputs with a small bound at O(inputs x limit) clauses."""
    if len(inputs) <= 1:
        return list(inputs)
    mid = len(inputs) // 2
    a = _totalizer(inputs[:mid], pool, hard, limit)
    b = _totalizer(inputs[mid:], pool, hard, limit)
    na, nb = len(a), len(b)
    size = na + nb if limit is None else min(na + nb, limit)
    c = [pool.new() for _ in range(size)]
    for i in range(na + 1):
        for j in range(nb + 1):
            if 1 <= i + j <= size:  # a >= i and b >= j -> c >= i + j (larger sums follow)
                up = [c[i + j - 1]]
                if i:
                    up.append(-a[i - 1])
                if j:
                    up.append(-b[j - 1])
                hard.append(up)
            # a <= i and b <= j -> c <= i + j; a truncated child has limit >= size > i outputs,
            # so "a <= i" is always expressible here
            if i + j < size:
                down = [-c[i + j]]
                if i < na:
                    down.append(a[i])
                if j < nb:
                    down.append(b[j])
                hard.append(down)
    return c


def _capacity_by_clusters(
    inst: Instance, x: Mapping[tuple[int, int], int], pool: _Pool, hard: list[list[int]]
) -> None:
    """Per slot, at most as many in-person meetings as tables (online: rooms), counted over
    clusters of meetings that share a participant (JAIR 2022, 4.5.2): at most one meeting of a
    cluster is held in a slot, so counting active clusters is exact and the counter's inputs shrink
    2-4 times. Clusters are formed greedily, the participant with most unclustered meetings first."""
    left = set(range(len(inst.meetings)))
    clusters: list[tuple[bool, list[int]]] = []  # (in person, meeting indexes)
    while left:
        best = max(
            (p.id for p in inst.participants),
            key=lambda pid: sum(1 for k in inst.meetings_of[pid] if k in left),
        )
        mine = [k for k in inst.meetings_of[best] if k in left]
        for on_site in (True, False):
            part = [k for k in mine if inst.is_in_person(inst.meetings[k]) == on_site]
            if part:
                clusters.append((on_site, part))
        left.difference_update(mine)
    for s in range(len(inst.slots)):
        active: dict[bool, list[int]] = {True: [], False: []}
        for on_site, c in clusters:
            lits = [x[k, s] for k in c if (k, s) in x]
            if not lits:
                continue
            if len(lits) == 1:
                v = lits[0]
            else:
                v = pool.new()
                hard.extend([-lit, v] for lit in lits)
            active[on_site].append(v)
        _at_most(active[True], inst.tables_open[s], pool, hard)
        _at_most(active[False], inst.rooms_open[s], pool, hard)


def _at_most(lits: list[int], k: int, pool: _Pool, hard: list[list[int]]) -> None:
    """At most ``k`` of ``lits`` (pairwise for k = 1 and few literals, else a sequential counter)."""
    from pysat.card import CardEnc, EncType

    if len(lits) <= k:
        return
    if k == 0:
        hard.extend([-v] for v in lits)
        return
    if k == 1 and len(lits) <= 6:
        hard.extend([-a, -b] for i, a in enumerate(lits) for b in lits[i + 1 :])
        return
    enc = CardEnc.atmost(lits, k, top_id=pool.top, encoding=EncType.seqcounter)
    pool.top = max(pool.top, enc.nv)
    hard.extend(enc.clauses)


def _exactly(lits: list[int], k: int, pool: _Pool, hard: list[list[int]]) -> None:
    """Exactly ``k`` of ``lits`` (sequential counter)."""
    from pysat.card import CardEnc, EncType

    if k > len(lits):
        hard.append([])  # unsatisfiable
        return
    if k == len(lits):
        hard.extend([v] for v in lits)
        return
    if k == 0:
        hard.extend([-v] for v in lits)
        return
    enc = CardEnc.equals(lits, k, top_id=pool.top, encoding=EncType.seqcounter)
    pool.top = max(pool.top, enc.nv)
    hard.extend(enc.clauses)


@dataclass
class Encoding:
    """The weighted CNF: ``hard`` clauses, ``soft`` unit literals (weight 1 each), the meeting
    variables ``x[(k, s)]`` and ``base``, the breaks of a timetable of cost 0 (sum of the bounds)."""

    hard: list[list[int]]
    soft: list[int]
    x: dict[tuple[int, int], int]
    base: int
    n_vars: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    #: the participant each soft literal belongs to (its breaks above the bound)
    owners: list[str] = field(default_factory=list)

    def timetable(self, true: set[int]) -> dict[int, int]:
        """Meeting index -> slot index of a model whose true variables are ``true``."""
        return {k: s for (k, s), v in self.x.items() if v in true}


def encode(instance: Instance, bounds: Mapping[str, int]) -> Encoding:
    """The MaxSAT encoding of an :func:`eligible` instance (see the module docstring); ``bounds``
    are proven per-participant lower bounds on breaks (each participant's runs >= bound + 1)."""
    inst = instance
    pool = _Pool()
    hard: list[list[int]] = []
    soft: list[int] = []
    owners: list[str] = []
    allowed = inst.allowed_slots
    n_slots = len(inst.slots)
    x: dict[tuple[int, int], int] = {}
    for k, sl in enumerate(allowed):
        lits = [pool.new() for _ in sl]
        x.update({(k, s): v for s, v in zip(sl, lits, strict=True)})
        hard.append(lits)
        _at_most(lits, 1, pool, hard)
    for before, later in inst.later_of.items():
        for k in later:  # meeting k is held after meeting ``before``
            for s in allowed[k]:
                hard.append([-x[k, s]] + [x[before, t] for t in allowed[before] if t < s])
    _capacity_by_clusters(inst, x, pool, hard)

    busy: dict[tuple[str, int], int] = {}
    runs: dict[str, list[int]] = {}
    base = 0
    for p in inst.participants:
        mine = inst.meetings_of[p.id]
        if not mine:
            continue
        row: list[int | None] = []
        for s in range(n_slots):
            lits = [x[k, s] for k in mine if (k, s) in x]
            if not lits:
                row.append(None)
                continue
            b = pool.new()
            busy[p.id, s] = b
            row.append(b)
            hard.append([-b, *lits])
            hard.extend([-v, b] for v in lits)
            _at_most(lits, 1, pool, hard)
        # implied constraint 1: busy in exactly as many slots as meetings
        _exactly([b for b in row if b is not None], len(mine), pool, hard)
        starts: list[int] = []
        for s, here in enumerate(row):
            if here is None:
                continue
            prev = row[s - 1] if s else None
            if prev is None:
                starts.append(here)  # nothing before: a run starts whenever p is busy here
                continue
            st = pool.new()
            hard.extend([[-st, here], [-st, -prev], [st, -here, prev]])
            starts.append(st)
        out = _totalizer(starts, pool, hard)
        runs[p.id] = out
        first = bounds.get(p.id, 0) + 1  # at least bound + 1 runs, proven
        base += first - 1
        hard.extend([out[j]] for j in range(min(first, len(out))))
        if first > len(out):
            hard.append([])
        soft.extend(-out[j] for j in range(first, len(out)))
        owners.extend(p.id for _ in range(first, len(out)))

    # implied constraint 2: at most 2 x tables (+ rooms) participants busy in a slot, an even
    # number of them (exact only when every meeting has two participants)
    pairs_only = all(len(m.participants) == 2 for m in inst.meetings)
    for s in range(n_slots if pairs_only else 0):
        lits = [busy[p.id, s] for p in inst.participants if (p.id, s) in busy]
        cap = 2 * (inst.tables_open[s] + inst.rooms_open[s])
        if len(lits) <= 1:
            _at_most(lits, cap, pool, hard)
            continue
        # out[i] <-> at least i + 1 busy. The full counter costs about n^2 clauses: fine up to
        # FULL_COUNTER_MAX inputs (every B2BSP original: at most 76 participants), beyond that only
        # the outputs up to the bound are built (the same propagation there; on B2BSP the truncated
        # one was measured neither faster nor slower beyond RC2's luck)
        limit = None if len(lits) <= FULL_COUNTER_MAX else cap + 1
        out = _totalizer(lits, pool, hard, limit)
        hard.extend([-out[j]] for j in range(cap, len(out)))
        # an even number of participants is busy: at least 2i + 1 -> at least 2i + 2
        hard.extend([-out[j], out[j + 1]] for j in range(0, len(out) - 1, 2))
        if len(out) % 2:
            hard.append([-out[-1]])

    # fairness: breaks (= runs - 1 for a participant with meetings) differ by at most d
    d = inst.objective.max_break_spread
    if d is not None and runs:
        if len(runs) < len(inst.participants):  # a participant without meetings has 0 breaks
            hard.extend([-o[d + 1]] for o in runs.values() if d + 1 < len(o))
        top = max(len(o) for o in runs.values())
        for j in range(top - d):
            low = pool.new()  # some participant has at most j runs
            # (one with at most j possible run starts always has: then low holds outright)
            hard.extend([o[j], low] if j < len(o) else [low] for o in runs.values())
            hard.extend([-low, -o[j + d]] for o in runs.values() if j + d < len(o))
    return Encoding(
        hard,
        soft,
        x,
        base,
        pool.top,
        {"variables": pool.top, "hard_clauses": len(hard), "soft_clauses": len(soft)},
        owners,
    )


def solve_maxsat(
    instance: Instance,
    bounds: Mapping[str, int],
    on_lower: Callable[[int], None] | None = None,
    on_encoded: Callable[[dict[str, int]], None] | None = None,
) -> tuple[int, dict[int, int]] | None:
    """Minimise the breaks of an :func:`eligible` instance with RC2; blocking, no time limit.

    ``on_lower`` receives every lower bound on the total breaks that a core proves. Returns
    (optimal breaks, meeting index -> slot index), or None when the instance is infeasible.
    """
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    enc = encode(instance, bounds)
    if on_encoded is not None:
        on_encoded(enc.stats)
    wcnf = WCNF()
    wcnf.extend(enc.hard)
    wcnf.extend([[lit] for lit in enc.soft], weights=[1] * len(enc.soft))

    class _Rc2(RC2):  # type: ignore[misc]
        def process_core(self) -> None:
            super().process_core()
            if on_lower is not None:
                on_lower(enc.base + int(self.cost))

    with _Rc2(wcnf, solver=MAXSAT_SOLVER, **RC2_OPTIONS) as rc2:
        model = rc2.compute()
        if model is None:
            return None
        return enc.base + int(rc2.cost), enc.timetable({v for v in model if v > 0})


#: SAT oracle of the solution-improving search (:func:`improve_sat`).
IMPROVE_SOLVER = "g4"
#: The counter over the violated soft clauses in :func:`improve_sat` has outputs up to this many
#: breaks above the bounds (a timetable above it is tightened to it in one step).
IMPROVE_COUNTER_MAX = 80
#: Conflict budget of one neighbourhood's SAT call in :func:`improve_sat`.
IMPROVE_CONFLICTS = 2000
#: Share of the meetings a neighbourhood frees at first; it grows by 5 % whenever a neighbourhood
#: is proven to hold nothing better and shrinks by 5 % whenever the budget runs out.
IMPROVE_FREE_SHARE = 0.15


class _Neighbourhoods:
    """The meetings one step of :func:`improve_sat` may move, drawn in turn from three kinds:
    every meeting in a window of consecutive slots; every meeting of randomly chosen participants;
    and, around a participant with a break above its bound, that participant's meetings, then its
    partners' and theirs (breadth first), so that the meetings that hold the break in place are
    free together."""

    def __init__(self, inst: Instance, owners: list[str], rng: Any) -> None:
        self.inst, self.owners, self.rng = inst, owners, rng
        self.people = [p.id for p in inst.participants if inst.meetings_of[p.id]]
        self.turn = 0

    def pick(self, slot_of: Mapping[int, int], violated: list[int], share: float) -> set[int]:
        """Meeting indexes to free (about ``share`` of them); ``violated`` are the indexes of the
        soft literals the timetable violates."""
        inst, rng = self.inst, self.rng
        target = max(2, int(share * len(inst.meetings)))
        free: set[int] = set()
        self.turn = (self.turn + 1) % 3
        if self.turn == 0:
            width = max(2, round(share * len(inst.slots)))
            first = rng.randrange(0, max(1, len(inst.slots) - width + 1))
            return {k for k, s in slot_of.items() if first <= s < first + width}
        if self.turn == 1 or not violated:
            order = self.people[:]
            rng.shuffle(order)
            for pid in order:
                if len(free) >= target:
                    break
                free.update(inst.meetings_of[pid])
            return free
        queue = [self.owners[rng.choice(violated)]]
        seen = set(queue)
        while queue and len(free) < target:
            pid = queue.pop(0)
            mine = list(inst.meetings_of[pid])
            rng.shuffle(mine)
            for k in mine:
                free.add(k)
                for q in inst.meetings[k].participants:
                    if q not in seen:
                        seen.add(q)
                        queue.append(q)
        return free


def _encode_counted(
    instance: Instance, bounds: Mapping[str, int]
) -> tuple[Encoding, list[int], list[list[int]], list[int]]:
    """The encoding of :func:`encode` with a counter over its violated soft clauses, for the SAT
    searches that ask "at most c breaks above the bounds": (encoding, the violation literals,
    the counter's clauses, its outputs: out[c] true when more than c are violated)."""
    enc = encode(instance, bounds)
    pool = _Pool()
    pool.top = enc.n_vars
    viol = [-lit for lit in enc.soft]  # true when the soft clause is violated: one break above
    counter: list[list[int]] = []
    out = _totalizer(viol, pool, counter, min(len(viol), IMPROVE_COUNTER_MAX + 1)) if viol else []
    return enc, viol, counter, out


def improve_sat(
    instance: Instance,
    bounds: Mapping[str, int],
    start: Mapping[int, int] | None,
    on_better: Callable[[int, dict[int, int]], None],
    on_encoded: Callable[[dict[str, int]], None] | None = None,
    seed: int = 0,
) -> tuple[int, dict[int, int]] | None:
    """Minimise the breaks of an :func:`eligible` instance by a SAT neighbourhood search.

    Why: RC2 (:func:`solve_maxsat`) reports nothing but lower bounds until it proves the optimum,
    and on the three hardest B2BSP originals that takes 25-65 s, so a time-limited solve had only
    the CP-SAT minimisation's timetable (69-95 breaks where the optima are 1-6). One incremental
    SAT solver (the encoding of :func:`encode`, plus a counter over the violated soft clauses)
    first finds any fair timetable, then improves it step by step:

    * each step fixes every meeting outside a neighbourhood (:class:`_Neighbourhoods`) to its slot
      by assumptions and asks, within :data:`IMPROVE_CONFLICTS` conflicts, for a timetable with
      fewer violated soft clauses: a quarter fewer at first (halved after each failure, down to
      one; raised by half after each success), so that the first, poor timetables lose many breaks
      per step, and breaks may move between participants;
    * a neighbourhood proven to hold nothing better grows the next ones, a budget running out
      shrinks them; once they would free every meeting the step is the complete one (the 2026
      replication's "fewer breaks than now" on the whole instance), whose conflict budget doubles
      each time it runs out, so that the search is complete: "unsatisfiable" there proves the last
      timetable optimal.

    Every timetable found goes to ``on_better`` (total breaks, meeting index -> slot index) at
    once, each with fewer breaks than the one before. The oracle's phases start at ``start`` (a
    warm start) when given, later at the current timetable. Blocking, no time limit. Returns the
    last (optimal) timetable, or None when no fair timetable exists.
    """
    import random

    from pysat.solvers import Solver

    enc, viol, counter, out = _encode_counted(instance, bounds)
    if on_encoded is not None:
        on_encoded({**enc.stats, "counter_clauses": len(counter)})
    rng = random.Random(seed)
    hoods = _Neighbourhoods(instance, enc.owners, rng)
    everything = len(instance.meetings)
    with Solver(name=IMPROVE_SOLVER, bootstrap_with=enc.hard) as oracle:
        oracle.append_formula(counter)
        if start:
            oracle.set_phases([v if start.get(k) == s else -v for (k, s), v in enc.x.items()])
        if not oracle.solve():
            return None

        def take() -> tuple[int, dict[int, int], list[int]]:
            true = {v for v in oracle.get_model() or () if v > 0}
            violated = [i for i, v in enumerate(viol) if v in true]
            found = enc.base + len(violated), enc.timetable(true)
            on_better(*found)
            return len(violated), found[1], violated

        cost, slot_of, violated = take()
        share, cut, full_budget = IMPROVE_FREE_SHARE, 0.25, 5 * IMPROVE_CONFLICTS
        while cost > 0:
            free = hoods.pick(slot_of, violated, share) if share < 1.0 else None
            whole = free is None or len(free) >= everything
            drop = 1 if whole else max(1, int(cost * cut))
            fixed = [] if free is None else [enc.x[k, s] for k, s in slot_of.items() if k not in free]
            oracle.set_phases([enc.x[k, s] for k, s in slot_of.items()])
            oracle.conf_budget(full_budget if whole else IMPROVE_CONFLICTS)
            answer = oracle.solve_limited(assumptions=[*fixed, -out[min(cost - drop, len(out) - 1)]])
            if answer:
                cost, slot_of, violated = take()
                cut = min(0.5, cut * 1.5)
            elif drop > 1:
                cut /= 2
            elif answer is False:
                if whole and cost - 1 < len(out):
                    break  # no timetable with fewer breaks: the last one is optimal
                share = min(1.0, share * 1.05)
            else:
                if whole:
                    full_budget *= 2
                share = max(0.05, min(share, 0.99) * 0.95)
        return enc.base + cost, slot_of


#: SAT oracle of the dive (:func:`dive_sat`): CaDiCaL 1.9.5 found ticf-13crafc's 1-break timetable
#: in 4.6-8.7 s with one call "at most 1 break" from scratch, where Glucose 4 had none after 30 s.
DIVE_SOLVER = "cd195"


def dive_sat(
    instance: Instance,
    bounds: Mapping[str, int],
    target: int,
    on_lower: Callable[[int], None],
    on_found: Callable[[int, dict[int, int]], None],
) -> None:
    """Look for a timetable with ``target`` breaks (a proven lower bound), then ``target`` + 1, ...

    Why: when the bound is the optimum (ticf-13crafc: its level 1 is proven at 0.1 s by the probe,
    and RC2 never raises it), the timetable is what the solve lacks, and one CaDiCaL call "at
    most ``target`` breaks" finds it faster than the neighbourhood search. A timetable found is
    optimal (``on_found``); "unsatisfiable" proves the target + 1 (``on_lower``). Blocking, no
    time limit; it ends when a timetable is found or the target leaves the counter's range.
    """
    from pysat.solvers import Solver

    enc, viol, counter, out = _encode_counted(instance, bounds)
    cost = max(0, target - enc.base)
    with Solver(name=DIVE_SOLVER, bootstrap_with=enc.hard) as oracle:
        oracle.append_formula(counter)
        while cost < len(out):
            if oracle.solve(assumptions=[-out[cost]]):
                true = {v for v in oracle.get_model() or () if v > 0}
                found = sum(1 for v in viol if v in true)
                on_found(enc.base + found, enc.timetable(true))
                return
            cost += 1
            on_lower(enc.base + cost)


def _dive_child(
    instance: Instance, bounds: Mapping[str, int], conn: Connection, go: Any, handoff: Connection
) -> None:
    """Child process: wait for ``go``, read the target through ``handoff``, run :func:`dive_sat`
    and report through ``conn``."""
    try:
        go.wait()
        dive_sat(
            instance,
            bounds,
            int(handoff.recv()),
            on_lower=lambda lb: conn.send(("lower", lb)),
            on_found=lambda cost, slot_of: conn.send(("better", (cost, slot_of))),
        )
        conn.send(("ended", None))
    except Exception as exc:  # reported to the parent, which carries on without it
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


def _improve_child(
    instance: Instance,
    bounds: Mapping[str, int],
    start: Mapping[int, int] | None,
    conn: Connection,
    go: Any = None,
) -> None:
    """Child process: wait for ``go`` (an event) when given, then run :func:`improve_sat` and
    report through ``conn``."""
    try:
        if go is not None:
            go.wait()
        out = improve_sat(
            instance,
            bounds,
            start,
            on_better=lambda cost, slot_of: conn.send(("better", (cost, slot_of))),
            on_encoded=lambda st: conn.send(("encoded", st)),
        )
        conn.send(("infeasible", None) if out is None else ("optimal", out))
    except Exception as exc:  # reported to the parent, which carries on without it
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


def _child(instance: Instance, bounds: Mapping[str, int], conn: Connection) -> None:
    """Child process: run :func:`solve_maxsat` and report through ``conn``."""
    try:
        out = solve_maxsat(
            instance,
            bounds,
            on_lower=lambda lb: conn.send(("lower", lb)),
            on_encoded=lambda st: conn.send(("encoded", st)),
        )
        conn.send(("infeasible", None) if out is None else ("optimal", out))
    except Exception as exc:  # reported to the parent, which carries on without MaxSAT
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


class MaxSatRace:
    """RC2 in a child process, reported to callbacks from a watcher thread.

    A process (not a thread) because RC2 has no time limit of its own and the encoding is pure
    Python: a child can be stopped at any moment and does not take the GIL from the CP-SAT side.
    It is forked where the platform can (a spawned interpreter spends about 1.2 s importing before
    it starts); the child runs only this module, pysat and the pure-Python model code.
    """

    def __init__(
        self,
        instance: Instance,
        bounds: Mapping[str, int],
        on_lower: Callable[[int], None],
        on_optimal: Callable[[int, dict[int, int]], None],
        on_infeasible: Callable[[], None],
        *,
        improve_from: Mapping[int, int] | None = None,
        on_better: Callable[[int, dict[int, int]], None] | None = None,
        wait_for_go: bool = False,
        dive: bool = False,
    ) -> None:
        """RC2 (:func:`solve_maxsat`); with ``on_better``, the solution-improving search
        (:func:`improve_sat`, phases from ``improve_from``) instead, whose every timetable goes to
        ``on_better``; with ``wait_for_go`` too, the child waits for :meth:`go` before it starts
        (it is forked now, while the parent has no solver threads yet). With ``dive`` and
        ``on_better``, the dive (:func:`dive_sat`) instead, which waits for :meth:`go` and its
        target."""
        methods = multiprocessing.get_all_start_methods()
        ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._recv, send = ctx.Pipe(duplex=False)
        target: Callable[..., None]
        args: tuple[object, ...]
        self._go: Any = None
        self._handoff: Any = None
        if on_better is None:
            target, args = _child, (instance, dict(bounds), send)
        elif dive:
            self._go = ctx.Event()
            handoff, self._handoff = ctx.Pipe(duplex=False)
            target, args = _dive_child, (instance, dict(bounds), send, self._go, handoff)
        else:
            start = dict(improve_from) if improve_from else None
            self._go = ctx.Event() if wait_for_go else None
            target, args = _improve_child, (instance, dict(bounds), start, send, self._go)
        self._proc: Any = ctx.Process(target=target, args=args, daemon=True)
        self._on_lower, self._on_optimal, self._on_infeasible = on_lower, on_optimal, on_infeasible
        self._on_better = on_better
        self._found = 0
        self.stats: dict[str, object] = {}
        self._proc.start()
        send.close()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while True:
            try:
                kind, value = self._recv.recv()
            except (EOFError, OSError):
                return
            if kind == "lower":
                self.stats["lower"] = value
                self._on_lower(value)
            elif kind == "better" and self._on_better is not None:
                self._found += 1
                self.stats["timetables"] = self._found
                self.stats["breaks"] = value[0]
                self._on_better(value[0], value[1])
            elif kind == "encoded":
                self.stats["encoding"] = value
            elif kind == "optimal":
                self.stats["status"] = "optimal"
                self.stats["breaks"] = value[0]
                self._on_optimal(value[0], value[1])
            elif kind == "infeasible":
                self.stats["status"] = "infeasible"
                self._on_infeasible()
            elif kind == "ended":
                self.stats["status"] = "ended"
            else:
                self.stats["status"] = kind
                self.stats["error"] = value

    def go(self, target: int | None = None) -> None:
        """Let a child started with ``wait_for_go`` (or a dive, with its ``target``) begin (once;
        later calls do nothing)."""
        go = self._go
        if go is not None and not go.is_set():
            self.stats["started"] = True
            if target is not None and self._handoff is not None:
                self.stats["target"] = target
                self._handoff.send(target)
            go.set()

    def searching(self) -> bool:
        """True while the child runs and has reported no end (optimum, infeasible, error)."""
        return bool(self._proc.is_alive()) and "status" not in self.stats

    def stop(self) -> None:
        """Stop the child (if it still runs) and the watcher."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._watcher.join(1.0)
        self._recv.close()
        self.stats.setdefault("status", "unknown")
