"""Pins from the organiser: a meeting fixed to a slot and a location (``meetings[].fixed_location``),
required meetings, and mixed instances where a few meetings are required or pinned and most are
optional."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from ascnhub.engine.scheduling import (
    InstanceError,
    generate,
    instance_from_dict,
    instance_to_dict,
    reschedule,
    solve,
    validate,
)
from ascnhub.engine.scheduling.greedy import greedy_slots
from ascnhub.engine.scheduling.model import Assignment, Instance, Result, ResultObjective
from ascnhub.engine.scheduling.solver import make_result
from tests.engine.scheduling.sched_helpers import slot_dicts

pytestmark = pytest.mark.engine


def _doc() -> dict[str, Any]:
    """Four slots, three tables and a video room; five in-person participants and one online."""
    return {
        "format": "ascnhub-schedule/1",
        "name": "pins",
        "slots": slot_dicts(4),
        "locations": [
            {"id": "T1", "kind": "table"},
            {"id": "T2", "kind": "table"},
            {"id": "T3", "kind": "table", "slots": ["s2", "s3"]},
            {"id": "V1", "kind": "virtual"},
        ],
        "participants": [
            {"id": "a"},
            {"id": "b"},
            {"id": "c"},
            {"id": "d"},
            {"id": "e", "home_location": "T2"},
            {"id": "o", "mode": "online"},
        ],
        "meetings": [
            {
                "id": "ab",
                "participants": ["a", "b"],
                "required": True,
                "fixed_slot": "s1",
                "fixed_location": "T1",
            },
            {"id": "cd", "participants": ["c", "d"], "fixed_location": "T1"},
            {"id": "ac", "participants": ["a", "c"], "weight": 2},
            {"id": "bd", "participants": ["b", "d"], "fixed_location": "T3"},
            {"id": "ae", "participants": ["a", "e"]},
            {"id": "ao", "participants": ["a", "o"], "fixed_location": "V1", "fixed_slot": "s3"},
        ],
    }


def _where(result: Result) -> dict[str, tuple[str, str]]:
    return {a.meeting: (a.slot, a.location) for a in result.assignments}


def test_fixed_location_round_trips_and_is_written_only_when_set() -> None:
    inst = instance_from_dict(_doc())
    assert inst.meeting_by_id["ab"].fixed_location == "T1"
    assert inst.meeting_by_id["ac"].fixed_location is None
    doc = instance_to_dict(inst)
    by_id = {m["id"]: m for m in doc["meetings"]}
    assert by_id["ab"]["fixed_location"] == "T1" and "fixed_location" not in by_id["ac"]
    assert instance_from_dict(doc) == inst


@pytest.mark.parametrize(
    ("meeting", "message"),
    [
        ({"fixed_location": "T9"}, "meeting cd: unknown fixed_location 'T9'"),
        ({"fixed_location": "V1"}, "fixed_location 'V1' is a virtual but the meeting needs a table"),
        ({"participants": ["c", "o"], "fixed_location": "T1"}, "is a table but the meeting needs a virtual"),
        (
            {"participants": ["c", "e"], "fixed_location": "T1"},
            "is not the home_location 'T2' of participant e",
        ),
    ],
)
def test_a_bad_fixed_location_is_named(meeting: dict[str, Any], message: str) -> None:
    doc = _doc()
    doc["meetings"][1].update(meeting)
    with pytest.raises(InstanceError) as err:
        instance_from_dict(doc)
    assert message in str(err.value)


@pytest.mark.parametrize("method", ["exact", "lns"])
def test_pinned_meetings_are_held_where_they_are_pinned(method: str) -> None:
    inst = instance_from_dict(_doc())
    res = solve(inst, time_limit_s=5, workers=1, method=method)  # type: ignore[arg-type]
    assert validate(inst, res) == []
    where = _where(res)
    assert where["ab"] == ("s1", "T1")
    assert where["ao"] == ("s3", "V1")
    assert where["cd"][1] == "T1" and where["cd"][0] != "s1"  # T1 is taken in s1
    assert where["bd"][1] == "T3" and where["bd"][0] in ("s2", "s3")
    if method == "exact":
        assert res.status == "optimal" and res.objective.held_weight == 7


def test_greedy_uses_a_pinned_location_once_per_slot() -> None:
    doc = _doc()
    # three more meetings pinned to T1, none with a slot: four meetings, four slots
    doc["participants"] += [{"id": f"x{i}"} for i in range(6)]
    doc["meetings"] += [
        {"id": f"x{i}", "participants": [f"x{2 * i}", f"x{2 * i + 1}"], "fixed_location": "T1"}
        for i in range(3)
    ]
    inst = instance_from_dict(doc)
    slots = greedy_slots(inst, break_aware=True)
    res = make_result(inst, slots, "feasible", bound_weight=None, bound_breaks=None, stats={})
    assert validate(inst, res) == []
    at_t1 = [a.slot for a in res.assignments if a.location == "T1"]
    assert len(at_t1) == len(set(at_t1)) == 4  # every slot of T1 used once: ab, cd and two of x0-x2


def test_validator_names_a_meeting_away_from_its_pinned_location() -> None:
    inst = instance_from_dict(_doc())
    res = Result(
        "pins",
        "feasible",
        (Assignment("ab", "s1", "T2"),),
        ("cd", "ac", "bd", "ae", "ao"),
        ResultObjective(1, 0),
    )
    messages = [str(v) for v in validate(inst, res)]
    assert "rule 4: meeting is fixed to location T1 but is at T2 (meeting ab, slot s1)" in messages


def test_two_required_meetings_pinned_to_one_place_are_infeasible() -> None:
    doc = _doc()
    doc["meetings"][1].update({"required": True, "fixed_slot": "s1"})
    inst = instance_from_dict(doc)
    res = solve(inst, time_limit_s=2, workers=1)
    assert res.status == "infeasible"
    assert res.stats["reason"] == "required meetings ab and cd are both pinned to location T1 in slot s1"


def test_reschedule_gives_a_new_pin_its_place() -> None:
    """Yesterday cd sat at T1 in s1 and ae at T2 in s0; today the organiser pins ab to T1 in s1."""
    inst = instance_from_dict(_doc())
    previous = Result(
        "pins",
        "feasible",
        (Assignment("cd", "s1", "T1"), Assignment("ae", "s0", "T2")),
        ("ab", "ac", "bd", "ao"),
        ResultObjective(2, 0),
    )
    res = reschedule(inst, previous, time_limit_s=3, workers=1)
    assert validate(inst, res) == []
    where = _where(res)
    assert where["ab"] == ("s1", "T1")
    assert where["ae"] == ("s0", "T2")  # unaffected: kept in place
    assert where["cd"][1] == "T1" and where["cd"][0] != "s1"  # still at its pinned table


def _mixed(seed: int, participants: int = 120) -> Instance:
    """A generated event where about 10 % of the meetings are required and 3 % of those are pinned
    to a slot and a table (as an organiser does), the rest optional."""
    inst = generate(participants, seed, requests_per_participant=4, days=1)
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
            cand = [
                loc
                for loc in pool
                if (loc, greedy[k]) not in used and inst.location_open(inst.location_by_id[loc], greedy[k])
            ]
            if cand:
                pin = rng.choice(cand)
                used.add((pin, greedy[k]))
        meetings[k] = dataclasses.replace(
            m,
            required=True,
            fixed_slot=inst.slots[greedy[k]].id if pin else None,
            fixed_location=pin,
        )
    return instance_from_dict(instance_to_dict(dataclasses.replace(inst, meetings=tuple(meetings))))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("method", ["auto", "lns"])
def test_mixed_instances_hold_every_required_meeting_and_every_pin(seed: int, method: str) -> None:
    inst = _mixed(seed)
    pinned = {m.id: (m.fixed_slot, m.fixed_location) for m in inst.meetings if m.fixed_location}
    assert pinned and sum(m.required for m in inst.meetings) > len(pinned)
    res = solve(inst, time_limit_s=2, workers=1, method=method)  # type: ignore[arg-type]
    assert res.status in ("optimal", "feasible")
    assert validate(inst, res) == []  # every required meeting held, every pin respected
    where = _where(res)
    assert all(where[mid] == pin for mid, pin in pinned.items())
