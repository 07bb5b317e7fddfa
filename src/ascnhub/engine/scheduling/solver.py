"""The scheduler: lexicographic CP-SAT solve (held weight, then breaks) with warm starts.

Small and medium instances are solved exactly in two phases on the slot model
(:mod:`.cpmodel`): phase 1 maximises the held weight, phase 2 fixes it and minimises breaks,
each hinted with the best schedule known. Large instances go to :mod:`.lns` (a proven weight
bound from a relaxation, a break-aware greedy start, then large-neighbourhood search). Locations
are assigned afterwards (:mod:`.locations`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, cast

from ortools.sat.python import cp_model

from . import maxsat
from .cpmodel import (
    SlotModel,
    build_probe_model,
    build_slot_model,
    extra_break_candidates,
    int_weights,
    participant_break_bounds,
    weight_scale,
)
from .errors import SchedulingError
from .greedy import greedy_slots
from .locations import assign_locations
from .model import Instance, Progress, Result, ResultObjective, Status
from .validator import participant_breaks, validate

ProgressFn = Callable[[Progress], None]
Method = Literal["auto", "exact", "lns", "plain"]

#: CP-SAT subsolvers of the break minimisation, in the order workers are given to them.
BREAK_SUBSOLVERS = (
    "no_lp",
    "objective_lb_search_no_lp",
    "default_lp",
    "quick_restart_no_lp",
    "core",
    "objective_shaving_no_lp",
    "fixed",
    "max_lp",
)

#: Above this many (meeting, slot) pairs the exact two-phase solve gives way to LNS.
EXACT_MAX_PAIRS = 20_000
#: The exact solve bounds the held weight by the capacity relaxation (:func:`.lns.weight_bound`,
#: solved by CP-SAT up to this many meetings; beyond, it is an LP on unrounded weights).
RELAX_MAX_MEETINGS = 15_000


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, phase: str, started: float, on_progress: ProgressFn | None, sign: int, scale: int
    ) -> None:
        super().__init__()
        self.phase, self.started, self.on_progress, self.sign, self.scale = (
            phase,
            started,
            on_progress,
            sign,
            scale,
        )

    def on_solution_callback(self) -> None:
        if self.on_progress is not None:
            self.on_progress(
                Progress(
                    self.phase,
                    self.sign * self.objective_value / self.scale,
                    self.sign * self.best_objective_bound / self.scale,
                    time.monotonic() - self.started,
                )
            )


def cp_parameters(time_limit_s: float, seed: int, workers: int, *, tuned: bool = True) -> cp_model.CpSolver:
    """A CP-SAT solver with the engine's parameters."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, time_limit_s)
    p.random_seed = seed
    p.num_workers = max(1, workers)
    if tuned:
        p.symmetry_level = 2
    return solver


def precheck(instance: Instance) -> str | None:
    """A cheap reason why the instance is infeasible, or None when none is found."""
    allowed = instance.allowed_slots
    for k, m in enumerate(instance.meetings):
        if m.required and not allowed[k]:
            if instance.home_conflict(m):
                return f"required meeting {m.id} is in person between participants with different home tables"
            return (
                f"required meeting {m.id}: its participants share no free slot where a location is open"
                + (f" (fixed slot {m.fixed_slot})" if m.fixed_slot else "")
                + (f" (fixed location {m.fixed_location})" if m.fixed_location else "")
            )
    taken: dict[tuple[str, str], str] = {}
    for m in instance.meetings:
        if m.required and m.fixed_location is not None and m.fixed_slot is not None:
            other = taken.setdefault((m.fixed_location, m.fixed_slot), m.id)
            if other != m.id:
                return (
                    f"required meetings {other} and {m.id} are both pinned to location "
                    f"{m.fixed_location} in slot {m.fixed_slot}"
                )
    k_of = {m.id: k for k, m in enumerate(instance.meetings)}
    for k, m in enumerate(instance.meetings):
        for b in m.after:
            kb = k_of[b]
            if m.required and instance.meetings[kb].required and min(allowed[kb]) >= max(allowed[k]):
                return (
                    f"required meeting {m.id} must come after {b}, but its last possible slot "
                    f"{instance.slots[max(allowed[k])].id} is not later than {b}'s first "
                    f"{instance.slots[min(allowed[kb])].id}"
                )
    for p in instance.participants:
        req = [k for k in instance.meetings_of[p.id] if instance.meetings[k].required]
        if p.max_meetings is not None and len(req) > p.max_meetings:
            return f"participant {p.id} has {len(req)} required meetings but max_meetings {p.max_meetings}"
        free = len(instance.slots) - len(p.unavailable)
        if len(req) > free:
            return f"participant {p.id} has {len(req)} required meetings but only {free} available slots"
    return None


def make_result(
    instance: Instance,
    slot_of: Mapping[int, int] | None,
    status: Status,
    *,
    bound_weight: float | None,
    bound_breaks: int | None,
    stats: dict[str, object],
    prefer_locations: Mapping[int, str] | None = None,
) -> Result:
    """Turn a slot solution into a :class:`Result` (locations assigned, objective recomputed)."""
    inst = instance
    if slot_of is None:
        return Result(
            inst.name,
            status,
            (),
            tuple(m.id for m in inst.meetings),
            ResultObjective(0, 0, bound_weight, bound_breaks),
            stats,
        )
    assignments = assign_locations(inst, slot_of, prefer_locations)
    brk = _breaks_by_participant(inst, slot_of)
    weight = sum(inst.meetings[k].weight for k in slot_of)
    if all(isinstance(inst.meetings[k].weight, int) for k in slot_of):
        weight = int(weight)
    total = sum(brk.values())
    if status == "optimal":
        bound_weight, bound_breaks = weight, total
    stats = dict(stats)
    stats["max_participant_breaks"] = max(brk.values(), default=0)
    return Result(
        inst.name,
        status,
        tuple(assignments),
        tuple(m.id for k, m in enumerate(inst.meetings) if k not in slot_of),
        ResultObjective(weight, total, bound_weight, bound_breaks),
        stats,
    )


