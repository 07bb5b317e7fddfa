"""The summary table of docs/benchmarks.md is what benchmarks/summary.py writes from the kept JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _summary():
    spec = importlib.util.spec_from_file_location("bench_summary", ROOT / "benchmarks" / "summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_summary_is_the_one_the_kept_json_gives():
    summary = _summary()
    text = summary.DOC.read_text()
    assert summary.rewrite(text) == text, "run `python benchmarks/summary.py` after a benchmark run"


def test_a_changed_figure_changes_the_table(tmp_path, monkeypatch):
    summary = _summary()
    run = json.loads((summary.KEPT / "matching.json").read_text())
    run["systems"]["engine (default weights)"]["overall"]["ndcg@10"] = 0.5
    (tmp_path / "matching.json").write_text(json.dumps(run))
    monkeypatch.setattr(summary, "KEPT", tmp_path)
    table = summary.table()
    assert "nDCG@10 0.500" in table
    assert "on the development set **no**" in table
