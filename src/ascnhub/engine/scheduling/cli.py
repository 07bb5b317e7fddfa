"""``ascnhub schedule`` command line: solve, check, generate."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import InstanceError, ResultError
from .formats import read_instance, read_result, result_to_dict, write_instance, write_result
from .model import Progress


def _progress_printer() -> Callable[[Progress], None]:
    last = [0.0]

    def show(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and p.phase != "start":
            return
        last[0] = now
        obj = "-" if p.objective is None else f"{p.objective:g}"
        bnd = "-" if p.bound is None else f"{p.bound:g}"
        print(f"[{p.elapsed_s:7.1f}s] {p.phase}: best {obj}, bound {bnd}", file=sys.stderr, flush=True)

    return show


def _cmd_solve(args: argparse.Namespace) -> int:
    from .solver import solve

    try:
        instance = read_instance(args.instance)
    except InstanceError as exc:
        print(f"error: invalid instance: {exc}", file=sys.stderr)
        return 2
    result = solve(
        instance,
        time_limit_s=args.time_limit,
        seed=args.seed,
        workers=args.workers,
        on_progress=_progress_printer(),
    )
    o = result.objective
    print(
        f"{result.status}: held weight {o.held_weight:g} (bound {o.bound_held_weight}), breaks {o.breaks} "
        f"(bound {o.bound_breaks}), {result.stats.get('wall_time_s')} s"
        + (f"; {result.stats['reason']}" if "reason" in result.stats else ""),
        file=sys.stderr,
    )
    if args.out:
        write_result(result, args.out)
    else:
        json.dump(result_to_dict(result), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0 if result.status in ("optimal", "feasible") else 1


def _cmd_check(args: argparse.Namespace) -> int:
    from .validator import validate

    try:
        instance = read_instance(args.instance)
        result = read_result(args.result)
    except (InstanceError, ResultError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    violations = validate(instance, result)
    if violations:
        print(f"invalid schedule: {len(violations)} violation(s)", file=sys.stderr)
        for v in violations:
            print(f"  {v}", file=sys.stderr)
        return 1
    o = result.objective
    print(f"valid: {len(result.assignments)} meetings held, weight {o.held_weight:g}, breaks {o.breaks}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from .generator import generate

    if args.participants < 2:
        print("error: --participants must be at least 2", file=sys.stderr)
        return 2
    instance = generate(
        args.participants,
        args.seed,
        requests_per_participant=args.requests_per_participant,
        days=args.days,
        slots_per_day=args.slots_per_day,
    )
    write_instance(instance, args.out)
    print(
        f"wrote {args.out}: {len(instance.participants)} participants, {len(instance.meetings)} meetings, "
        f"{len(instance.slots)} slots, {len(instance.locations)} locations",
        file=sys.stderr,
    )
    return 0


def _cmd_vary(args: argparse.Namespace) -> int:
    from .generator import with_precedences

    if not 0 < args.precedences <= 1:
        print("error: --precedences must be a share in (0, 1], e.g. 0.1", file=sys.stderr)
        return 2
    try:
        instance = read_instance(args.instance)
    except InstanceError as exc:
        print(f"error: invalid instance: {exc}", file=sys.stderr)
        return 2
    variant = with_precedences(instance, args.precedences, args.seed)
    write_instance(variant, args.out)
    added = sum(len(m.after) for m in variant.meetings) - sum(len(m.after) for m in instance.meetings)
    print(f"wrote {args.out}: {variant.name}, {added} precedences added", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ascnhub schedule``."""
    parser = argparse.ArgumentParser(
        prog="ascnhub schedule", description="Meeting scheduler (ascnhub-schedule/1)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve an instance (.json or B2BSP .dzn)")
    s.add_argument("instance", type=Path)
    s.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    s.add_argument("--out", type=Path, help="result file (default: stdout)")
    s.set_defaults(func=_cmd_solve)
    c = sub.add_parser("check", help="validate a result against its instance")
    c.add_argument("instance", type=Path)
    c.add_argument("result", type=Path)
    c.set_defaults(func=_cmd_check)
    g = sub.add_parser("generate", help="generate a realistic instance")
    g.add_argument("--participants", type=int, required=True)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--requests-per-participant", type=float, default=5)
    g.add_argument("--days", type=int, default=2)
    g.add_argument("--slots-per-day", type=int, default=None)
    g.add_argument("--out", type=Path, required=True)
    g.set_defaults(func=_cmd_generate)
    v = sub.add_parser("vary", help="write a precedence variant of an instance (.json or B2BSP .dzn)")
    v.add_argument("instance", type=Path)
    v.add_argument(
        "--precedences",
        type=float,
        default=0.1,
        help="share of the participants that get one precedence between two of their meetings (default 0.1)",
    )
    v.add_argument("--seed", type=int, default=0)
    v.add_argument("--out", type=Path, required=True)
    v.set_defaults(func=_cmd_vary)
    return parser


def main(argv: list[str]) -> int:
    """Run ``ascnhub schedule`` with ``argv`` (without the program name); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