def solve(
    instance: Instance,
    *,
    time_limit_s: float = 30.0,
    seed: int = 0,
    workers: int = 2,
    on_progress: ProgressFn | None = None,
    hint: Mapping[int, int] | None = None,
    method: Method = "auto",
) -> Result:
    """Schedule ``instance``: maximise held weight, then minimise breaks (lexicographic).

    ``hint`` (meeting index -> slot index) is a warm start. ``method`` forces the exact solve,
    the large-neighbourhood search or the ``plain`` baseline model (one phase, no implied
    constraints, no warm start: for benchmarks). The result's ``stats`` hold the wall time, the
    phases and the solver's own figures.

    At any time limit the result is at least as good as the warm start (``hint``, else the
    break-aware greedy), held weight first, then breaks, whenever the warm start is a valid
    timetable (it holds every required meeting and respects ``max_break_spread``).
    """
    started = time.monotonic()
    reason = precheck(instance)
    if reason is not None:
        return make_result(
            instance,
            None,
            "infeasible",
            bound_weight=None,
            bound_breaks=None,
            stats={
                "wall_time_s": round(time.monotonic() - started, 3),
                "solver": "precheck",
                "reason": reason,
            },
        )
    pairs = sum(len(a) for a in instance.allowed_slots)
    if method == "auto":
        method = "exact" if pairs <= EXACT_MAX_PAIRS else "lns"
    if method == "plain":
        return _solve_plain(instance, time_limit_s, seed, workers, on_progress, started)
    # the warm start: every result is at least as good (held weight, then breaks) when it is valid
    start = dict(hint) if hint else greedy_slots(instance, break_aware=True)
    if method == "lns":
        from .lns import solve_lns

        result = solve_lns(
            instance,
            # the warm start above counts against the limit (0.5-2 s on 50,000 meetings)
            time_limit_s=max(0.1, time_limit_s - (time.monotonic() - started)),
            seed=seed,
            workers=workers,
            on_progress=on_progress,
            hint=hint,
            baseline=start,
        )
    else:
        result = _solve_exact(instance, time_limit_s, seed, workers, on_progress, start, started)
    return _not_worse_than(instance, result, start, started)


def _not_worse_than(inst: Instance, result: Result, start: Mapping[int, int], started: float) -> Result:
    """``result``, or the warm start ``start`` when that is a valid timetable that holds more weight
    or, at the same weight, has fewer breaks (a solve that ran out of time before it got back to its
    warm start). The returned result keeps ``result``'s proven bounds."""
    if result.status == "optimal" or not start or not _valid_start(inst, start):
        return result
    o = result.objective
    weight = sum(inst.meetings[k].weight for k in start)
    brk = _breaks(inst, start) if inst.objective.break_weight else 0
    held = result.status in ("feasible", "unknown") and bool(result.assignments)
    if held and (weight, -brk) <= (o.held_weight + 1e-9, -(o.breaks if inst.objective.break_weight else 0)):
        return result
    stats = dict(result.stats)
    stats["returned"] = "warm start"
    try:
        res = make_result(
            inst,
            start,
            "feasible",
            bound_weight=o.bound_held_weight,
            bound_breaks=o.bound_breaks,
            stats=stats,
        )
    except SchedulingError:  # a caller's hint with more meetings in a slot than locations
        return result
    if validate(inst, res):  # never expected: the greedy respects every rule but fairness
        return result
    stats["wall_time_s"] = round(time.monotonic() - started, 3)
    return res


def _fair(inst: Instance, slot_of: Mapping[int, int]) -> bool:
    """True when the schedule's break counts respect ``max_break_spread`` (or there is none)."""
    spread = inst.objective.max_break_spread
    if spread is None:
        return True
    brk = _breaks_by_participant(inst, slot_of)
    return max(brk.values(), default=0) - min(brk.values(), default=0) <= spread


def _status(code: Any) -> str:
    names: dict[Any, str] = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
        cp_model.MODEL_INVALID: "invalid",
    }
    return names.get(code, "unknown")


