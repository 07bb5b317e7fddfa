"""Write the summary table of docs/benchmarks.md from the benchmarks' kept JSON.

    python benchmarks/summary.py            # rewrite the table between the markers
    python benchmarks/summary.py --check    # exit 1 when the table is not what the JSON gives

Every figure in the table comes from a file in docs/benchmarks/ (`<name>.json`, the latest full
run of `benchmarks/bench_<name>.py`, kept there by `benchmarks/run.py` or the script's own
`--write-docs`). A benchmark whose JSON is not kept has no row here; docs/benchmarks.md says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KEPT = ROOT / "docs" / "benchmarks"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- begin: summary written by benchmarks/summary.py from docs/benchmarks/*.json -->"
END = "<!-- end: summary -->"

Row = tuple[str, str, str, str, str]  # benchmark, figure, baseline in the same run, goal, met?


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _load(run: dict[str, Any]) -> str:
    env = run.get("environment") or {}
    for key in ("load_average_at_end", "load_average", "load_average_1min_at_end"):
        value = env.get(key)
        if value is not None:
            first = value[0] if isinstance(value, list | tuple) else value
            return f"load {float(first):.1f}"
    return "load not recorded"


def scheduling_rows(run: dict[str, Any]) -> list[Row]:
    """B2BSP originals, variants and precedence variants, event scale, mixed, trade show and
    re-scheduling; each part dated by the run that measured it (`later_runs` of a --merge)."""
    measured_by = {}
    for later in run.get("later_runs") or []:
        for part in later.get("parts", []):
            measured_by[part] = f"{later['date_utc']}, {_load({'environment': later})}"
    default = f"{run.get('date_utc', '?')}, {_load(run)}"

    def dated(part: str) -> str:
        return measured_by.get(part, default)

    rows: list[Row] = []
    original = run.get("b2bsp_original")
    when = dated("b2bsp_original")
    if original:
        n = len(original.get("rows", []))
        ours = original["ours_optimal_within_10s"]
        limit = run["inputs"]["b2bsp_time_limit_s"]
        rows.append(
            (
                f"B2BSP originals, {limit:g} s each ([details](benchmarks-scheduling.md); {when})",
                f"{ours}/{n} proven optimal at the published optimum",
                f"without the probe {original['no_probe_optimal_matching_published']}/{n}; "
                f"plain CP-SAT model {original['plain_optimal_matching_published']}/{n}",
                f"{n}/{n} within 10 s",
                _yes(ours == n),
            )
        )
    variants = run.get("b2bsp_variants")
    when = dated("b2bsp_variants")
    if variants:
        n = len(variants.get("rows", []))
        fixed = [r for r in variants.get("rows", []) if "fixed020" in r.get("instance", "")]
        rows.append(
            (
                f"B2BSP variants (forb0003, fixed020; {when})",
                f"{variants['solved']}/{n} optimal or proven infeasible; fixed020 at the published "
                f"optimum {variants['fixed020_matching_published']}/{len(fixed) or '?'}",
                "—",
                "all",
                _yes(variants["solved"] == n),
            )
        )
    precedence = run.get("b2bsp_precedence")
    if precedence:
        n = len(precedence.get("rows", []))
        rows.append(
            (
                f"B2BSP precedence variants ({precedence['share']:.0%} of meetings ordered, seed "
                f"{precedence['seed']}; {dated('b2bsp_precedence')})",
                f"{precedence['optimal']}/{n} optimal, {precedence['infeasible']} proven infeasible",
                "—",
                "all optimal or proven infeasible within 10 s",
                _yes(precedence["solved"] == n),
            )
        )
    when = dated("generated")
    for case in run.get("generated") or []:
        ours, greedy = case["ours"], case["greedy"]
        ratio = case.get("breaks_ratio_ours_to_greedy")
        ok = ours["fraction_of_bound"] >= 0.995 and (ratio is None or ratio <= 0.25)
        rows.append(
            (
                f"event scale {case['case']}: {case['participants']:,} participants, "
                f"{case['meetings']:,} requests ({when})",
                f"{ours['fraction_of_bound']:.5f} of the bound, {ours['breaks']} breaks"
                + (f" ({ratio:.2f} × greedy's)" if ratio is not None else "")
                + f", {ours['wall_time_s']:.1f} s",
                f"greedy {greedy['fraction_of_bound']:.5f}, {greedy['breaks']} breaks",
                "≥ 0.995 of the bound, ≤ ¼ of greedy's breaks",
                _yes(ok),
            )
        )
    when = dated("mixed")
    for case in run.get("mixed") or []:
        ours, greedy = case["ours"], case["greedy"]
        rows.append(
            (
                f"mixed {case['case']}: {case['required']} required, {case['pinned']} pinned ({when})",
                f"{ours['fraction_of_bound']:.5f} of the bound, {ours['breaks']} breaks, "
                f"{ours['wall_time_s']:.1f} s",
                f"greedy {greedy['fraction_of_bound']:.5f}, {greedy['breaks']} breaks",
                "held weight at its bound, then fewest breaks; never worse than greedy",
                _yes(bool(case.get("not_worse_than_greedy"))),
            )
        )
    show = run.get("trade_show")
    when = dated("trade_show")
    if show:
        ours = show["ours"]
        memory = max(show.get("memory_peak_mib") or 0, show.get("memory_peak_children_mib") or 0)
        limit = run["inputs"].get("large_time_limit_s")
        # The progress curve holds (seconds, held weight, bound) for each improvement.
        reached = [t for t, held, bound in show.get("progress") or [] if held >= 0.995 * bound]
        first = min(reached) if reached else None
        ok = first is not None and first <= 120 and memory <= 2048
        rows.append(
            (
                f"trade show: {show['participants']:,} participants, {show['meetings']:,} requests, "
                f"{show['slots']} slots, limit {limit:g} s ({when})",
                (f"0.995 of the bound reached at {first:.1f} s; " if first is not None else "")
                + f"at the end {ours['fraction_of_bound']:.5f} of the bound, {ours['breaks']} "
                f"breaks, {ours['wall_time_s']:.1f} s, {memory:.0f} MiB",
                f"greedy {show['greedy']['fraction_of_bound']:.5f}",
                "≥ 0.995 of the LP bound within 120 s, ≤ 2 GiB",
                _yes(ok),
            )
        )
    again = run.get("reschedule")
    when = dated("reschedule")
    if again:
        rows.append(
            (
                f"re-scheduling after {again['cancelled']} cancelled + {again['new_requests']} new "
                f"({again['meetings_before']:,} meetings; {when})",
                f"{again['moved']} meetings moved, {again['wall_time_s']:.1f} s",
                "—",
                "< 5 s, only the affected move",
                _yes(again["wall_time_s"] < 5 and again["previously_held_not_kept_in_place"] == 0),
            )
        )
    return rows


def matching_rows(run: dict[str, Any]) -> list[Row]:
    """Matching quality on the development set and ranking speed at 5,000 × 5,000."""
    when = f"{run.get('measured_at', '?')}, {_load(run)}"
    systems = run["systems"]
    engine = systems["engine (default weights)"]["overall"]
    bm25 = systems["baseline: BM25 on the raw text"]["overall"]
    alone = systems["baseline: embedding alone (E5 query -> passage cosine)"]["overall"]
    languages = {k: v for k, v in systems["engine (default weights)"].items() if k != "overall"}
    worst = min(v["recall@5"] for v in languages.values()) if languages else float("nan")
    rows: list[Row] = [
        (
            f"matching quality, development set ([details](benchmarks-matching.md); {when})",
            f"nDCG@10 {engine['ndcg@10']:.3f}, MRR {engine['mrr']:.3f}, recall@5 "
            f"{engine['recall@5']:.3f}; lowest language recall@5 {worst:.3f}",
            f"BM25 nDCG@10 {bm25['ndcg@10']:.3f}; embedding alone {alone['ndcg@10']:.3f}",
            "nDCG@10 ≥ 0.90, MRR ≥ 0.93, recall@5 ≥ 0.98, every language ≥ 0.95 (on unseen data)",
            "on the development set "
            + _yes(
                engine["ndcg@10"] >= 0.90
                and engine["mrr"] >= 0.93
                and engine["recall@5"] >= 0.98
                and worst >= 0.95
            )
            + "; unseen data is not ours to measure",
        )
    ]
    ranking = (run.get("speed") or {}).get("ranking")
    if ranking:
        runs = ranking.get("exact_rank_s_all_runs") or [ranking["exact_rank_s"]]
        base = ranking.get("baseline_previous_path_s_all_runs") or []
        rows.append(
            (
                f"ranking {ranking['needs']:,} needs × {ranking['offers']:,} offers, top "
                f"{ranking['top_k']} ({when})",
                f"{min(runs):.2f}–{max(runs):.2f} s over {len(runs)} runs",
                f"previous path {min(base):.2f}–{max(base):.2f} s" if base else "—",
                "≤ 2 s once embedded",
                _yes(max(runs) <= 2.0),
            )
        )
    return rows


def checkin_rows(run: dict[str, Any]) -> list[Row]:
    """Offline check-in: syncing a device's queue."""
    n = run["inputs"]["badges"]
    per_entry = run["sync_ms_per_entry"]
    return [
        (
            f"check-in sync, {n} badges ({run['environment'].get('database', '?')})",
            f"first sync {per_entry} ms an entry; re-sent {run['resend_ms_per_entry']} ms, "
            f"wrote nothing: {run['resend_wrote_nothing']}; earliest kept: {run['earliest_kept']}",
            f"the desk, one at a time: {run['baseline_desk_ms_per_badge']} ms a badge",
            "a 1,200-badge queue synced within a minute",
            _yes(per_entry * 1200 / 1000 <= 60 and run["earliest_kept"]),
        )
    ]


