"""Run every benchmark (benchmarks/bench_*.py), keep each one's JSON in benchmarks/results/.

    python benchmarks/run.py                 # all, each with its default (full) settings
    python benchmarks/run.py --quick         # all, each in its quick mode (a few minutes)
    python benchmarks/run.py scheduling      # only bench_scheduling.py

Each script prints one JSON object (inputs, figures, environment, and a baseline measured in the
same run); this runner only collects them. After a full run (not --quick) it also keeps each
JSON as docs/benchmarks/<name>.json and rewrites the summary table of docs/benchmarks.md from them
(`benchmarks/summary.py`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import summary  # benchmarks/summary.py, beside this script

HERE = Path(__file__).resolve().parent
KEPT = HERE.parent / "docs" / "benchmarks"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.names]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    failed = []
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        cmd = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        print(f"== {name}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
        started = time.monotonic()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        elapsed = time.monotonic() - started
        try:
            result = json.loads(proc.stdout)
        except json.JSONDecodeError:
            failed.append(name)
            print(f"   {name} printed no JSON (exit {proc.returncode})", file=sys.stderr)
            continue
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        (out_dir / f"{name}.json").write_text(text)
        if not args.quick and not proc.returncode:
            (KEPT / f"{name}.json").write_text(text)
        print(
            f"   {name}: exit {proc.returncode}, {elapsed:.0f} s → benchmarks/results/{name}.json",
            file=sys.stderr,
        )
        if proc.returncode:
            failed.append(name)
    if not args.quick:
        summary.DOC.write_text(summary.rewrite(summary.DOC.read_text()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