def _solve_exact(
    inst: Instance,
    time_limit_s: float,
    seed: int,
    workers: int,
    on_progress: ProgressFn | None,
    hint: Mapping[int, int] | None,
    started: float,
) -> Result:
    deadline = started + time_limit_s
    scale = weight_scale(inst)
    w = int_weights(inst)
    everything = range(len(inst.meetings))
    stats: dict[str, object] = {"solver": "cp-sat two-phase", "workers": workers, "seed": seed}
    if hint is None:
        hint = greedy_slots(inst, break_aware=True)
    best: dict[int, int] | None = dict(hint) if hint else None
    all_required = all(m.required for m in inst.meetings)
    spread = inst.objective.max_break_spread is not None

    # A proven upper bound on the held weight from the capacity relaxation (each participant holds
    # at most as many meetings as it has usable slots, all meetings at most as many as there are
    # locations): on the platform's demo it is solved in 0.02 s and equals the greedy's weight,
    # which phase 1's CP-SAT search did not prove in 5 s (bound 507 for 502).
    # Integer weights only: with fractional ones the CP-SAT weights are rounded (x 1000) and the
    # LP fallback of the relaxation bounds the unrounded sum, so it could cut off a timetable.
    relax_w: int | None = None
    if not all_required and scale == 1 and len(inst.meetings) <= RELAX_MAX_MEETINGS:
        from .lns import weight_bound

        rb, _ = weight_bound(inst, min(2.0, 0.1 * time_limit_s), seed, workers)
        relax_w = math.floor(rb * scale + 1e-6)
    start_ok = best is not None and _valid_start(inst, best)

    # phase 1: held weight
    if all_required:
        w_star = sum(w)
        weight_proven = True
        bound_w: float | None = sum(m.weight for m in inst.meetings)
    elif start_ok and best is not None and relax_w is not None and sum(w[k] for k in best) >= relax_w:
        # the warm start holds the relaxation's bound: its held weight is optimal
        w_star = sum(w[k] for k in best)
        weight_proven = True
        bound_w = w_star / scale
        stats["phase1"] = {"status": "skipped", "reason": "the warm start reaches the relaxation's bound"}
    else:
        sm = build_slot_model(inst, everything, with_breaks=spread, weights=w)
        if relax_w is not None:
            sm.model.add(sm.weight_expr <= relax_w)
        sm.model.maximize(sm.weight_expr)
        _add_hint(sm, best)
        solver = cp_parameters(
            (deadline - time.monotonic()) * (0.5 if inst.objective.break_weight else 1.0), seed, workers
        )
        code = solver.solve(sm.model, _Reporter("weight", started, on_progress, 1, scale))
        st = _status(code)
        stats["phase1"] = {
            "status": st,
            "wall_time_s": round(solver.wall_time, 3),
            "objective": solver.objective_value / scale if st in ("optimal", "feasible") else None,
            "bound": solver.best_objective_bound / scale,
        }
        if st == "infeasible":
            stats["wall_time_s"] = round(time.monotonic() - started, 3)
            return make_result(inst, None, "infeasible", bound_weight=None, bound_breaks=None, stats=stats)
        if st not in ("optimal", "feasible"):
            if best is not None and not _fair(inst, best):
                best = None
            if best is None:
                stats["wall_time_s"] = round(time.monotonic() - started, 3)
                return make_result(
                    inst,
                    None,
                    "unknown",
                    bound_weight=solver.best_objective_bound / scale,
                    bound_breaks=None,
                    stats=stats,
                )
            w_star = sum(w[k] for k in best)
            weight_proven = False
            bound_w = solver.best_objective_bound / scale
        else:
            found = sm.slots_of(solver)
            # CP-SAT may drop a warm start it cannot complete, and phase 1 ignores breaks: keep the
            # warm start (when it is a valid timetable) unless phase 1 holds more weight or, at the
            # same weight, has fewer breaks
            if not start_ok or best is None or _rank(inst, w, found) > _rank(inst, w, best):
                best = found
            w_star = sum(w[k] for k in best)
            weight_proven = st == "optimal" or (relax_w is not None and w_star >= relax_w)
            bound_w = solver.best_objective_bound / scale
    if not inst.objective.break_weight:
        stats["wall_time_s"] = round(time.monotonic() - started, 3)
        return make_result(
            inst,
            best,
            "optimal" if weight_proven else "feasible",
            bound_weight=bound_w,
            bound_breaks=None,
            stats=stats,
        )

    # phase 2: breaks, with the held weight fixed
    sm = build_slot_model(inst, everything, weights=w, min_weight=None if all_required else w_star)
    if sm.infeasible_reason:
        stats["reason"] = sm.infeasible_reason
    probing = PROBE and (PROBE_FIRST > 0 or workers >= 2)
    bounds = participant_break_bounds(inst) if all_required and probing else None
    best2: dict[int, int] | None
    lower: int | None
    if bounds is not None and not sm.infeasible_reason and PROBE_FIRST:
        race = _Race(max(sm.lower_bound, sum(bounds.values())))
        mx = _start_maxsat(inst, bounds, race, stats) if MAXSAT and maxsat.eligible(inst) else None
        imp = (
            _start_improve(inst, bounds, race, stats, best, started, on_progress)
            if IMPROVE and maxsat.eligible(inst)
            else None
        )
        # forked now too, while the parent has no solver threads; it may take RC2's core later
        dv = _start_dive(inst, bounds, race, stats, started, on_progress) if DIVE and mx and imp else None
        try:
            now = time.monotonic()
            _probe_levels(
                inst,
                bounds,
                race,
                now + (deadline - now) * PROBE_FIRST,
                seed,
                stats,
                min(workers, PROBE_WORKERS),
                hint=best if PROBE_HINT else None,
                max_extra=MAXSAT_PROBE_MAX_EXTRA if mx is not None else None,
                above_s=PROBE_ABOVE_S * time_limit_s / 10 if imp is not None else None,
            )
            st, best2, lower = "unknown", None, None
            if imp is not None:
                imp.go()  # the probe did not decide: the SAT search starts if it has not yet
            if imp is not None and IMPROVE_ALONE:
                # the SAT search and RC2 take the two cores; the CP-SAT minimisation only runs
                # if the search's child ends without a decision (an error)
                swap_at = started + DIVE_AFTER * time_limit_s
                while not race.done and time.monotonic() < deadline and imp.searching():
                    if (
                        dv is not None
                        and mx is not None
                        and not race.rc2_raised
                        and time.monotonic() >= swap_at
                    ):
                        # RC2 has not raised the probe's bound: that bound may be the optimum, and
                        # the dive looks for a timetable at it on RC2's core
                        mx.stop()
                        with race.lock:
                            target = race.lower
                        dv.go(target)
                        stats["dive_after_s"] = round(time.monotonic() - started, 3)
                        swap_at = math.inf
                    race.finished.wait(0.05)
            if race.found is None and not race.done and time.monotonic() < deadline:
                sm.lower_bound = race.lower
                # while RC2 runs it keeps a core of its own
                st, best2, lower = _minimise_breaks(
                    sm,
                    best,
                    deadline,
                    seed,
                    max(1, workers - 1) if mx is not None else workers,
                    started,
                    on_progress,
                    stats,
                    race,
                )
        finally:
            if mx is not None:
                mx.stop()
                stats["maxsat"] = mx.stats
            if imp is not None:
                imp.stop()
                stats["improve"] = imp.stats
            if dv is not None:
                dv.stop()
                stats["dive"] = dv.stats
        with race.lock:
            race.close_gap()
            race_found, race_lower, incumbent = race.found, race.lower, race.incumbent
        if race_found is not None:
            st, best2, lower = "optimal", race_found, race_lower
        elif race.infeasible:
            st, best2, lower = "infeasible", None, None
        elif st != "infeasible":
            # a bound proven by the MaxSAT cores may close the gap of the minimisation's timetable
            lower = race_lower if lower is None else max(lower, race_lower)
            # the SAT search's timetable when it has fewer breaks than the minimisation's
            if incumbent is not None and (best2 is None or incumbent[0] < _breaks(inst, best2)):
                st, best2 = "feasible", incumbent[1]
                stats["returned"] = "solution-improving SAT"
            if best2 is not None and _breaks(inst, best2) <= lower:
                st = "optimal"
    elif bounds is not None and not sm.infeasible_reason:
        st, best2, lower = _minimise_with_probe(
            inst, sm, bounds, best, deadline, seed, workers, started, on_progress, stats
        )
    else:
        st, best2, lower = _minimise_breaks(sm, best, deadline, seed, workers, started, on_progress, stats)
        # the minimisation may stop at a timetable with more breaks than its hint (or none at all)
        if (
            not all_required
            and best is not None
            and st in ("feasible", "unknown")
            and (not spread or _fair(inst, best))
            and (best2 is None or _rank(inst, w, best) > _rank(inst, w, best2))
        ):
            st, best2 = "feasible", best
    stats["wall_time_s"] = round(time.monotonic() - started, 3)
    if st == "infeasible":
        return make_result(
            inst,
            None,
            "infeasible" if (all_required or weight_proven) else "unknown",
            bound_weight=None,
            bound_breaks=None,
            stats=stats,
        )
    if best2 is not None:
        status: Status = "optimal" if (st == "optimal" and weight_proven) else "feasible"
        return make_result(inst, best2, status, bound_weight=bound_w, bound_breaks=lower, stats=stats)
    # no solution in phase 2: fall back on phase 1's schedule when it respects fairness
    if best is not None and not spread and not all_required:
        return make_result(inst, best, "feasible", bound_weight=bound_w, bound_breaks=lower, stats=stats)
    return make_result(inst, None, "unknown", bound_weight=bound_w, bound_breaks=lower, stats=stats)


