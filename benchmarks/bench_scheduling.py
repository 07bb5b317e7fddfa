"""Benchmark of the meeting scheduler (ascnhub.engine.scheduling); prints ONE JSON object.

Cases (issue 3):
  b2bsp       the 20 B2BSP originals (fairness d=2) against the published optima, our solver,
              our solver without the probe from below, and the plain CP-SAT model in the same run;
              the forb0003 and fixed020 variants (--full)
  precedence  precedence variants of the 20 originals from our generator (issue 22 item 3; --full,
              or --only precedence; --precedence-share, --precedence-seed)
  generated   300 / 1,200 / 2,000 participants x 5 / 8 requests, two days of 20-minute slots:
              held weight / proven bound, breaks, time, beside the greedy baseline
  very_large  2,200 participants, ~50,000 requested meetings, 100 slots (--full)
  reschedule  5 % cancellations + 5 % new requests on the 1,200-participant instance
  trade_show  2,200 participants, ~50,000 meetings, 5 days x 19 slots, 120 s (--trade-time), with
              the solver's progress reports (issue 22 item 5)
  curves      quality at 1, 3, 10 and 30 s on the platform's demo meeting and on 1,200 x 5
  mixed       300 / 1,200 x 5 with ~10 % of the meetings required and ~3 % pinned (issue 22 item 4)

A run of every part (or --write-docs) keeps the JSON as docs/benchmarks/scheduling.json and
rewrites the tables in docs/benchmarks-scheduling.md; --tables-from JSON only rewrites the tables.

Each case runs in a fresh child process so that its memory peak (ru_maxrss) is its own.
Usage: python benchmarks/bench_scheduling.py [--quick | --full] [--b2bsp-time S] [--event-time S]
       [--only PART] [--write-docs] [--tables-from JSON]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _b2bsp_dir() -> Path:
    for cand in (ROOT.parent / "shared" / "benchmarks" / "b2bsp", ROOT / "shared" / "benchmarks" / "b2bsp"):
        if cand.is_dir():
            return cand
    raise SystemExit("shared/benchmarks/b2bsp not found")


# ----------------------------------------------------------------------------------------- cases
def case_b2bsp(spec: dict) -> dict:
    from ascnhub.engine.scheduling import read_instance, solve, validate
    from ascnhub.engine.scheduling import solver as solver_module

    solver_module.PROBE = spec.get("probe", True)
    inst = read_instance(spec["file"])
    if spec.get("precedences"):
        from ascnhub.engine.scheduling.generator import with_precedences

        inst = with_precedences(inst, spec["precedences"], spec.get("variant_seed", 1))
    t = time.monotonic()
    res = solve(inst, time_limit_s=spec["time_limit"], seed=0, workers=spec["workers"], method=spec["method"])
    wall = time.monotonic() - t
    return {
        "status": res.status,
        "breaks": res.objective.breaks if res.assignments else None,
        "bound_breaks": res.objective.bound_breaks,
        "wall_time_s": round(wall, 2),
        "valid": not validate(inst, res) if res.assignments else None,
        "reason": res.stats.get("reason"),
        "probe": res.stats.get("probe"),
        "maxsat": res.stats.get("maxsat"),
        "improve": res.stats.get("improve"),
        "returned": res.stats.get("returned"),
        "precedences": sum(len(m.after) for m in inst.meetings),
    }


def case_generated(spec: dict) -> dict:
    from ascnhub.engine.scheduling import generate, solve, validate
    from ascnhub.engine.scheduling.greedy import greedy_slots
    from ascnhub.engine.scheduling.solver import make_result

    t = time.monotonic()
    inst = generate(
        spec["participants"],
        spec["seed"],
        requests_per_participant=spec["requests"],
        days=spec.get("days", 2),
        slots_per_day=spec.get("slots_per_day"),
    )
    gen_s = time.monotonic() - t
    t = time.monotonic()
    g = greedy_slots(inst)
    greedy_s = time.monotonic() - t
    gres = make_result(inst, g, "feasible", bound_weight=None, bound_breaks=None, stats={})
    t = time.monotonic()
    res = solve(inst, time_limit_s=spec["time_limit"], seed=0, workers=spec["workers"])
    wall = time.monotonic() - t
    bound = res.objective.bound_held_weight
    return {
        "participants": len(inst.participants),
        "meetings": len(inst.meetings),
        "slots": len(inst.slots),
        "locations": len(inst.locations),
        "requested_weight": sum(m.weight for m in inst.meetings),
        "generate_s": round(gen_s, 2),
        "ours": {
            "status": res.status,
            "held_weight": res.objective.held_weight,
            "bound_held_weight": bound,
            "fraction_of_bound": round(res.objective.held_weight / bound, 5) if bound else None,
            "breaks": res.objective.breaks,
            "wall_time_s": round(wall, 2),
            "valid": not validate(inst, res),
            "solver": res.stats.get("solver"),
            "lns_iterations": res.stats.get("lns_iterations"),
        },
        "greedy": {
            "held_weight": gres.objective.held_weight,
            "fraction_of_bound": round(gres.objective.held_weight / bound, 5) if bound else None,
            "breaks": gres.objective.breaks,
            "wall_time_s": round(greedy_s, 3),
            "valid": not validate(inst, gres),
        },
        "breaks_ratio_ours_to_greedy": round(res.objective.breaks / gres.objective.breaks, 4)
        if gres.objective.breaks
        else None,
    }


def case_reschedule(spec: dict) -> dict:
    from ascnhub.engine.scheduling import Meeting, generate, reschedule, solve, validate

    inst = generate(spec["participants"], spec["seed"], requests_per_participant=spec["requests"])
    before = solve(inst, time_limit_s=spec["solve_time"], seed=0, workers=spec["workers"])
    rng = random.Random(42)
    ids = [m.id for m in inst.meetings]
    cancelled = set(rng.sample(ids, len(ids) // 20))
    people = [p.id for p in inst.participants]
    existing = {frozenset(m.participants) for m in inst.meetings}
    new: list[Meeting] = []
    while len(new) < len(ids) // 20:
        pair = frozenset(rng.sample(people, 2))
        if pair in existing:
            continue
        existing.add(pair)
        new.append(Meeting(f"new{len(new)}", tuple(sorted(pair)), rng.choice((1, 2, 3))))
    changed = dataclasses.replace(
        inst, meetings=tuple(m for m in inst.meetings if m.id not in cancelled) + tuple(new)
    )
    t = time.monotonic()
    after = reschedule(changed, before, time_limit_s=spec["time_limit"], workers=spec["workers"])
    wall = time.monotonic() - t
    prev = {a.meeting: (a.slot, a.location) for a in before.assignments}
    now = {a.meeting: (a.slot, a.location) for a in after.assignments}
    unaffected_moved = sum(1 for m, w in prev.items() if m not in cancelled and now.get(m) != w)
    return {
        "meetings_before": len(inst.meetings),
        "cancelled": len(cancelled),
        "new_requests": len(new),
        "held_before": len(before.assignments),
        "held_after": len(after.assignments),
        "new_held": after.stats.get("added"),
        "moved": after.stats.get("moved"),
        "previously_held_not_kept_in_place": unaffected_moved,
        "wall_time_s": round(wall, 2),
        "valid": not validate(changed, after),
        "held_weight_after": after.objective.held_weight,
        "breaks_after": after.objective.breaks,
        "breaks_before": before.objective.breaks,
    }


DEMO_SLUG = "asean-japan-hlm-2021"


def demo_instance_file(folder: Path) -> Path | None:
    """The platform's demo meeting as an ``ascnhub-schedule/1`` file, built in a scratch data dir
    (``ascnhub migrate``, ``ascnhub demo load``, ``ascnhub matchmaking export-instance``); None
    when the web platform cannot run here (then the curve uses a generated instance of its shape)."""
    out = folder / "demo.json"
    if out.is_file():
        return out
    env = {**os.environ, "ASCNHUB_DATA_DIR": str(folder / "data"), "PYTHONPATH": str(ROOT / "src")}
    steps = (
        ["migrate", "-v0", "--noinput"],
        ["demo", "load"],
        ["matchmaking", "export-instance", DEMO_SLUG, "--out", str(out)],
    )
    for step in steps:
        proc = subprocess.run(
            [sys.executable, "-m", "ascnhub.cli", *step], env=env, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            print(f"demo instance not built ({' '.join(step)}): {proc.stderr[-300:]}", file=sys.stderr)
            return None
    return out


def _demo_shaped(seed: int) -> object:
    """A generated instance of the demo's shape: 239 participants, about 2 requests each, one day of
    14 slots in two groups, no forum sessions or exhibitors (used when the demo cannot be built)."""
    from ascnhub.engine.scheduling import generate

    return generate(
        239, seed, requests_per_participant=2, days=1, slots_per_day=14, forum_share=0, exhibitor_share=0
    )


def _load(spec: dict) -> object:
    from ascnhub.engine.scheduling import generate, read_instance

    if spec.get("file"):
        return read_instance(spec["file"])
    if spec.get("demo_shaped"):
        return _demo_shaped(spec["seed"])
    return generate(
        spec["participants"],
        spec["seed"],
        requests_per_participant=spec["requests"],
        days=spec.get("days", 2),
        slots_per_day=spec.get("slots_per_day"),
    )


def _mix(inst: object, seed: int) -> object:
    """Make about 10 % of the meetings the greedy places required, and pin about 30 % of those to
    the slot and a free location of the right kind (as an organiser pins a meeting)."""
    from ascnhub.engine.scheduling import instance_from_dict, instance_to_dict
    from ascnhub.engine.scheduling.greedy import greedy_slots

    rng = random.Random(seed)
    greedy = greedy_slots(inst, break_aware=True)
    tables = [loc.id for loc in inst.locations if loc.kind == "table"]
    rooms = [loc.id for loc in inst.locations if loc.kind == "virtual"]
    meetings = list(inst.meetings)
    used: set[tuple[str, int]] = set()
    for k, m in enumerate(meetings):
        if k not in greedy or rng.random() > 0.1:
            continue
        pin = None
        if rng.random() < 0.3 and inst.home_of(m) is None:
            pool = tables if inst.is_in_person(m) else rooms
            free = [
                loc
                for loc in pool
                if (loc, greedy[k]) not in used and inst.location_open(inst.location_by_id[loc], greedy[k])
            ]
            if free:
                pin = rng.choice(free)
                used.add((pin, greedy[k]))
        meetings[k] = dataclasses.replace(
            m, required=True, fixed_slot=inst.slots[greedy[k]].id if pin else None, fixed_location=pin
        )
    return instance_from_dict(instance_to_dict(dataclasses.replace(inst, meetings=tuple(meetings))))


def case_event(spec: dict) -> dict:
    """One solve of a demo, generated or mixed instance at one time limit, beside the greedy warm
    start; with ``progress`` the solver's progress reports (quality against time in one run)."""
    from ascnhub.engine.scheduling import solve, validate
    from ascnhub.engine.scheduling.greedy import greedy_slots
    from ascnhub.engine.scheduling.solver import make_result

    t = time.monotonic()
    inst = _load(spec)
    if spec.get("mixed"):
        inst = _mix(inst, spec["seed"])
    gen_s = time.monotonic() - t
    t = time.monotonic()
    g = greedy_slots(inst, break_aware=True)
    greedy_s = time.monotonic() - t
    gres = make_result(inst, g, "feasible", bound_weight=None, bound_breaks=None, stats={})
    events: list[list[float | None]] = []

    def progress(p: object) -> None:
        events.append([round(p.elapsed_s, 2), p.objective, p.bound])

    t = time.monotonic()
    res = solve(
        inst,
        time_limit_s=spec["time_limit"],
        seed=0,
        workers=spec["workers"],
        on_progress=progress if spec.get("progress") else None,
    )
    wall = time.monotonic() - t
    bound = res.objective.bound_held_weight
    o, go = res.objective, gres.objective
    return {
        "participants": len(inst.participants),
        "meetings": len(inst.meetings),
        "required": sum(m.required for m in inst.meetings),
        "pinned": sum(m.fixed_location is not None for m in inst.meetings),
        "slots": len(inst.slots),
        "instance_s": round(gen_s, 2),
        "ours": {
            "status": res.status,
            "held_weight": o.held_weight,
            "bound_held_weight": bound,
            "fraction_of_bound": round(o.held_weight / bound, 5) if bound else None,
            "breaks": o.breaks,
            "bound_breaks": o.bound_breaks,
            "wall_time_s": round(wall, 2),
            "valid": not validate(inst, res),
            "solver": res.stats.get("solver"),
            "returned": res.stats.get("returned", "solver"),
        },
        "greedy": {
            "held_weight": go.held_weight,
            "fraction_of_bound": round(go.held_weight / bound, 5) if bound else None,
            "breaks": go.breaks,
            "wall_time_s": round(greedy_s, 3),
            "valid": not validate(inst, gres),
        },
        "not_worse_than_greedy": (o.held_weight, -o.breaks) >= (go.held_weight, -go.breaks)
        or bool(validate(inst, gres)),
        "progress": events[-200:] if spec.get("progress") else None,
    }


