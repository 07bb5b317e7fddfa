"""Re-scheduling keeps unaffected meetings where they were; the generator and greedy are valid."""

from __future__ import annotations

import dataclasses
import random

import pytest

from ascnhub.engine.scheduling import (
    Meeting,
    generate,
    instance_from_dict,
    instance_to_dict,
    reschedule,
    solve,
    validate,
)
from ascnhub.engine.scheduling.greedy import greedy_slots
from ascnhub.engine.scheduling.solver import make_result

pytestmark = pytest.mark.engine


def test_generator_is_deterministic_and_valid() -> None:
    a = generate(60, seed=5)
    assert a == generate(60, seed=5)
    assert a != generate(60, seed=6)
    assert instance_from_dict(instance_to_dict(a)) == a  # passes every input check
    assert any(p.mode == "online" and p.unavailable for p in a.participants)
    assert len({s.group for s in a.slots}) == 4  # two days, morning and afternoon


def test_greedy_baseline_is_valid() -> None:
    inst = generate(80, seed=2)
    for aware in (False, True):
        slots = greedy_slots(inst, break_aware=aware)
        result = make_result(inst, slots, "feasible", bound_weight=None, bound_breaks=None, stats={})
        assert validate(inst, result) == []


def test_reschedule_keeps_unaffected_meetings() -> None:
    inst = generate(60, seed=7)
    before = solve(inst, time_limit_s=10, workers=1, seed=0)
    assert before.status in ("optimal", "feasible")
    rng = random.Random(1)
    held = [a.meeting for a in before.assignments]
    cancelled = set(rng.sample(held, len(held) // 20 + 1))
    people = [p.id for p in inst.participants]
    new = [Meeting(f"new{i}", tuple(rng.sample(people, 2)), 2) for i in range(4)]
    # one participant becomes unavailable in a slot where it had a meeting
    victim = next(a for a in before.assignments if a.meeting not in cancelled)
    who = inst.meeting_by_id[victim.meeting].participants[0]
    parts = tuple(
        dataclasses.replace(p, unavailable=p.unavailable | {victim.slot}) if p.id == who else p
        for p in inst.participants
    )
    changed = dataclasses.replace(
        inst,
        participants=parts,
        meetings=tuple(m for m in inst.meetings if m.id not in cancelled) + tuple(new),
    )
    after = reschedule(changed, before, time_limit_s=3, workers=1)
    assert validate(changed, after) == []
    prev = {a.meeting: (a.slot, a.location) for a in before.assignments}
    now = {a.meeting: (a.slot, a.location) for a in after.assignments}
    affected = {
        m for m, (s, _) in prev.items() if who in inst.meeting_by_id[m].participants and s == victim.slot
    }
    for m, where in prev.items():
        if m in cancelled or m in affected:
            continue
        assert now.get(m) == where, m
    assert after.stats["moved"] == sum(1 for m in now if m in prev and prev[m] != now[m])
    assert after.stats["moved"] <= len(affected)
    assert all(m not in now for m in cancelled)