#: The probe thread runs beside a minimisation on all workers (True) or on one worker fewer.
PROBE_SHARES_CORES = False
#: Run the probe at all (the benchmarks compare with it off).
PROBE = True
#: Race core-guided MaxSAT (:mod:`.maxsat`, RC2 in a child process) against the probe-first solve
#: when every meeting is required and the encoding is small (:func:`maxsat.eligible`).
MAXSAT = True
#: Beside the MaxSAT race the probe stops above this many breaks over the bounds and the
#: minimisation runs on one worker fewer, so that RC2 keeps a core: no probe level two or more
#: above the bounds was ever decided within 10 s (tic-13crafc, ticf-13crafb, forum-13crafb), while
#: RC2 sharing two cores with both CP-SAT workers took 9.2 s on tic-13crafc instead of 6 s alone.
MAXSAT_PROBE_MAX_EXTRA = 1
#: Run the solution-improving SAT search (:func:`.maxsat.improve_sat`) in a child process beside the
#: probe and RC2 whenever RC2 runs, so that a solve that proves nothing still returns a timetable
#: with few breaks (issue 22 item 2).
IMPROVE = True
#: Once the probe stops, let the SAT search and RC2 have the cores to themselves instead of running
#: the CP-SAT break minimisation beside them: on the 20 B2BSP originals the minimisation never
#: decided an instance nor returned the timetable (its best was 73-95 breaks where the SAT search
#: had 12-16), and it took CPU from both.
IMPROVE_ALONE = True
#: The dive (:func:`.maxsat.dive_sat`) takes RC2's core when RC2 has not raised the probe's bound
#: after this share of the time limit (False: never).
DIVE = True
DIVE_AFTER = 0.25
#: Beside the SAT search, the probe's levels above the bounds get at most this many seconds per
#: 10 s of time limit: they decide few instances (forum-13crafc's level 1 in 1.6 s), and with two
#: workers they take the cores from the SAT search and RC2 for the first 6 s.
PROBE_ABOVE_S = 2.0
#: When > 0: probe alone first, for at most this share of the remaining time, then minimise on all
#: workers; 0: probe in a thread (one worker) beside a minimisation on one worker fewer. The probe
#: decides most instances in 0.1-1.5 s; forum-14 and ticf-14crafa need 2.5-6 s. The minimisation
#: needs 2-5 s for its first fair timetable on the instances the probe leaves open, hence 0.6.
PROBE_FIRST = 0.6
#: Workers of a probe level in the probe-first mode (at most the solve's workers).
PROBE_WORKERS = 2
#: CP-SAT subsolvers of a probe level with two workers or more: SAT search without the LP finds the
#: timetables (forum-14, forumt-14crafc), the LP at its highest level helps the infeasibility proofs.
#: Measured at level 0 over the 20 originals, each setting alone leaves different instances open.
PROBE_SUBSOLVERS: tuple[str, ...] = ("no_lp", "max_lp")
#: LP level of a one-worker probe solve (None: CP-SAT's default); without the LP, level 0 (before the
#: cumulative) was decided on 16 of 20 originals in 10 s, against 13 with the default (one worker).
PROBE_LINEARIZATION: int | None = 0
#: Hint every probe model with the warm start (the break-aware greedy's timetable).
PROBE_HINT = True
#: Enumerate the participant that takes the one break above the bounds (:func:`_probe_candidates`).
PROBE_CANDIDATES = True
#: Deterministic-time cap of one candidate of that enumeration (a feasible candidate needs 0.4-0.6,
#: an infeasible one about 0.06; the rest are undecided and would eat the budget).
CANDIDATE_DET = 1.0