CASES = {
    "b2bsp": case_b2bsp,
    "generated": case_generated,
    "reschedule": case_reschedule,
    "event": case_event,
}


def run_child(spec: dict) -> dict:
    """Run one case in a fresh interpreter; add its memory peak."""
    t = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--case", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
        timeout=spec.get("time_limit", 60) * 3 + 600,
    )
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1:] or ["failed"],
            "wall_time_s": time.monotonic() - t,
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child_main(spec_json: str) -> None:
    spec = json.loads(spec_json)
    out = CASES[spec["kind"]](spec)
    out["memory_peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # the largest child process (the MaxSAT race runs RC2 in one)
    out["memory_peak_children_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print(json.dumps(out))


# ------------------------------------------------------------------------------------------ docs
DOC = ROOT / "docs" / "benchmarks-scheduling.md"
DOC_JSON = ROOT / "docs" / "benchmarks" / "scheduling.json"
BEGIN = (
    "<!-- begin: tables written by benchmarks/bench_scheduling.py from docs/benchmarks/scheduling.json -->"
)
END = "<!-- end: tables written by benchmarks/bench_scheduling.py -->"


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(_cell(c) for c in r) + " |" for r in rows),
        "",
    ]


def tables(out: dict) -> list[str]:
    """The Markdown tables of one run (every figure read from ``out``, the script's JSON)."""
    env = out.get("environment", {})
    inp = out.get("inputs", {})

    def load(key: str) -> str:
        return ", ".join(f"{x:.2f}" for x in env.get(key) or [])

    lines = [
        f"Run of {out.get('date_utc', '?')} UTC, mode {out.get('mode')}, {env.get('cpu_count')} CPUs, "
        f"{env.get('workers')} workers, OR-Tools {env.get('ortools')}, Python {env.get('python')}; "
        f"load average (1, 5, 15 min) at start {load('load_average_at_start')}, at end "
        f"{load('load_average_at_end')}; "
        f"total {out.get('total_wall_time_s')} s. Peak memory: each case's own process (RC2 child apart).",
        "",
    ]
    for later in out.get("later_runs") or []:
        start = ", ".join(f"{x:.2f}" for x in later.get("load_average_at_start") or [])
        end = ", ".join(f"{x:.2f}" for x in later.get("load_average_at_end") or [])
        lines += [
            f"Re-run on {later.get('date_utc')} UTC (`--merge`, the code of that day): "
            f"{', '.join(f'`{p}`' for p in later.get('parts', []))}; load average at start {start}, "
            f"at end {end}; {later.get('total_wall_time_s')} s.",
            "",
        ]
    b2 = out.get("b2bsp_original")
    if b2:
        lines += [
            f"#### B2BSP originals (d = 2, {inp.get('b2bsp_time_limit_s')} s each)",
            "",
            "Ours optimal at the published optimum: "
            f"**{b2['ours_optimal_matching_published']}/{b2['instances']}** "
            f"({b2['ours_optimal_within_10s']} within 10 s); without the probe "
            f"{b2['no_probe_optimal_matching_published']}; "
            f"plain CP-SAT {b2['plain_optimal_matching_published']}. "
            "Published: the JAIR 2022 MaxSAT time (3.1 GHz Xeon).",
            "",
        ]
        rows = []
        for r in b2["rows"]:
            o, n, pl = r["ours"], r["no_probe"], r["plain"]
            rows.append(
                [
                    r["instance"],
                    r["published_opt"],
                    r.get("published_maxsat_s"),
                    o.get("status"),
                    o.get("breaks"),
                    o.get("bound_breaks"),
                    o.get("wall_time_s"),
                    o.get("memory_peak_mib"),
                    (o.get("maxsat") or {}).get("status"),
                    (o.get("improve") or {}).get("breaks"),
                    n.get("status"),
                    n.get("breaks"),
                    n.get("wall_time_s"),
                    pl.get("status"),
                    pl.get("breaks"),
                    pl.get("wall_time_s"),
                ]
            )
        lines += _table(
            [
                "instance",
                "published optimum",
                "published s",
                "ours: status",
                "breaks",
                "bound",
                "time s",
                "peak MiB",
                "MaxSAT race",
                "SAT search: best",
                "no probe: status",
                "breaks",
                "time s",
                "plain: status",
                "breaks",
                "time s",
            ],
            rows,
        )
    prec = out.get("b2bsp_precedence")
    if prec:
        lines += [
            f"#### B2BSP precedence variants (our generator, `ascnhub schedule vary --precedences "
            f"{prec['share']} --seed {prec['seed']}`; {inp.get('b2bsp_time_limit_s')} s each)",
            "",
            f"Decided (optimal or proven infeasible): **{prec['solved']}/{prec['instances']}** "
            f"({prec['optimal']} optimal, {prec['infeasible']} infeasible). Published: the original's "
            "optimum, a lower bound for the variant (a precedence only removes timetables).",
            "",
        ]
        lines += _table(
            [
                "instance",
                "precedences",
                "status",
                "breaks",
                "bound",
                "original's optimum",
                "time s",
                "peak MiB",
                "SAT search: best",
            ],
            [
                [
                    r["instance"],
                    r.get("precedences"),
                    r.get("status"),
                    r.get("breaks"),
                    r.get("bound_breaks"),
                    r.get("published_opt"),
                    r.get("wall_time_s"),
                    r.get("memory_peak_mib"),
                    (r.get("improve") or {}).get("breaks"),
                ]
                for r in prec["rows"]
            ],
        )
    var = out.get("b2bsp_variants")
    if var:
        lines += [
            f"#### B2BSP variants ({inp.get('b2bsp_time_limit_s')} s each)",
            "",
            f"Solved (optimal or proven infeasible): **{var['solved']}/{var['instances']}**; fixed020 at the "
            f"published optimum: **{var['fixed020_matching_published']}/20**.",
            "",
        ]
        lines += _table(
            ["instance", "status", "breaks", "bound", "published", "time s", "peak MiB"],
            [
                [
                    r["instance"],
                    r.get("status"),
                    r.get("breaks"),
                    r.get("bound_breaks"),
                    r.get("published_opt"),
                    r.get("wall_time_s"),
                    r.get("memory_peak_mib"),
                ]
                for r in var["rows"]
            ],
        )

    def event_rows(rows: list[dict], label: str) -> list[list[object]]:
        out_rows = []
        for r in rows:
            o, g = r.get("ours", {}), r.get("greedy", {})
            out_rows.append(
                [
                    r.get(label),
                    r.get("meetings"),
                    r.get("slots"),
                    f"{_cell(o.get('held_weight'))} / {_cell(o.get('bound_held_weight'))}",
                    o.get("fraction_of_bound"),
                    o.get("breaks"),
                    o.get("wall_time_s"),
                    r.get("memory_peak_mib"),
                    g.get("held_weight"),
                    g.get("fraction_of_bound"),
                    g.get("breaks"),
                ]
            )
        return out_rows

    head = [
        "case",
        "meetings",
        "slots",
        "ours: held / bound",
        "fraction",
        "breaks",
        "time s",
        "peak MiB",
        "greedy: held",
        "fraction",
        "breaks",
    ]
    if out.get("generated"):
        lines += [
            f"#### Generated events ({inp.get('event_time_limit_s')} s each; greedy: the plain greedy)",
            "",
        ]
        lines += _table(head, event_rows(out["generated"], "case"))
    if out.get("very_large"):
        lines += [f"#### Very large ({inp.get('large_time_limit_s')} s)", ""]
        lines += _table(head, event_rows([{**out["very_large"], "case": "2200x27, 4 x 25 slots"}], "case"))
    ts = out.get("trade_show")
    if ts:
        lines += [
            "#### Trade show (2,200 participants, 5 days x 19 slots; greedy: the break-aware warm start)",
            "",
        ]
        lines += _table(head, event_rows([{**ts, "case": "2200x27, 5 x 19 slots"}], "case"))
        prog = ts.get("progress") or []
        if prog:
            lines += ["Quality against time in that run (the solver's progress reports):", ""]
            step = max(1, len(prog) // 10)
            pick = prog[::step] + ([prog[-1]] if (len(prog) - 1) % step else [])
            lines += _table(
                ["elapsed s", "held weight", "bound", "fraction"],
                [[t, w, b, round(w / b, 5) if w is not None and b else None] for t, w, b in pick],
            )
    rs = out.get("reschedule")
    if rs:
        lines += ["#### Re-scheduling (1,200 participants, 5 % cancelled + 5 % new requests)", ""]
        lines += _table(
            [
                "cancelled",
                "new",
                "added",
                "moved",
                "previously held not kept in place",
                "time s",
                "valid",
                "peak MiB",
            ],
            [
                [
                    rs.get("cancelled"),
                    rs.get("new_requests"),
                    rs.get("new_held"),
                    rs.get("moved"),
                    rs.get("previously_held_not_kept_in_place"),
                    rs.get("wall_time_s"),
                    rs.get("valid"),
                    rs.get("memory_peak_mib"),
                ]
            ],
        )
    for curve in out.get("curves") or []:
        lines += [
            f"#### Quality against the time limit: {curve['instance']} "
            "(one solve per limit; greedy: the break-aware warm start)",
            "",
        ]
        rows = []
        for pt in curve["points"]:
            o, g = pt.get("ours", {}), pt.get("greedy", {})
            rows.append(
                [
                    pt["time_limit_s"],
                    o.get("status"),
                    f"{_cell(o.get('held_weight'))} / {_cell(o.get('bound_held_weight'))}",
                    o.get("fraction_of_bound"),
                    o.get("breaks"),
                    o.get("wall_time_s"),
                    o.get("returned"),
                    g.get("held_weight"),
                    g.get("breaks"),
                    pt.get("not_worse_than_greedy"),
                ]
            )
        lines += _table(
            [
                "limit s",
                "status",
                "held / bound",
                "fraction",
                "breaks",
                "time s",
                "returned",
                "greedy: held",
                "breaks",
                "not worse than greedy",
            ],
            rows,
        )
    if out.get("mixed"):
        lines += [
            f"#### Mixed instances (about 10 % of the meetings required, 3 % pinned to a slot and a "
            f"location; {inp.get('event_time_limit_s')} s)",
            "",
        ]
        rows = []
        for r in out["mixed"]:
            o, g = r.get("ours", {}), r.get("greedy", {})
            rows.append(
                [
                    r.get("case"),
                    r.get("meetings"),
                    r.get("required"),
                    r.get("pinned"),
                    o.get("status"),
                    f"{_cell(o.get('held_weight'))} / {_cell(o.get('bound_held_weight'))}",
                    o.get("fraction_of_bound"),
                    o.get("breaks"),
                    o.get("wall_time_s"),
                    o.get("valid"),
                    g.get("held_weight"),
                    g.get("breaks"),
                ]
            )
        lines += _table(
            [
                "case",
                "meetings",
                "required",
                "pinned",
                "status",
                "held / bound",
                "fraction",
                "breaks",
                "time s",
                "valid",
                "greedy: held",
                "breaks",
            ],
            rows,
        )
    return lines


RUN_KEYS = {"benchmark", "date_utc", "mode", "environment", "inputs", "total_wall_time_s", "later_runs"}


def merge_into_kept(out: dict) -> dict:
    """The kept JSON (docs/benchmarks/scheduling.json) with the parts of the partial run ``out`` in
    place of its own, and the run recorded under ``later_runs`` (date, parts, load), so that the
    tables say which figures come from which run."""
    kept = json.loads(DOC_JSON.read_text(encoding="utf-8"))
    parts = sorted(k for k in out if k not in RUN_KEYS)
    kept.update({k: out[k] for k in parts})
    for earlier in kept.get("later_runs", []):  # those parts are no longer that run's
        earlier["parts"] = [p for p in earlier.get("parts", []) if p not in parts]
    kept["later_runs"] = [r for r in kept.get("later_runs", []) if r["parts"]]
    kept.setdefault("later_runs", []).append(
        {
            "date_utc": out.get("date_utc"),
            "parts": parts,
            "inputs": out.get("inputs"),
            "load_average_at_start": out["environment"].get("load_average_at_start"),
            "load_average_at_end": out["environment"].get("load_average_at_end"),
            "total_wall_time_s": out.get("total_wall_time_s"),
        }
    )
    return kept


def write_docs(out: dict, *, copy_json: bool) -> None:
    """Replace the generated part of docs/benchmarks-scheduling.md with the tables of ``out`` (and
    keep ``out`` as docs/benchmarks/scheduling.json)."""
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{DOC}: the markers of the generated tables are missing ({BEGIN!r} ... {END!r})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + BEGIN + "\n\n" + "\n".join(tables(out)) + "\n" + END + tail, encoding="utf-8")
    if copy_json:
        DOC_JSON.parent.mkdir(parents=True, exist_ok=True)
        DOC_JSON.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote the tables in {DOC}" + (f" and {DOC_JSON}" if copy_json else ""), file=sys.stderr)


