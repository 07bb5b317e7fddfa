"""The validator catches each kind of violation of the format's rules, and passes a valid schedule."""

from __future__ import annotations

import dataclasses

import pytest

from ascnhub.engine.scheduling import Assignment, Result, ResultObjective, instance_from_dict, validate
from ascnhub.engine.scheduling.validator import participant_breaks
from tests.engine.scheduling.sched_helpers import slot_dicts, small_doc

pytestmark = pytest.mark.engine

VALID = [
    Assignment("m1", "s0", "T1"),  # a-b at a's home table
    Assignment("m3", "s1", "T2"),  # b-c
    Assignment("m4", "s2", "V1"),  # c-d online, fixed s2
    Assignment("m5", "s1", "V1"),  # a-d online, after m1
]


def _result(assignments: list[Assignment], held: float | None = None, breaks: int | None = None) -> Result:
    inst = instance_from_dict(small_doc())
    slot_of = {a.meeting: a.slot for a in assignments if a.meeting in inst.meeting_by_id}
    w = sum(inst.meeting_by_id[m].weight for m in slot_of) if held is None else held
    b = sum(participant_breaks(inst, slot_of).values()) if breaks is None else breaks
    unscheduled = tuple(m.id for m in inst.meetings if m.id not in slot_of)
    return Result("small", "feasible", tuple(assignments), unscheduled, ResultObjective(w, b))


def _check(assignments: list[Assignment], **kw: float) -> list:
    return validate(instance_from_dict(small_doc()), _result(assignments, **kw))


def test_valid_schedule_passes() -> None:
    assert _check(VALID) == []


def _replace(meeting: str, **changes: str) -> list[Assignment]:
    return [dataclasses.replace(a, **changes) if a.meeting == meeting else a for a in VALID]


@pytest.mark.parametrize(
    ("assignments", "rule", "meeting", "participant", "slot", "words"),
    [
        # rule 1
        (VALID + [Assignment("m1", "s3", "T1")], 1, "m1", None, "s3", "more than once"),
        ([a for a in VALID if a.meeting != "m1"], 1, "m1", None, None, "required"),
        (VALID + [Assignment("m77", "s3", "T1")], 1, "m77", None, None, "unknown meeting"),
        # rule 2
        (_replace("m3", slot="s0", location="T2"), 2, "m3", "b", "s0", "2 meetings in one slot"),
        (_replace("m1", slot="s3"), 2, "m1", "b", "s3", "unavailable"),
        (VALID + [Assignment("m2", "s3", "T1")], 2, None, "c", None, "max_meetings"),
        # rule 3
        (_replace("m4", location="T1"), 3, "m4", None, "s2", "needs a virtual"),
        (_replace("m3", location="V1"), 3, "m3", None, "s1", "needs a table"),
        (_replace("m3", slot="s0", location="T1"), 3, "m3", None, "s0", "holds 2 meetings"),
        (
            [a for a in VALID if a.meeting != "m3"] + [Assignment("m3", "s1", "T2")],
            None,
            None,
            None,
            None,
            None,
        ),
        (_replace("m1", location="T2"), 3, "m1", "a", "s0", "home location T1"),
        (
            [a for a in VALID if a.meeting not in ("m3",)] + [Assignment("m2", "s3", "T2")],
            3,
            "m2",
            None,
            "s3",
            "not open",
        ),
        # rule 4
        (_replace("m3", slot="s3", location="T1"), 4, "m3", None, "s3", "allowed slots"),
        (_replace("m4", slot="s3"), 4, "m4", None, "s3", "fixed to slot s2"),
        (_replace("m5", slot="s0"), 4, "m5", None, "s0", "earlier slot"),
    ],
)
def test_each_violation_is_caught(assignments, rule, meeting, participant, slot, words) -> None:
    found = _check(assignments)
    if rule is None:
        assert found == []
        return
    match = [v for v in found if v.rule == rule and words in v.message]
    assert match, found
    v = match[0]
    assert (v.meeting, v.slot) == (meeting, slot) or (meeting is None or v.meeting == meeting)
    if participant is not None:
        assert v.participant == participant
    if slot is not None:
        assert v.slot == slot


def test_reported_objective_must_match() -> None:
    found = _check(VALID, held=99, breaks=7)
    assert any(v.rule == 6 and "held_weight" in v.message for v in found)
    assert any(v.rule == 5 and "breaks" in v.message for v in found)


def test_assigned_and_unscheduled_is_a_violation() -> None:
    r = _result(VALID)
    r = dataclasses.replace(r, unscheduled=r.unscheduled + ("m1",))
    assert any("both assigned and listed" in v.message for v in validate(instance_from_dict(small_doc()), r))


def _line_instance(groups: list[str], spread: int | None = None):
    doc = {
        "slots": slot_dicts(len(groups), groups),
        "locations": [{"id": f"T{i}", "kind": "table"} for i in range(3)],
        "participants": [{"id": p} for p in "abcde"],
        "meetings": [{"id": f"m{i}", "participants": ["a", q]} for i, q in enumerate("bcde")]
        + [{"id": "n1", "participants": ["b", "c"]}],
        "objective": {"max_break_spread": spread},
    }
    return instance_from_dict(doc)


def test_breaks_are_maximal_idle_runs_inside_a_group() -> None:
    inst = _line_instance(["g1"] * 6)
    # a: s0, s2, s3, s5 -> idle runs {s1}, {s4} -> 2 breaks; idle before first/after last not counted
    slot_of = {"m0": "s0", "m1": "s2", "m2": "s3", "m3": "s5"}
    assert participant_breaks(inst, slot_of)["a"] == 2
    assert participant_breaks(inst, {"m0": "s1", "m1": "s4"})["a"] == 1
    assert participant_breaks(inst, {"m0": "s2", "m1": "s3"})["a"] == 0
    # a gap across a group boundary is not a break
    inst2 = _line_instance(["am"] * 3 + ["pm"] * 3)
    assert participant_breaks(inst2, {"m0": "s0", "m1": "s4"})["a"] == 0
    assert participant_breaks(inst2, {"m0": "s0", "m1": "s2", "m2": "s4"})["a"] == 1


def test_fairness_spread_is_checked() -> None:
    inst = _line_instance(["g"] * 6, spread=0)
    slot_of = {"m0": "s0", "m1": "s2"}
    res = Result(
        inst.name,
        "feasible",
        tuple(Assignment(m, s, f"T{i}") for i, (m, s) in enumerate(slot_of.items())),
        ("m2", "m3", "n1"),
        ResultObjective(2, 1),
    )
    found = validate(inst, res)
    assert [v.rule for v in found] == [6]
    assert "max_break_spread" in found[0].message
