"""Precedence variants (issue 22 item 3): ``generator.with_precedences`` and ``schedule vary``."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from ascnhub.engine.scheduling import instance_from_dict, solve, validate
from ascnhub.engine.scheduling.b2bsp import dzn_to_instance
from ascnhub.engine.scheduling.cli import main
from ascnhub.engine.scheduling.formats import read_instance
from ascnhub.engine.scheduling.generator import with_precedences
from ascnhub.engine.scheduling.solver import precheck
from tests.engine.scheduling.sched_helpers import random_dzn, slot_dicts

pytestmark = pytest.mark.engine


def test_variant_adds_acyclic_precedences_between_meetings_of_one_participant() -> None:
    base = dzn_to_instance(random_dzn(random.Random(3)), "base")
    var = with_precedences(base, share=1.0, seed=4)
    assert var.name == "base.prec100s4"
    k_of = {m.id: k for k, m in enumerate(var.meetings)}
    added = [(b, k) for k, m in enumerate(var.meetings) for b in m.after]
    eligible = [p for p in base.participants if len(base.meetings_of[p.id]) >= 2]
    assert 1 <= len(added) <= len(eligible)
    for b, k in added:  # the two meetings share a participant
        assert set(var.meetings[k_of[b]].participants) & set(var.meetings[k].participants)
    # acyclic: a topological order exists
    indeg = {k: len(m.after) for k, m in enumerate(var.meetings)}
    ready = [k for k, n in indeg.items() if n == 0]
    seen = 0
    while ready:
        k = ready.pop()
        seen += 1
        for later in var.later_of.get(k, []):
            indeg[later] -= 1
            if indeg[later] == 0:
                ready.append(later)
    assert seen == len(var.meetings)
    # everything else unchanged
    assert [m.participants for m in var.meetings] == [m.participants for m in base.meetings]
    assert var.slots == base.slots and var.participants == base.participants


def test_variant_is_deterministic_for_a_seed() -> None:
    base = dzn_to_instance(random_dzn(random.Random(3)), "base")
    a, b, c = (with_precedences(base, 0.5, s) for s in (1, 1, 2))
    assert a.meetings == b.meetings
    assert a.meetings != c.meetings or a.name != c.name


def test_solved_variant_respects_its_precedences() -> None:
    rng = random.Random(8)
    solved = 0
    for i in range(12):
        var = with_precedences(dzn_to_instance(random_dzn(rng), f"r{i}"), share=0.5, seed=i)
        res = solve(var, time_limit_s=5, workers=1)
        assert res.status in ("optimal", "infeasible"), var.name
        if res.status == "optimal":
            assert validate(var, res) == []  # the validator checks "after" (rule: precedence)
            slot = {a.meeting: var.slot_index[a.slot] for a in res.assignments}
            for m in var.meetings:
                for b in m.after:
                    assert slot[b] < slot[m.id]
            solved += 1
    assert solved >= 6


def test_bad_share_is_refused() -> None:
    base = dzn_to_instance(random_dzn(random.Random(3)), "base")
    with pytest.raises(ValueError, match="share"):
        with_precedences(base, 0, 1)


def test_vary_command_writes_a_variant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "base.dzn"
    src.write_text(random_dzn(random.Random(3)))
    out = tmp_path / "var.json"
    assert main(["vary", str(src), "--precedences", "0.5", "--seed", "2", "--out", str(out)]) == 0
    assert "precedences added" in capsys.readouterr().err
    doc = json.loads(out.read_text())
    assert doc["format"] == "ascnhub-schedule/1"
    assert any(m.get("after") for m in doc["meetings"])
    assert read_instance(out).name.endswith(".prec050s2")
    assert main(["vary", str(src), "--precedences", "1.5", "--out", str(tmp_path / "x.json")]) == 2
    assert "--precedences" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_no_precedence_is_impossible_on_its_own() -> None:
    """Sessions make some pairs impossible one way round (an afternoon-only meeting before a
    morning-only one): the generator orients every pair the possible way."""
    rng = random.Random(21)
    for i in range(20):
        var = with_precedences(dzn_to_instance(random_dzn(rng), f"r{i}"), share=1.0, seed=i)
        allowed = var.allowed_slots
        k_of = {m.id: k for k, m in enumerate(var.meetings)}
        for k, m in enumerate(var.meetings):
            for b in m.after:
                assert min(allowed[k_of[b]]) < max(allowed[k]), (var.name, b, m.id)


def test_precheck_names_an_impossible_precedence() -> None:
    doc = {
        "slots": slot_dicts(4, ["am", "am", "pm", "pm"]),
        "locations": [{"id": "T1", "kind": "table"}, {"id": "T2", "kind": "table"}],
        "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "meetings": [
            {"id": "m1", "participants": ["a", "b"], "required": True, "slots": ["s2", "s3"]},
            {"id": "m2", "participants": ["a", "c"], "required": True, "slots": ["s0", "s1"]},
        ],
    }
    doc["meetings"][1]["after"] = ["m1"]
    inst = instance_from_dict(doc)
    assert precheck(inst) == (
        "required meeting m2 must come after m1, "
        "but its last possible slot s1 is not later than m1's first s2"
    )
    res = solve(inst, time_limit_s=5, workers=1)
    assert res.status == "infeasible" and not res.assignments
    doc["meetings"][1]["slots"] = ["s0", "s3"]  # now possible: m1 in s2, m2 in s3
    res = solve(instance_from_dict(doc), time_limit_s=5, workers=1)
    assert res.status == "optimal" and validate(instance_from_dict(doc), res) == []