class _Race:
    """State shared by the probe thread and the minimisation: the best proven lower bound, the
    probe's optimal schedule, and the solvers to stop."""

    def __init__(self, lower: int) -> None:
        self.lock = threading.Lock()
        self.lower = lower
        self.found: dict[int, int] | None = None
        # the best timetable of the solution-improving SAT search: (breaks, schedule)
        self.incumbent: tuple[int, dict[int, int]] | None = None
        # called (with ``lock`` held) whenever the proven bound rises above the bounds' sum: the
        # instance is not decided at level 0, so the SAT search starts
        self.on_stall: Callable[[], None] | None = None
        self._base = lower
        self.infeasible = False  # proven by the MaxSAT race (no fair timetable at all)
        self.rc2_raised = False  # some RC2 core proved more than the bound it started from
        self.done = False
        self.finished = threading.Event()  # set with ``done``, for waiting on the race
        self.solvers: list[cp_model.CpSolver] = []

    def enlist(self, solver: cp_model.CpSolver) -> bool:
        """Let the race stop ``solver``; False (and not enlisted) when the race is already over,
        so the caller must not solve (a solve that never ran has no statistics to read)."""
        with self.lock:
            if self.done:
                return False
            self.solvers.append(solver)
            return True

    def close_gap(self) -> bool:
        """With ``lock`` held: when the incumbent's breaks reach the proven bound it is optimal
        (``found``); True when that happened now, and the caller must :meth:`stop_all`."""
        if self.on_stall is not None and self.lower > self._base:
            self.on_stall()
        if self.found is None and self.incumbent is not None and self.incumbent[0] <= self.lower:
            self.found = self.incumbent[1]
            self.lower = self.incumbent[0]
            return True
        return False

    def stop_all(self) -> None:
        with self.lock:
            self.done = True
            self.finished.set()
            for s in self.solvers:
                s.stop_search()


def _probe_solver(
    deadline: float, seed: int, workers: int, det_limit: float | None = None
) -> cp_model.CpSolver:
    """CP-SAT parameters of one probe solve: the default single-worker search (LP level
    ``PROBE_LINEARIZATION``) or ``PROBE_SUBSOLVERS`` on several workers; ``det_limit`` caps the
    deterministic time, so that a capped solve ends the same way on a loaded or an idle machine."""
    solver = cp_parameters(deadline - time.monotonic(), seed, workers, tuned=False)
    if workers >= 2:
        for name in PROBE_SUBSOLVERS[:workers]:
            solver.parameters.subsolvers.append(name)
    elif PROBE_LINEARIZATION is not None:
        solver.parameters.linearization_level = PROBE_LINEARIZATION
    if det_limit is not None:
        solver.parameters.max_deterministic_time = det_limit
    return solver


def _run_probe(race: _Race, solver: cp_model.CpSolver, sm: SlotModel) -> str:
    """Solve ``sm`` unless the race is over (then "unknown"); the race can stop the solve."""
    if not race.enlist(solver):
        return "unknown"
    return _status(solver.solve(sm.model))


def _probe_candidates(
    inst: Instance,
    bounds: Mapping[str, int],
    race: _Race,
    level_done: threading.Event,
    deadline: float,
    seed: int,
    record: list[dict[str, object]],
    hint: Mapping[int, int] | None = None,
) -> str:
    """Primal side of the level "one break above the bounds": for each candidate participant (most
    constrained first, :func:`cpmodel.extra_break_candidates`), the strong level-0 model (every
    other participant in its window or exact runs) with that one participant at its bound + 1, on
    one worker, each capped in deterministic time. Each such model is about as easy as level 0,
    while the level model, which lets the solver choose the participant, does not find a timetable
    in 10 s on forum-13crafc and ticf-13crafc. Stops when ``level_done`` is set (the level model
    decided the level). Returns "optimal" (``race.found`` set), "infeasible" (every candidate
    proven infeasible: no timetable at this level) or "unknown"."""
    cands = extra_break_candidates(inst, bounds)
    undecided = False
    started = time.monotonic()
    tried = 0
    for p in cands:
        if race.done or level_done.is_set() or time.monotonic() > deadline - 0.1:
            undecided = True
            break
        sm = build_probe_model(inst, {**bounds, p: bounds.get(p, 0) + 1}, 0)
        _add_hint(sm, hint)
        solver = _probe_solver(deadline, seed, 1, CANDIDATE_DET)
        st = _run_probe(race, solver, sm)
        tried += 1
        if st in ("optimal", "feasible"):
            record.append(
                {"candidate": p, "tried": tried, "wall_time_s": round(time.monotonic() - started, 3)}
            )
            with race.lock:
                if race.found is None:
                    race.found = sm.slots_of(solver)
            race.stop_all()
            return "optimal"
        if st != "infeasible":
            undecided = True
    record.append(
        {"candidates": len(cands), "tried": tried, "wall_time_s": round(time.monotonic() - started, 3)}
    )
    return "unknown" if undecided else "infeasible"


