"""The ``ascnhub schedule`` command line through ``main([...])``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ascnhub.engine.scheduling.cli import main
from tests.engine.scheduling.sched_helpers import small_doc

pytestmark = pytest.mark.engine


def test_generate_solve_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inst = tmp_path / "inst.json"
    assert main(["generate", "--participants", "30", "--seed", "3", "--out", str(inst)]) == 0
    doc = json.loads(inst.read_text())
    assert doc["format"] == "ascnhub-schedule/1" and len(doc["participants"]) == 30
    out = tmp_path / "res.json"
    assert (
        main(["solve", str(inst), "--time-limit", "10", "--seed", "1", "--workers", "1", "--out", str(out)])
        == 0
    )
    err = capsys.readouterr().err
    assert "best" in err and "bound" in err  # progress line
    res = json.loads(out.read_text())
    assert res["status"] in ("optimal", "feasible") and res["assignments"]
    assert main(["check", str(inst), str(out)]) == 0
    assert "valid" in capsys.readouterr().out


def test_solve_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inst = tmp_path / "small.json"
    inst.write_text(json.dumps(small_doc()))
    assert main(["solve", str(inst), "--time-limit", "5", "--workers", "1"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["status"] == "optimal"
    assert res["format"] == "ascnhub-schedule-result/1"


def test_check_lists_violations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inst = tmp_path / "small.json"
    inst.write_text(json.dumps(small_doc()))
    res = tmp_path / "r.json"
    res.write_text(
        json.dumps(
            {
                "format": "ascnhub-schedule-result/1",
                "instance": "small",
                "status": "feasible",
                "assignments": [
                    {"meeting": "m1", "slot": "s3", "location": "T1"},
                    {"meeting": "m4", "slot": "s2", "location": "T2"},
                ],
                "unscheduled": ["m2", "m3", "m5"],
                "objective": {"held_weight": 5, "breaks": 0},
            }
        )
    )
    assert main(["check", str(inst), str(res)]) == 1
    err = capsys.readouterr().err
    assert "participant b" in err and "slot s3" in err and "meeting m1" in err
    assert "meeting m4" in err  # at a table though d is online


def test_bad_instance_exits_non_zero_without_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = small_doc()
    doc["meetings"][0]["participants"] = ["a", "ghost"]
    inst = tmp_path / "bad.json"
    inst.write_text(json.dumps(doc))
    out = tmp_path / "res.json"
    assert main(["solve", str(inst), "--out", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "meeting m1" in err and "ghost" in err


def test_infeasible_instance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = small_doc()
    doc["meetings"][1].update(required=True, slots=["s3"])
    doc["participants"][0]["unavailable"] = ["s3"]
    inst = tmp_path / "inf.json"
    inst.write_text(json.dumps(doc))
    out = tmp_path / "res.json"
    assert main(["solve", str(inst), "--out", str(out), "--time-limit", "5"]) == 1
    res = json.loads(out.read_text())
    assert res["status"] == "infeasible"
    assert "m2" in res["stats"]["reason"]


def test_usage_errors() -> None:
    assert main([]) == 2
    assert main(["generate", "--participants", "1", "--out", "x.json"]) == 2
