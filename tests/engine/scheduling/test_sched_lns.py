"""The large-instance path (bound, break-aware greedy, LNS) with over-demanded participants.

At a trade show most participants ask for more meetings than they have slots; the path's weight
bound then caps each one at its usable slots. These tests run that path end to end, including
the linear-programming bound that instances with more than 15,000 meetings take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ascnhub.engine.scheduling.cli import main
from ascnhub.engine.scheduling.formats import instance_from_dict, read_instance
from ascnhub.engine.scheduling.greedy import greedy_slots
from ascnhub.engine.scheduling.lns import lp_weight_bound, weight_bound
from ascnhub.engine.scheduling.solver import solve
from ascnhub.engine.scheduling.validator import validate
from tests.engine.scheduling.sched_helpers import slot_dicts

pytestmark = pytest.mark.engine


def _over_demanded_doc() -> dict[str, Any]:
    """Hub ``a`` asks for five meetings (weights 1-5) but has three slots; each guest has one."""
    guests = [f"g{i}" for i in range(1, 6)]
    return {
        "format": "ascnhub-schedule/1",
        "name": "over",
        "slots": slot_dicts(3),
        "locations": [{"id": f"T{i}", "kind": "table"} for i in range(3)],
        "participants": [{"id": "a"}, *({"id": g} for g in guests)],
        "meetings": [{"id": f"m{i}", "participants": ["a", g], "weight": i} for i, g in enumerate(guests, 1)],
    }


def test_lp_and_cp_bounds_cap_an_over_demanded_participant_at_its_slots() -> None:
    inst = instance_from_dict(_over_demanded_doc())
    lp, lp_chosen = lp_weight_bound(inst)
    cp, cp_chosen = weight_bound(inst, 5.0, workers=1)
    # a holds at most three meetings: the heaviest three, 5 + 4 + 3
    assert lp == pytest.approx(12, abs=1e-5)
    assert cp == pytest.approx(12)
    assert sorted(lp_chosen) == sorted(cp_chosen) == [2, 3, 4]


def test_large_path_holds_the_bound_on_an_over_demanded_participant() -> None:
    inst = instance_from_dict(_over_demanded_doc())
    res = solve(inst, time_limit_s=3, workers=1, method="lns")
    assert validate(inst, res) == []
    assert res.status in ("optimal", "feasible")
    assert res.objective.held_weight == 12 and res.objective.breaks == 0
    assert set(res.unscheduled) == {"m1", "m2"}


def test_trade_show_shape_runs_through_the_linear_bound(tmp_path: Path) -> None:
    """The issue's reproduction, smaller: 40 requests each for 20 slots, over 15,000 meetings."""
    path = tmp_path / "over.json"
    assert (
        main(
            [
                "generate",
                "--participants",
                "600",
                "--seed",
                "3",
                "--requests-per-participant",
                "40",
                "--days",
                "1",
                "--slots-per-day",
                "20",
                "--out",
                str(path),
            ]
        )
        == 0
    )
    inst = read_instance(path)
    assert len(inst.meetings) > 15_000  # the size at which the bound is the linear relaxation
    over = [p for p in inst.participants if len(inst.meetings_of[p.id]) > len(inst.slots)]
    assert len(over) > 100
    out = tmp_path / "res.json"
    assert main(["solve", str(path), "--time-limit", "8", "--out", str(out)]) == 0
    assert main(["check", str(path), str(out)]) == 0
    res = json.loads(out.read_text())
    assert res["stats"]["solver"] == "bound + greedy + lns"
    held = res["objective"]["held_weight"]
    greedy = greedy_slots(inst, break_aware=True)
    assert held >= sum(inst.meetings[k].weight for k in greedy)
    assert res["objective"]["bound_held_weight"] >= held


def test_bound_at_a_tiny_time_limit_is_still_a_bound() -> None:
    """With too little time for the relaxation, the reported bound is the LP's, never CP-SAT's 0."""
    from ascnhub.engine.scheduling.generator import generate

    inst = generate(600, 2, requests_per_participant=5)
    res = solve(inst, time_limit_s=0.4, workers=1, method="lns")
    assert validate(inst, res) == []
    assert res.objective.bound_held_weight is not None
    assert res.objective.bound_held_weight >= res.objective.held_weight > 0