def _probe_levels(
    inst: Instance,
    bounds: Mapping[str, int],
    race: _Race,
    deadline: float,
    seed: int,
    stats: dict[str, object],
    workers: int = 1,
    *,
    hint: Mapping[int, int] | None = None,
    max_extra: int | None = None,
    above_s: float | None = None,
) -> None:
    """Linear search from below on ``workers`` workers: is there a timetable with sum(bounds) + j breaks,
    j = 0, 1, ...? Each infeasible level raises ``race.lower``; the first feasible one is optimal.

    With two workers, the level one break above the bounds runs its level model on one worker (it
    proves the level infeasible, as on ticf-13crafb) while the other enumerates the participant
    that takes the break (:func:`_probe_candidates`, which finds the timetables); whichever decides
    the level first stops the other. Every probe model is hinted with ``hint`` (the break-aware
    greedy's timetable, unfair and with many breaks: it still steers CP-SAT to a timetable of
    forum-14's level 0 in about 2 s instead of 4.7-8.7 s). Levels more than ``max_extra`` above
    the bounds are not tried (the MaxSAT race is better at them); with ``above_s``, the levels above
    the bounds together get at most that many seconds."""
    base = sum(bounds.values())
    levels: list[dict[str, object]] = []
    stats["probe"] = levels
    extra = max(0, race.lower - base)
    final = deadline
    while not race.done and time.monotonic() < deadline - 0.05:
        if extra and above_s is not None and deadline == final:
            deadline = min(final, time.monotonic() + above_s)
        if max_extra is not None and extra > max_extra:
            levels.append({"breaks": base + extra, "status": "left to maxsat"})
            return
        sm = build_probe_model(inst, bounds, extra)
        _add_hint(sm, hint)
        split = PROBE_CANDIDATES and extra == 1 and workers >= 2
        solver = _probe_solver(deadline, seed, 1 if split else workers)
        if split:
            level_done = threading.Event()
            result: list[str] = ["unknown"]

            def level(
                solver: cp_model.CpSolver = solver,
                sm: SlotModel = sm,
                result: list[str] = result,
                level_done: threading.Event = level_done,
            ) -> None:
                result[0] = _run_probe(race, solver, sm)
                if result[0] != "unknown":
                    level_done.set()
                    with race.lock:  # the level is decided: stop the candidate in flight
                        for c in race.solvers:
                            if c is not solver:
                                c.stop_search()

            thread = threading.Thread(target=level, daemon=True)
            thread.start()
            record: list[dict[str, object]] = []
            cst = _probe_candidates(inst, bounds, race, level_done, deadline, seed, record, hint)
            if cst == "optimal":
                solver.stop_search()
            thread.join()
            st = result[0]
            levels.append({"breaks": base + extra, "status": st, "wall_time_s": _wall(solver)})
            levels.append({"breaks": base + extra, "status": cst, "candidates": record})
            if cst == "optimal":
                with race.lock:
                    race.lower = max(race.lower, base + extra)
                return
            if cst == "infeasible" and st == "unknown":
                st = "infeasible"  # every participant tried: none can take the one break
        else:
            st = _run_probe(race, solver, sm)
            levels.append({"breaks": base + extra, "status": st, "wall_time_s": _wall(solver)})
        if st in ("optimal", "feasible"):
            with race.lock:
                if race.found is None:
                    race.found = sm.slots_of(solver)
                race.lower = max(race.lower, base + extra)
            race.stop_all()
            return
        if st != "infeasible":
            return
        with race.lock:
            race.lower = max(race.lower, base + extra + 1)
            closed = race.close_gap()
        if closed:
            race.stop_all()
            return
        extra += 1


def _valid_start(inst: Instance, slot_of: Mapping[int, int]) -> bool:
    """True when a warm start (the greedy's timetable, or a caller's hint) holds every required
    meeting and respects the fairness bound; the greedy respects every other rule."""
    return all(k in slot_of for k, m in enumerate(inst.meetings) if m.required) and _fair(inst, slot_of)


def _rank(inst: Instance, w: list[int], slot_of: Mapping[int, int]) -> tuple[int, int]:
    """The lexicographic objective of a timetable as a key to maximise: held weight, then -breaks."""
    return sum(w[k] for k in slot_of), -_breaks(inst, slot_of)


def _wall(solver: cp_model.CpSolver) -> float | None:
    """CP-SAT's wall time of a solve, None when the solve never ran (the race was already over)."""
    try:
        return round(solver.wall_time, 3)
    except RuntimeError:
        return None


def _breaks_by_participant(inst: Instance, slot_of: Mapping[int, int]) -> dict[str, int]:
    """The validator's break count per participant of a slot solution (meeting index -> slot index)."""
    ids = {inst.meetings[k].id: inst.slots[s].id for k, s in slot_of.items()}
    return participant_breaks(inst, ids)


def _breaks(inst: Instance, slot_of: Mapping[int, int]) -> int:
    """Total breaks of a slot solution."""
    return sum(_breaks_by_participant(inst, slot_of).values())


def _raise_lower(race: _Race, value: int) -> None:
    """A child proved ``value`` as a lower bound: raise the race's bound; stop the race when that
    makes the incumbent optimal."""
    with race.lock:
        race.lower = max(race.lower, value)
        closed = race.close_gap()
    if closed:
        race.stop_all()


def _holds(inst: Instance, stats: dict[str, object], key: str, value: int, slot_of: dict[int, int]) -> bool:
    """True when a child's timetable holds every meeting, passes the validator (fairness too) and
    has the breaks it claims; otherwise ``stats[key]`` records the rejection (never expected: the
    encodings are exact)."""
    res = make_result(inst, slot_of, "feasible", bound_weight=None, bound_breaks=None, stats={})
    if len(slot_of) != len(inst.meetings) or validate(inst, res) or res.objective.breaks != value:
        stats[key] = True
        return False
    return True


def _offer(
    race: _Race, value: int, slot_of: dict[int, int], started: float, on_progress: ProgressFn | None
) -> None:
    """Keep a checked timetable as the race's incumbent when it has fewer breaks, report progress,
    and stop the race when its breaks reach the proven bound."""
    with race.lock:
        if race.incumbent is None or value < race.incumbent[0]:
            race.incumbent = (value, dict(slot_of))
        closed = race.close_gap()
        lower = race.lower
    if on_progress is not None:
        on_progress(Progress("breaks", float(value), float(lower), time.monotonic() - started))
    if closed:
        race.stop_all()


