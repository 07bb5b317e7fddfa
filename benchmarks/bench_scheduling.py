"""Benchmark of the meeting scheduler (ascnhub.engine.scheduling); prints ONE JSON object.

Cases (issue 3):
  b2bsp       the 20 B2BSP originals (fairness d=2) against the published optima, our solver,
              our solver without the probe from below, and the plain CP-SAT model in the same run;
              the forb0003 and fixed020 variants (--full)
  generated   300 / 1,200 / 2,000 participants x 5 / 8 requests, two days of 20-minute slots:
              held weight / proven bound, breaks, time, beside the greedy baseline
  very_large  2,200 participants, ~50,000 requested meetings, 100 slots (--full)
  reschedule  5 % cancellations + 5 % new requests on the 1,200-participant instance

Each case runs in a fresh child process so that its memory peak (ru_maxrss) is its own.
Usage: python benchmarks/bench_scheduling.py [--quick | --full] [--b2bsp-time S] [--event-time S]
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


CASES = {"b2bsp": case_b2bsp, "generated": case_generated, "reschedule": case_reschedule}


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
    ap.add_argument(
        "--only", choices=["b2bsp", "variants", "generated", "very_large", "reschedule"], action="append"
    )
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        child_main(args.case)
        return
    quick = args.quick and not args.full
    only = set(args.only or ["b2bsp", "variants", "generated", "very_large", "reschedule"])
    if not args.full and not args.only:
        only -= {"variants", "very_large"}
    started = time.time()
    import ortools

    folder = _b2bsp_dir()
    with (folder / "best_known_jair2022.csv").open() as f:
        published = {r["instance"]: r for r in csv.DictReader(f)}
    out: dict = {
        "benchmark": "scheduling",
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
            row: dict = {"instance": name, "published_opt": int(published[name]["opt_total_breaks_d2"])}
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
    out["environment"]["load_average_at_end"] = os.getloadavg()
    out["total_wall_time_s"] = round(time.time() - started, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