def matchmaking_rows(run: dict[str, Any]) -> list[Row]:
    """The demo meeting's whole matchmaking run through the platform."""
    ours, greedy = run["cp_sat"], run["baseline_greedy"]
    return [
        (
            f"matchmaking full run, demo meeting ({run['inputs']['participants']} participants, "
            f"{run['inputs']['meetings_requested']} requests; {_load(run)})",
            f"{ours['all_but_solver_s']:.1f} s without the solver; held {ours['held_weight']} of "
            f"bound {ours['bound_held_weight']}, {ours['breaks']} breaks",
            f"greedy in its place: {greedy['all_but_solver_s']:.1f} s without it",
            "all but the solver < 10 s",
            _yes(ours["all_but_solver_s"] < 10),
        )
    ]


SUMMARISERS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "scheduling": scheduling_rows,
    "matching": matching_rows,
    "checkin": checkin_rows,
    "matchmaking": matchmaking_rows,
}


def table() -> str:
    """The summary table (markdown) from every kept JSON that has a summariser."""
    lines = [
        BEGIN,
        "",
        "| benchmark | figure | baseline in the same run | goal | met? |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, summarise in SUMMARISERS.items():
        path = KEPT / f"{name}.json"
        if not path.exists():
            continue
        for row in summarise(json.loads(path.read_text())):
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    lines += ["", END]
    return "\n".join(lines)


def rewrite(text: str) -> str:
    """`text` (docs/benchmarks.md) with the part between the markers replaced."""
    head, found, rest = text.partition(BEGIN)
    if not found:
        raise SystemExit(f"{DOC}: marker not found: {BEGIN}")
    _, found, tail = rest.partition(END)
    if not found:
        raise SystemExit(f"{DOC}: marker not found: {END}")
    return head + table() + tail


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when stale")
    args = parser.parse_args()
    text = DOC.read_text()
    new = rewrite(text)
    if args.check:
        if new != text:
            print("docs/benchmarks.md: the summary is stale; run benchmarks/summary.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