def _start_maxsat(
    inst: Instance, bounds: Mapping[str, int], race: _Race, stats: dict[str, object]
) -> maxsat.MaxSatRace:
    """Start RC2 (:mod:`.maxsat`) beside the probe: each core raises ``race.lower``; an optimal
    timetable is checked with the validator (every meeting held, fairness, its breaks equal to the
    claimed optimum) before it wins the race and stops the CP-SAT solves."""

    def on_lower(value: int) -> None:
        with race.lock:
            race.rc2_raised = race.rc2_raised or value > race.lower
        _raise_lower(race, value)

    def on_optimal(value: int, slot_of: dict[int, int]) -> None:
        res = make_result(inst, slot_of, "optimal", bound_weight=None, bound_breaks=None, stats={})
        if len(slot_of) != len(inst.meetings) or validate(inst, res) or res.objective.breaks != value:
            stats["maxsat_rejected"] = True  # never expected: the encoding is exact
            return
        with race.lock:
            if race.found is None:
                race.found = dict(slot_of)
                race.lower = value
        race.stop_all()

    def on_infeasible() -> None:
        # no timetable respects the hard rules and the fairness bound; the probe would otherwise
        # try level after level until its deadline
        with race.lock:
            race.infeasible = True
        race.stop_all()

    return maxsat.MaxSatRace(inst, bounds, on_lower, on_optimal, on_infeasible)


def _start_improve(
    inst: Instance,
    bounds: Mapping[str, int],
    race: _Race,
    stats: dict[str, object],
    start: Mapping[int, int] | None,
    started: float,
    on_progress: ProgressFn | None,
) -> maxsat.MaxSatRace:
    """Fork the solution-improving SAT search (:func:`.maxsat.improve_sat`) beside the probe and
    RC2; it starts once the probe proves a level infeasible (``race.on_stall``) or stops without
    a decision, so that it takes no core from the instances that level 0 decides (most B2BSP
    originals, in 0.05-2.4 s). Each of its timetables is checked with the validator (every meeting
    held, fairness, the claimed breaks) and kept as ``race.incumbent`` when it has fewer breaks;
    once its breaks reach the proven bound (its own "unsatisfiable", a probe level, an RC2 core) it
    is optimal and wins."""

    def on_better(value: int, slot_of: dict[int, int]) -> None:
        if _holds(inst, stats, "improve_rejected", value, slot_of):
            _offer(race, value, slot_of, started, on_progress)

    def on_optimal(value: int, slot_of: dict[int, int]) -> None:
        if not _holds(inst, stats, "improve_rejected", value, slot_of):
            return
        with race.lock:  # "unsatisfiable" below this timetable's breaks: it is optimal
            race.incumbent = (value, dict(slot_of))
            race.lower = max(race.lower, value)
            race.close_gap()
        race.stop_all()

    def on_infeasible() -> None:
        with race.lock:
            race.infeasible = True
        race.stop_all()

    mx = maxsat.MaxSatRace(
        inst,
        bounds,
        lambda _value: None,
        on_optimal,
        on_infeasible,
        improve_from=start,
        on_better=on_better,
        wait_for_go=True,
    )
    race.on_stall = mx.go
    return mx


def _start_dive(
    inst: Instance,
    bounds: Mapping[str, int],
    race: _Race,
    stats: dict[str, object],
    started: float,
    on_progress: ProgressFn | None,
) -> maxsat.MaxSatRace:
    """Fork the dive (:func:`.maxsat.dive_sat`); it waits until the solve gives it RC2's core and a
    target. Its timetable is checked with the validator and, being at the proven bound, wins; its
    "unsatisfiable" raises the bound."""

    def on_found(value: int, slot_of: dict[int, int]) -> None:
        if _holds(inst, stats, "dive_rejected", value, slot_of):
            _offer(race, value, slot_of, started, on_progress)

    return maxsat.MaxSatRace(
        inst,
        bounds,
        lambda value: _raise_lower(race, value),
        lambda _v, _s: None,
        lambda: None,
        on_better=on_found,
        dive=True,
    )


class _StopAtBound(_Reporter):
    def __init__(self, race: _Race, started: float, on_progress: ProgressFn | None) -> None:
        super().__init__("breaks", started, on_progress, 1, 1)
        self.race = race

    def on_solution_callback(self) -> None:
        super().on_solution_callback()
        if self.objective_value <= self.race.lower:
            self.stop_search()