# ------------------------------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="a few minutes: 6 B2BSP originals, 300 and 1,200 x 5"
    )
    ap.add_argument(
        "--full", action="store_true", help="everything, including variants and the very large case"
    )
    ap.add_argument("--b2bsp-time", type=float, default=10.0)
    ap.add_argument("--event-time", type=float, default=60.0)
    ap.add_argument("--large-time", type=float, default=540.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--trade-time", type=float, default=120.0)
    ap.add_argument(
        "--precedence-share",
        type=float,
        default=0.1,
        help="precedence variants: share of the participants that get one precedence (default 0.1)",
    )
    ap.add_argument("--precedence-seed", type=int, default=1)
    ap.add_argument(
        "--only",
        choices=[
            "b2bsp",
            "variants",
            "precedence",
            "generated",
            "very_large",
            "trade_show",
            "reschedule",
            "curves",
            "mixed",
        ],
        action="append",
    )
    ap.add_argument(
        "--write-docs",
        action="store_true",
        help="write docs/benchmarks/scheduling.json and the tables in docs/benchmarks-scheduling.md "
        "(done by default after a run of every part)",
    )
    ap.add_argument("--tables-from", type=Path, help="only rewrite the doc tables from this JSON")
    ap.add_argument(
        "--merge",
        action="store_true",
        help="after a partial run (--only): put its parts into the kept docs/benchmarks/scheduling.json "
        "(replacing those parts, noting the run) and rewrite the tables from it",
    )
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        child_main(args.case)
        return
    if args.tables_from:
        write_docs(json.loads(args.tables_from.read_text()), copy_json=False)
        return
    quick = args.quick and not args.full
    parts = [
        "b2bsp",
        "variants",
        "precedence",
        "generated",
        "very_large",
        "trade_show",
        "reschedule",
        "curves",
        "mixed",
    ]
    only = set(args.only or parts)
    if not args.full and not args.only:
        only -= {"variants", "precedence", "very_large"}
    started = time.time()
    import ortools

    folder = _b2bsp_dir()
    with (folder / "best_known_jair2022.csv").open() as f:
        published = {r["instance"]: r for r in csv.DictReader(f)}
    out: dict = {
        "benchmark": "scheduling",
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "mode": "quick" if quick else ("full" if args.full else "default"),
        "environment": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "ortools": ortools.__version__,
            "platform": platform.platform(),
            "workers": args.workers,
            "load_average_at_start": os.getloadavg(),
        },
        "inputs": {
            "b2bsp_time_limit_s": args.b2bsp_time,
            "event_time_limit_s": args.event_time,
            "large_time_limit_s": args.large_time,
            "b2bsp_folder": str(folder),
        },
    }

    def log(msg: str) -> None:
        print(f"[{time.time() - started:7.1f}s] {msg}", file=sys.stderr, flush=True)

    if "b2bsp" in only:
        names = sorted(published)
        if quick:
            names = ["tic-12", "tic-13", "forumt-14", "tic-14crafa", "forum-14", "forum-13crafb"]
        rows = []
        for name in names:
            row: dict = {
                "instance": name,
                "published_opt": int(published[name]["opt_total_breaks_d2"]),
                "published_maxsat_s": float(published[name]["maxsat_imp12plus_time_s"]),
            }
            for column, method, probe in (
                ("ours", "exact", True),
                ("no_probe", "exact", False),
                ("plain", "plain", False),
            ):
                spec = {
                    "kind": "b2bsp",
                    "file": str(folder / "jair2022" / f"{name}.original.dzn"),
                    "method": method,
                    "probe": probe,
                    "time_limit": args.b2bsp_time,
                    "workers": args.workers,
                }
                row[column] = run_child(spec)
            ours = row["ours"]
            row["ours_matches_published"] = (
                ours.get("status") == "optimal" and ours.get("breaks") == row["published_opt"]
            )
            rows.append(row)
            log(
                f"b2bsp {name}: ours {ours.get('status')} {ours.get('breaks')} "
                f"in {ours.get('wall_time_s')}s (maxsat {(ours.get('maxsat') or {}).get('status')}); "
                f"no probe {row['no_probe'].get('status')} {row['no_probe'].get('breaks')}; "
                f"plain {row['plain'].get('status')} {row['plain'].get('breaks')}"
            )
        out["b2bsp_original"] = {
            "rows": rows,
            "ours_optimal_matching_published": sum(r["ours_matches_published"] for r in rows),
            "ours_optimal_within_10s": sum(
                r["ours_matches_published"] and r["ours"]["wall_time_s"] <= 10 for r in rows
            ),
            "no_probe_optimal_matching_published": sum(
                r["no_probe"].get("status") == "optimal" and r["no_probe"].get("breaks") == r["published_opt"]
                for r in rows
            ),
            "plain_optimal_matching_published": sum(
                r["plain"].get("status") == "optimal" and r["plain"].get("breaks") == r["published_opt"]
                for r in rows
            ),
            "instances": len(rows),
        }
    if "variants" in only:
        rows = []
        for name in sorted(published):
            for fam in ("forb0003", "fixed020-Forb"):
                spec = {
                    "kind": "b2bsp",
                    "file": str(folder / "jair2022" / f"{name}.{fam}.dzn"),
                    "method": "exact",
                    "time_limit": args.b2bsp_time,
                    "workers": args.workers,
                }
                r = run_child(spec)
                r.update({"instance": f"{name}.{fam}"})
                if fam.startswith("fixed"):
                    r["published_opt"] = int(published[name]["maxsat_opt_fixed020"])
                    r["matches_published"] = (
                        r.get("status") == "optimal" and r.get("breaks") == r["published_opt"]
                    )
                rows.append(r)
                log(f"variant {name}.{fam}: {r.get('status')} {r.get('breaks')} in {r.get('wall_time_s')}s")
        out["b2bsp_variants"] = {
            "rows": rows,
            "solved": sum(r.get("status") in ("optimal", "infeasible") for r in rows),
            "fixed020_matching_published": sum(bool(r.get("matches_published")) for r in rows),
            "instances": len(rows),
        }
    if "precedence" in only:
        rows = []
        for name in sorted(published):
            spec = {
                "kind": "b2bsp",
                "file": str(folder / "jair2022" / f"{name}.original.dzn"),
                "method": "exact",
                "time_limit": args.b2bsp_time,
                "workers": args.workers,
                "precedences": args.precedence_share,
                "variant_seed": args.precedence_seed,
            }
            r = run_child(spec)
            r.update(
                {
                    "instance": f"{name}.prec{round(args.precedence_share * 100):03d}s{args.precedence_seed}",
                    "published_opt": int(published[name]["opt_total_breaks_d2"]),
                }
            )
            rows.append(r)
            log(f"precedence {r['instance']}: {r.get('status')} {r.get('breaks')} in {r.get('wall_time_s')}s")
        out["b2bsp_precedence"] = {
            "rows": rows,
            "share": args.precedence_share,
            "seed": args.precedence_seed,
            "solved": sum(r.get("status") in ("optimal", "infeasible") for r in rows),
            "optimal": sum(r.get("status") == "optimal" for r in rows),
            "infeasible": sum(r.get("status") == "infeasible" for r in rows),
            "instances": len(rows),
        }
    if "generated" in only:
        rows = []
        grid = (
            [(300, 5), (1200, 5)]
            if quick
            else [(300, 5), (300, 8), (1200, 5), (1200, 8), (2000, 5), (2000, 8)]
        )
        for n, r in grid:
            spec = {
                "kind": "generated",
                "participants": n,
                "requests": r,
                "seed": 1,
                "time_limit": args.event_time,
                "workers": args.workers,
            }
            res = run_child(spec)
            res["case"] = f"{n}x{r}"
            rows.append(res)
            log(f"generated {n}x{r}: {json.dumps(res.get('ours'))} greedy {json.dumps(res.get('greedy'))}")
        out["generated"] = rows
    if "very_large" in only:
        spec = {
            "kind": "generated",
            "participants": 2200,
            "requests": 27,
            "seed": 1,
            "days": 4,
            "slots_per_day": 25,
            "time_limit": args.large_time,
            "workers": args.workers,
        }
        res = run_child(spec)
        out["very_large"] = res
        log(f"very large: {json.dumps(res.get('ours'))}")
    if "reschedule" in only:
        spec = {
            "kind": "reschedule",
            "participants": 1200,
            "requests": 5,
            "seed": 1,
            "solve_time": args.event_time,
            "time_limit": 4.5,
            "workers": args.workers,
        }
        res = run_child(spec)
        out["reschedule"] = res
        log(f"reschedule: {json.dumps(res)}")
    if "trade_show" in only:
        spec = {
            "kind": "event",
            "participants": 2200,
            "requests": 27,
            "seed": 1,
            "days": 5,
            "slots_per_day": 19,
            "time_limit": args.trade_time,
            "workers": args.workers,
            "progress": True,
        }
        res = run_child(spec)
        out["trade_show"] = res
        log(f"trade show: {json.dumps(res.get('ours'))}")
    if "curves" in only:
        import tempfile

        scratch = Path(tempfile.mkdtemp(prefix="bench-demo-"))
        demo = demo_instance_file(scratch)
        sources: list[tuple[str, dict]] = [
            (
                "demo" if demo else "demo-shaped (generated)",
                {"file": str(demo)} if demo else {"demo_shaped": True},
            ),
            ("1200x5 generated", {"participants": 1200, "requests": 5}),
        ]
        limits = [1.0, 3.0] if quick else [1.0, 3.0, 10.0, 30.0]
        curves = []
        for label, source in sources:
            points = []
            for tl in limits:
                spec = {"kind": "event", "seed": 1, "time_limit": tl, "workers": args.workers, **source}
                res = run_child(spec)
                points.append({"time_limit_s": tl, **res})
                log(f"curve {label} at {tl}s: {json.dumps(res.get('ours'))}")
            curves.append({"instance": label, "points": points})
        out["curves"] = curves
        shutil.rmtree(scratch, ignore_errors=True)
    if "mixed" in only:
        rows = []
        for n in [300] if quick else [300, 1200]:
            spec = {
                "kind": "event",
                "participants": n,
                "requests": 5,
                "seed": 1,
                "mixed": True,
                "time_limit": args.event_time,
                "workers": args.workers,
            }
            res = run_child(spec)
            res["case"] = f"{n}x5 mixed"
            rows.append(res)
            log(f"mixed {n}: {json.dumps(res.get('ours'))}")
        out["mixed"] = rows
    out["environment"]["load_average_at_end"] = os.getloadavg()
    out["total_wall_time_s"] = round(time.time() - started, 1)
    print(json.dumps(out, indent=1))
    if args.merge:
        write_docs(merge_into_kept(out), copy_json=True)
    elif args.write_docs or (not args.only and not quick):
        write_docs(out, copy_json=True)


if __name__ == "__main__":
    main()
