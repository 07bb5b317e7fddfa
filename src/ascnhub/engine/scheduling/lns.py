"""Large instances: a proven weight bound, a break-aware greedy start, then large-neighbourhood search.

1. Bound: maximise held weight subject only to each participant's capacity (its usable slots and
   ``max_meetings``) and the total location capacity. This relaxation is small, solved by CP-SAT
   to optimality in seconds, and its value bounds the held weight of any schedule.
2. Start: :func:`greedy_slots` with ``break_aware=True`` (meetings chosen by the relaxation first).
3. LNS: repeatedly free every meeting (held or not) of a few participants that have breaks or
   unheld meetings plus their partners, keep everything else fixed, and re-solve that
   neighbourhood exactly (held weight first, then breaks) with the current schedule as a hint.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from .cpmodel import build_slot_model, int_weights, weight_scale
from .greedy import greedy_slots
from .model import Instance, Progress, Result, Status

ProgressFn = Callable[[Progress], None]


def lp_weight_bound(instance: Instance) -> tuple[float, list[int]]:
    """The LP relaxation of :func:`weight_bound` (GLOP): a valid, slightly weaker bound in seconds."""
    from ortools.linear_solver import pywraplp

    inst = instance
    allowed = inst.allowed_slots
    lp = pywraplp.Solver.CreateSolver("GLOP")
    y = {
        k: lp.NumVar(1.0 if m.required else 0.0, 1.0, f"y{k}")
        for k, m in enumerate(inst.meetings)
        if allowed[k]
    }
    for p in inst.participants:
        mine = [k for k in inst.meetings_of[p.id] if k in y]
        usable: set[int] = set()
        for k in mine:
            usable.update(allowed[k])
        cap = len(usable) if p.max_meetings is None else min(len(usable), p.max_meetings)
        if len(mine) > cap:
            lp.Add(sum(y[k] for k in mine) <= cap)
    tab = [y[k] for k in y if inst.is_in_person(inst.meetings[k])]
    vir = [y[k] for k in y if not inst.is_in_person(inst.meetings[k])]
    if len(tab) > sum(inst.tables_open):
        lp.Add(sum(tab) <= sum(inst.tables_open))
    if len(vir) > sum(inst.rooms_open):
        lp.Add(sum(vir) <= sum(inst.rooms_open))
    lp.Maximize(sum(inst.meetings[k].weight * v for k, v in y.items()))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return float(sum(m.weight for m in inst.meetings)), []
    return lp.Objective().Value() + 1e-6, [k for k, v in y.items() if v.solution_value() > 0.5]


def weight_bound(
    instance: Instance, time_limit_s: float, seed: int = 0, workers: int = 2
) -> tuple[float, list[int]]:
    """An upper bound on the held weight and the meetings the relaxation holds (see module doc).

    Large relaxations are solved as an LP (GLOP); smaller ones exactly by CP-SAT (tighter).
    """
    inst = instance
    if len(inst.meetings) > 15_000:
        return lp_weight_bound(inst)
    w = int_weights(inst)
    allowed = inst.allowed_slots
    model = cp_model.CpModel()
    y: dict[int, cp_model.IntVar] = {}
    for k, m in enumerate(inst.meetings):
        if allowed[k]:
            y[k] = model.new_bool_var(f"y{k}")
            if m.required:
                model.add(y[k] == 1)
    for p in inst.participants:
        mine = [k for k in inst.meetings_of[p.id] if k in y]
        if not mine:
            continue
        usable = set()
        for k in mine:
            usable.update(allowed[k])
        cap = len(usable)
        if p.max_meetings is not None:
            cap = min(cap, p.max_meetings)
        if len(mine) > cap:
            model.add(sum(y[k] for k in mine) <= cap)
    t_cap = sum(inst.tables_open)
    r_cap = sum(inst.rooms_open)
    tab = [y[k] for k in y if inst.is_in_person(inst.meetings[k])]
    vir = [y[k] for k in y if not inst.is_in_person(inst.meetings[k])]
    if len(tab) > t_cap:
        model.add(sum(tab) <= t_cap)
    if len(vir) > r_cap:
        model.add(sum(vir) <= r_cap)
    model.maximize(sum(w[k] * v for k, v in y.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # out of time before any solution: CP-SAT's bound is not valid then (it reports 0)
        return lp_weight_bound(inst)
    scale = weight_scale(inst)
    bound = solver.best_objective_bound / scale
    chosen = [k for k, v in y.items() if solver.boolean_value(v)]
    return bound, chosen


def _breaks_by_participant(
    inst: Instance, slot_of: Mapping[int, int], only: list[str] | None = None
) -> dict[str, int]:
    busy: dict[str, set[int]] = {}
    if only is None:
        for k, s in slot_of.items():
            for p in inst.meetings[k].participants:
                busy.setdefault(p, set()).add(s)
    else:
        for p in only:
            busy[p] = {slot_of[k] for k in inst.meetings_of[p] if k in slot_of}
    out: dict[str, int] = {}
    for p, slots in busy.items():
        n = 0
        for g in inst.groups:
            used = [s in slots for s in g]
            idx = [i for i, u in enumerate(used) if u]
            if len(idx) >= 2:
                n += sum(1 for i in range(idx[0] + 1, idx[-1] + 1) if used[i] and not used[i - 1])
        out[p] = n
    return out


def _rank(inst: Instance, slot_of: Mapping[int, int]) -> tuple[float, int]:
    """Held weight, then -breaks: the lexicographic objective as a key to maximise."""
    return sum(inst.meetings[k].weight for k in slot_of), -sum(_breaks_by_participant(inst, slot_of).values())


def improve(
    instance: Instance,
    slot_of: dict[int, int],
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    neighbourhood: int = 12,
    sub_time_s: float = 0.5,
    max_unheld: int = 20,
    on_progress: ProgressFn | None = None,
    started: float | None = None,
    bound: float | None = None,
    movable: set[int] | None = None,
) -> tuple[dict[int, int], dict[str, object]]:
    """Large-neighbourhood search from ``slot_of`` until ``deadline`` (``time.monotonic()``).

    Only meetings in ``movable`` may change (all when None). Returns the improved schedule and
    figures (iterations, improvements).
    """
    inst = instance
    rng = random.Random(seed)
    w = int_weights(inst)
    started = started if started is not None else time.monotonic()
    partners: dict[str, list[str]] = {p.id: [] for p in inst.participants}
    for m in inst.meetings:
        for a in m.participants:
            for b in m.participants:
                if a != b:
                    partners[a].append(b)
    big = None
    iterations = improvements = 0
    cur = dict(slot_of)
    breaks = _breaks_by_participant(inst, cur)
    stale = 0
    while time.monotonic() < deadline - 0.05:
        iterations += 1
        unheld_of: dict[str, int] = {}
        missing: set[str] = set()  # participants of a required meeting not yet placed
        for k, m in enumerate(inst.meetings):
            if k not in cur and inst.allowed_slots[k] and (movable is None or k in movable):
                for p in m.participants:
                    unheld_of[p] = unheld_of.get(p, 0) + 1
                if m.required:
                    missing.update(m.participants)
        hot = [p for p in inst.participants if breaks.get(p.id, 0) > 0 or unheld_of.get(p.id, 0) > 0]
        if movable is not None:
            mov_parts = {p for k in movable for p in inst.meetings[k].participants}
            hot = [p for p in hot if p.id in mov_parts]
        if not hot:
            break
        seed_p = rng.choice([p for p in hot if p.id in missing] or hot).id
        chosen = [seed_p]
        seen = {seed_p}
        frontier = [seed_p]
        while frontier and len(chosen) < neighbourhood:
            nxt: list[str] = []
            for p in frontier:
                cand = [q for q in partners[p] if q not in seen]
                rng.shuffle(cand)
                cand.sort(key=lambda q: -(breaks.get(q, 0) + unheld_of.get(q, 0)))
                for q in cand[:4]:
                    if len(chosen) >= neighbourhood:
                        break
                    seen.add(q)
                    chosen.append(q)
                    nxt.append(q)
            frontier = nxt
        chosen_set = set(chosen)
        free = {
            k
            for p in chosen
            for k in inst.meetings_of[p]
            if inst.allowed_slots[k] and (movable is None or k in movable)
        }
        # held meetings move when all their participants are in the neighbourhood; unheld ones are
        # candidates (the heaviest few) only while the held weight is below the bound
        inside = {k for k in free if all(q in chosen_set for q in inst.meetings[k].participants)}
        held_free = {k for k in inside if k in cur}
        unheld = [k for k in free if k not in cur]
        if bound is not None and sum(inst.meetings[k].weight for k in cur) >= bound - 1e-9:
            unheld = [k for k in unheld if inst.meetings[k].required]
        # a required meeting the start could not place comes first (the sub-model must hold it)
        unheld.sort(key=lambda k: (not inst.meetings[k].required, -w[k], k))
        free = held_free | set(unheld[:max_unheld])
        if not free:
            continue
        fixed = {k: s for k, s in cur.items() if k not in free}
        sm = build_slot_model(inst, free, fixed, implied=False, weights=w)
        if big is None:
            big = len(inst.slots) * 2 + 1
        touched_big = big * (len(sm.breaks_of) + 1)
        sm.model.maximize(
            cp_model.LinearExpr.weighted_sum([sm.weight_expr, sm.breaks_expr], [touched_big, -1])
        )
        for (k, s), v in sm.x.items():
            sm.model.add_hint(v, cur.get(k) == s)
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.max_time_in_seconds = max(0.05, min(sub_time_s, deadline - time.monotonic()))
        prm.num_workers = max(1, workers)
        prm.random_seed = seed + iterations
        code = solver.solve(sm.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        new = sm.slots_of(solver)
        old_w = sum(w[k] for k in free if k in cur)
        new_w = sum(w[k] for k in new)
        old_req = sum(1 for k in free if k in cur and inst.meetings[k].required)
        new_req = sum(1 for k in new if inst.meetings[k].required)
        touched = list(sm.breaks_of)
        trial = dict(fixed)
        trial.update(new)
        new_b = _breaks_by_participant(inst, trial, touched)
        old_br = sum(breaks.get(p, 0) for p in touched)
        new_br = sum(new_b.get(p, 0) for p in touched)
        # placed required meetings first: a start that misses one is not a valid timetable
        if (new_req, new_w, -new_br) > (old_req, old_w, -old_br):
            cur = trial
            for p in touched:
                breaks[p] = new_b.get(p, 0)
            improvements += 1
            stale = 0
            if on_progress is not None:
                on_progress(
                    Progress(
                        "lns", sum(inst.meetings[k].weight for k in cur), bound, time.monotonic() - started
                    )
                )
        else:
            stale += 1
    return cur, {"lns_iterations": iterations, "lns_improvements": improvements}


def solve_lns(
    instance: Instance,
    *,
    time_limit_s: float,
    seed: int = 0,
    workers: int = 2,
    on_progress: ProgressFn | None = None,
    hint: Mapping[int, int] | None = None,
    baseline: Mapping[int, int] | None = None,
) -> Result:
    """Schedule a large instance (see the module docstring).

    The search starts from ``hint`` when given, else from the better (held weight, then breaks) of
    the relaxation-ordered break-aware greedy and ``baseline`` (the solver's warm start).
    """
    from .solver import make_result

    inst = instance
    started = time.monotonic()
    # leave time for the location assignment and the result within the limit
    deadline = started + time_limit_s - 0.3 - 5e-5 * len(inst.meetings)
    bound, chosen = weight_bound(inst, min(10.0, 0.15 * time_limit_s), seed, workers)
    t_bound = time.monotonic() - started
    if hint:
        cur = dict(hint)
    else:
        chosen_set = set(chosen)
        order = sorted(
            range(len(inst.meetings)),
            key=lambda k: (k not in chosen_set, not inst.meetings[k].required, -inst.meetings[k].weight, k),
        )
        cur = greedy_slots(inst, break_aware=True, order=order)
        if baseline and _rank(inst, baseline) > _rank(inst, cur):
            cur = dict(baseline)
    t_greedy = time.monotonic() - started - t_bound
    if on_progress is not None:
        on_progress(
            Progress("start", sum(inst.meetings[k].weight for k in cur), bound, time.monotonic() - started)
        )
    cur, figures = improve(
        inst,
        cur,
        deadline=deadline,
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        started=started,
        bound=bound,
    )
    missing_required = [m.id for k, m in enumerate(inst.meetings) if m.required and k not in cur]
    weight = sum(inst.meetings[k].weight for k in cur)
    brk = sum(_breaks_by_participant(inst, cur).values())
    status: Status = "feasible"
    if missing_required:
        status = "unknown"
    elif weight >= bound - 1e-9 and brk == 0:
        status = "optimal"
    stats: dict[str, object] = {
        "solver": "bound + greedy + lns",
        "workers": workers,
        "seed": seed,
        "bound_time_s": round(t_bound, 3),
        "greedy_time_s": round(t_greedy, 3),
        **figures,
        "wall_time_s": round(time.monotonic() - started, 3),
    }
    if missing_required:
        stats["reason"] = f"required meetings not placed: {', '.join(missing_required[:5])}"
        return make_result(inst, None, "unknown", bound_weight=bound, bound_breaks=None, stats=stats)
    return make_result(
        inst, cur, status, bound_weight=bound, bound_breaks=0 if status != "optimal" else brk, stats=stats
    )
