"""The B2BSP .dzn reader on the real benchmark files, its errors, and the smallest instances solved."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ascnhub.engine.scheduling import InstanceError, read_instance, solve, validate
from ascnhub.engine.scheduling.b2bsp import dzn_to_instance
from tests.engine.scheduling.sched_helpers import require_b2bsp

pytestmark = pytest.mark.engine


def _published() -> dict[str, dict[str, str]]:
    path = require_b2bsp().parent / "best_known_jair2022.csv"
    with path.open() as f:
        return {r["instance"]: r for r in csv.DictReader(f)}


def test_every_file_reads_with_the_published_sizes() -> None:
    folder = require_b2bsp()
    table = _published()
    files = sorted(folder.glob("*.dzn"))
    assert len(files) == 60
    for f in files:
        inst = read_instance(f)
        row = table[f.name.split(".")[0]]
        assert len(inst.participants) == int(row["participants"]), f.name
        assert len(inst.meetings) == int(row["meetings"]), f.name
        assert len(inst.slots) == int(row["time_slots"]), f.name
        assert len(inst.locations) == int(row["locations"]), f.name
        if f.name.endswith(".original.dzn"):
            assert sum(len(p.unavailable) for p in inst.participants) == int(row["forbidden_cells"]), f.name
            am = sum(1 for m in inst.meetings if m.slots is not None and "s1" in m.slots)
            assert am == int(row["meetings_am_only"]), f.name
        assert all(m.required and m.weight == 1 for m in inst.meetings)
        assert inst.objective.max_break_spread == 2
        assert len(inst.groups) == 1


def test_fixed_meetings_are_mapped() -> None:
    inst = read_instance(require_b2bsp() / "tic-12.fixed020-Forb.dzn")
    fixed = [m for m in inst.meetings if m.fixed_slot is not None]
    assert len(fixed) == 25
    assert all(m.fixed_slot in inst.slot_index for m in fixed)


GOOD = """nBusiness = 3; nMeetings = 2; nTables = 1; nTotalSlots = 3; nMorningSlots = 2;
requested = [| 1, 2, 1 | 2, 3, 2 |];
forbidden = [ {0}, {0, 3}, {0} ];
fixed = [0, 0];
precedences = [ {}, {1} ];
"""


def test_small_dzn_mapping() -> None:
    inst = dzn_to_instance(GOOD, "tiny")
    assert [p.id for p in inst.participants] == ["b1", "b2", "b3"]
    assert inst.meetings[0].slots == ("s1", "s2")
    assert inst.meetings[1].slots == ("s3",)
    assert inst.participant_by_id["b2"].unavailable == frozenset({"s3"})
    assert inst.meetings[1].after == ("m1",)
    # m2 needs s3 but b2 is unavailable there: proven infeasible with a reason
    result = solve(inst, time_limit_s=5, workers=1)
    assert result.status == "infeasible"
    assert "m2" in result.stats["reason"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD.replace("nTables = 1;", "nTables = x;"), "line 1"),
        (GOOD.replace("| 2, 3, 2 |]", "| 2, 9, 2 |]"), "requested row 2"),
        (GOOD.replace("| 2, 3, 2 |]", "| 2, 3, 5 |]"), "requested row 2"),
        (GOOD.replace("nMeetings = 2;", "nMeetings = 3;"), "requested"),
        (GOOD.replace("{0, 3}", "{0, 7}"), "forbidden[2]"),
        (GOOD.replace("nBusiness = 3;", ""), "nBusiness"),
        (GOOD.replace("fixed = [0, 0];", "fixed = [0, 4];"), "fixed[2]"),
        (GOOD + "oops", "line"),
        (GOOD.replace("requested = [|", "requested = [| @"), "line 2"),
    ],
)
def test_malformed_dzn_names_the_element(text: str, where: str) -> None:
    with pytest.raises(InstanceError) as err:
        dzn_to_instance(text, "tiny")
    assert where in str(err.value)


@pytest.mark.parametrize("name", ["tic-12.original", "tic-12crafc.original"])
def test_smallest_instances_reach_the_published_optimum(name: str) -> None:
    row = _published()[name.split(".")[0]]
    inst = read_instance(require_b2bsp() / f"{name}.dzn")
    result = solve(inst, time_limit_s=120, workers=2, seed=0)
    assert result.status == "optimal"
    assert result.objective.breaks == int(row["opt_total_breaks_d2"])
    assert validate(inst, result) == []


def test_read_instance_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InstanceError):
        read_instance(tmp_path / "absent.dzn")