def _minimise_with_probe(
    inst: Instance,
    sm: SlotModel,
    bounds: Mapping[str, int],
    hint: Mapping[int, int] | None,
    deadline: float,
    seed: int,
    workers: int,
    started: float,
    on_progress: ProgressFn | None,
    stats: dict[str, object],
) -> tuple[str, dict[int, int] | None, int | None]:
    """Every meeting required, one group: minimise breaks on ``workers - 1`` workers while one
    worker probes from below (:func:`_probe_levels`); whichever proves the optimum first stops the
    other. Returns (status, schedule, proven lower bound)."""
    race = _Race(max(sm.lower_bound, sum(bounds.values())))
    probe = threading.Thread(
        target=_probe_levels, args=(inst, bounds, race, deadline, seed, stats), daemon=True
    )
    probe.start()
    sm.lower_bound = race.lower
    m = sm.model.clone()
    m.add(sm.breaks_expr >= sm.lower_bound)
    m.minimize(sm.breaks_expr)
    _add_hint_to(m, sm, hint)
    main_workers = workers if PROBE_SHARES_CORES else workers - 1
    solver = cp_parameters(max(0.1, deadline - time.monotonic()), seed, main_workers)
    prm = solver.parameters
    prm.linearization_level = 0
    for name in BREAK_SUBSOLVERS[:main_workers]:
        prm.subsolvers.append(name)
    stopped = not race.enlist(solver)
    value: int | None = None
    if stopped:  # the probe decided before the minimisation started: nothing to read from it
        st = "unknown"
        stats["phase2"] = {"status": "not run"}
    else:
        st = _status(solver.solve(m, _StopAtBound(race, started, on_progress)))
        has = st in ("optimal", "feasible")
        value = round(solver.objective_value) if has else None
        stats["phase2"] = {
            "status": st,
            "wall_time_s": round(solver.wall_time, 3),
            "deterministic_time": round(solver.deterministic_time, 3),
            "objective": value,
            "bound": solver.best_objective_bound if has or st == "unknown" else None,
        }
    if st == "optimal" or (value is not None and value <= race.lower):
        race.stop_all()
    probe.join(max(0.0, deadline - time.monotonic()) + 1.0)
    race.stop_all()
    probe.join()
    with race.lock:
        lower = race.lower
        found = race.found
    if st == "infeasible":
        return st, None, None
    if st == "optimal" and value is not None:
        lower = max(lower, value)
    if found is not None:
        return "optimal", found, lower
    if value is not None:
        return ("optimal" if value <= lower else "feasible"), sm.slots_of(solver), lower
    if st == "unknown" and not stopped:
        lower = max(lower, round(solver.best_objective_bound))
    return st, None, lower


def _minimise_breaks(
    sm: SlotModel,
    hint: Mapping[int, int] | None,
    deadline: float,
    seed: int,
    workers: int,
    started: float,
    on_progress: ProgressFn | None,
    stats: dict[str, object],
    race: _Race | None = None,
) -> tuple[str, dict[int, int] | None, int | None]:
    """Minimise breaks with the held weight already fixed in ``sm``.

    Measured on the B2BSP set, SAT-style search without the LP relaxation ("no_lp") finds the
    zero-break timetables that LP-guided search misses, and a second worker that raises the lower
    bound (``objective_lb_search_no_lp``) proves the small non-zero optima. With ``race`` (the
    MaxSAT race still runs) the solve can be stopped by it, and stops itself at a timetable whose
    breaks reach the race's proven bound.
    Returns (status, schedule, proven lower bound).
    """
    lower = sm.lower_bound
    # minimise from the proven bound, SAT-style search
    m = sm.model.clone()
    m.add(sm.breaks_expr >= lower)
    m.minimize(sm.breaks_expr)
    _add_hint_to(m, sm, hint)
    solver = cp_parameters(max(0.1, deadline - time.monotonic()), seed, workers)
    prm = solver.parameters
    prm.linearization_level = 0
    if workers >= 2:
        for name in BREAK_SUBSOLVERS[:workers]:
            prm.subsolvers.append(name)
    if race is not None:
        if not race.enlist(solver):  # the race was decided before the minimisation started
            stats["phase2"] = {"status": "not run"}
            return "unknown", None, lower
        code = solver.solve(m, _StopAtBound(race, started, on_progress))
    else:
        code = solver.solve(m, _Reporter("breaks", started, on_progress, 1, 1))
    st = _status(code)
    stats["phase2"] = {
        "status": st,
        "wall_time_s": round(solver.wall_time, 3),
        "deterministic_time": round(solver.deterministic_time, 3),
        "objective": solver.objective_value if st in ("optimal", "feasible") else None,
        "bound": solver.best_objective_bound,
    }
    # CP-SAT's bound can lag the bound the model starts from (with no solution it may report 0)
    if st in ("optimal", "feasible"):
        return st, sm.slots_of(solver), max(lower, round(solver.best_objective_bound))
    return st, None, max(lower, round(solver.best_objective_bound)) if st == "unknown" else None


def _add_hint_to(model: cp_model.CpModel, sm: SlotModel, slot_of: Mapping[int, int] | None) -> None:
    if not slot_of:
        return
    for (k, s), v in sm.x.items():
        model.add_hint(v, slot_of.get(k) == s)


def _add_hint(sm: object, slot_of: Mapping[int, int] | None) -> None:
    if not slot_of:
        return
    from .cpmodel import SlotModel

    assert isinstance(sm, SlotModel)
    for (k, s), v in sm.x.items():
        sm.model.add_hint(v, slot_of.get(k) == s)


def _solve_plain(
    inst: Instance,
    time_limit_s: float,
    seed: int,
    workers: int,
    on_progress: ProgressFn | None,
    started: float,
) -> Result:
    """Baseline: one straightforward model (weight x big-M minus breaks), default parameters."""
    w = int_weights(inst)
    sm = build_slot_model(inst, range(len(inst.meetings)), implied=False, weights=w)
    big = len(inst.participants) * len(inst.slots) + 1
    if all(m.required for m in inst.meetings):
        sm.model.minimize(sm.breaks_expr)
    else:
        sm.model.maximize(cp_model.LinearExpr.weighted_sum([sm.weight_expr, sm.breaks_expr], [big, -1]))
    solver = cp_parameters(time_limit_s, seed, workers, tuned=False)
    code = solver.solve(sm.model)
    st = _status(code)
    stats: dict[str, object] = {
        "solver": "cp-sat plain",
        "wall_time_s": round(time.monotonic() - started, 3),
        "workers": workers,
        "seed": seed,
    }
    if st in ("optimal", "feasible"):
        return make_result(
            inst,
            sm.slots_of(solver),
            cast(Status, st),
            bound_weight=None,
            bound_breaks=round(solver.best_objective_bound)
            if all(m.required for m in inst.meetings)
            else None,
            stats=stats,
        )
    return make_result(
        inst,
        None,
        "infeasible" if st == "infeasible" else "unknown",
        bound_weight=None,
        bound_breaks=None,
        stats=stats,
    )
