"""Small random instances: the solver's optimum equals brute force (held weight, then breaks)."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascnhub.engine.scheduling import instance_from_dict, solve, validate
from tests.engine.scheduling.sched_helpers import slot_dicts

pytestmark = pytest.mark.engine


@st.composite
def instances(draw):
    n_slots = draw(st.integers(2, 4))
    groups = draw(st.lists(st.sampled_from(["am", "pm"]), min_size=n_slots, max_size=n_slots).map(sorted))
    n_part = draw(st.integers(2, 4))
    people = [f"p{i}" for i in range(n_part)]
    online = draw(st.lists(st.booleans(), min_size=n_part, max_size=n_part))
    participants = []
    for i, p in enumerate(people):
        unavailable = draw(
            st.lists(st.sampled_from([f"s{j}" for j in range(n_slots)]), max_size=1, unique=True)
        )
        cap = draw(st.one_of(st.none(), st.integers(1, 3)))
        participants.append(
            {
                "id": p,
                "mode": "online" if online[i] else "in_person",
                "unavailable": unavailable,
                "max_meetings": cap,
            }
        )
    pairs = list(itertools.combinations(people, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=5))
    meetings = []
    for i, (a, b) in enumerate(chosen):
        fixed = (
            draw(st.one_of(st.none(), st.sampled_from([f"s{j}" for j in range(n_slots)]))) if i == 0 else None
        )
        meetings.append(
            {
                "id": f"m{i}",
                "participants": [a, b],
                "weight": draw(st.integers(1, 3)),
                "fixed_slot": fixed,
                "after": ["m0"] if i == 1 and draw(st.booleans()) else [],
            }
        )
    n_tables = draw(st.integers(1, 2))
    locations = [{"id": f"T{i}", "kind": "table"} for i in range(n_tables)] + [
        {"id": "V0", "kind": "virtual"}
    ]
    spread = draw(st.one_of(st.none(), st.integers(0, 1)))
    return instance_from_dict(
        {
            "slots": slot_dicts(n_slots, groups),
            "locations": locations,
            "participants": participants,
            "meetings": meetings,
            "objective": {"break_weight": 1, "max_break_spread": spread},
        }
    )


def brute_force(inst) -> tuple[float, int] | None:
    """Best (held weight, -breaks) over every assignment of meetings to slots or to nothing."""
    n = len(inst.slots)
    pby = inst.participant_by_id
    best: tuple[float, int] | None = None
    for choice in itertools.product(range(-1, n), repeat=len(inst.meetings)):
        busy: dict[tuple[str, int], int] = {}
        count: dict[str, int] = {}
        tables = [0] * n
        rooms = [0] * n
        ok = True
        for m, s in zip(inst.meetings, choice, strict=False):
            if s < 0:
                continue
            sid = inst.slots[s].id
            if m.fixed_slot is not None and m.fixed_slot != sid:
                ok = False
                break
            for p in m.participants:
                if sid in pby[p].unavailable or (p, s) in busy:
                    ok = False
                busy[(p, s)] = 1
                count[p] = count.get(p, 0) + 1
            if all(pby[p].mode == "in_person" for p in m.participants):
                tables[s] += 1
            else:
                rooms[s] += 1
        if not ok:
            continue
        if any(tables[s] > inst.tables_open[s] or rooms[s] > inst.rooms_open[s] for s in range(n)):
            continue
        if any(pby[p].max_meetings is not None and c > pby[p].max_meetings for p, c in count.items()):
            continue
        if any(m.required and s < 0 for m, s in zip(inst.meetings, choice, strict=False)):
            continue
        slot = {m.id: s for m, s in zip(inst.meetings, choice, strict=False)}
        if any(
            slot[m.id] >= 0 and slot[b] >= 0 and slot[b] >= slot[m.id] for m in inst.meetings for b in m.after
        ):
            continue
        brk = {}
        for p in inst.participants:
            total = 0
            for g in inst.groups:
                used = [(p.id, s) in busy for s in g]
                idx = [i for i, u in enumerate(used) if u]
                if len(idx) >= 2:
                    total += sum(1 for i in range(idx[0] + 1, idx[-1] + 1) if used[i] and not used[i - 1])
            brk[p.id] = total
        d = inst.objective.max_break_spread
        if d is not None and max(brk.values()) - min(brk.values()) > d:
            continue
        held = sum(m.weight for m, s in zip(inst.meetings, choice, strict=False) if s >= 0)
        value = (held, -sum(brk.values()))
        if best is None or value > best:
            best = value
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solver_matches_brute_force(inst) -> None:
    expected = brute_force(inst)
    result = solve(inst, time_limit_s=20, workers=1, method="exact")
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal", result.stats
    assert validate(inst, result) == []
    assert (result.objective.held_weight, -result.objective.breaks) == expected


@st.composite
def mixed_instances(draw):
    """Issue 22 item 4: some meetings required (one of them possibly pinned to a slot, m0 above),
    the others optional, as the platform's must-happen and pinned meetings make them."""
    inst = draw(instances())
    flags = draw(st.lists(st.booleans(), min_size=len(inst.meetings), max_size=len(inst.meetings)))
    if len(inst.meetings) >= 2:  # at least one of each kind
        flags[0], flags[-1] = True, False
    meetings = tuple(dataclasses.replace(m, required=f) for m, f in zip(inst.meetings, flags, strict=True))
    return dataclasses.replace(inst, meetings=meetings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_instances())
def test_mixed_instances_reach_the_weight_bound_then_the_fewest_breaks(inst) -> None:
    """Every required meeting held, the most optional weight held, then the fewest breaks: the
    brute-force optimum, proven (status optimal), on the path the platform's instances take."""
    expected = brute_force(inst)
    result = solve(inst, time_limit_s=20, workers=2)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal", result.stats
    assert validate(inst, result) == []
    assert (result.objective.held_weight, -result.objective.breaks) == expected
    assert result.objective.bound_held_weight == expected[0]
