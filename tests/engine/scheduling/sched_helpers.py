"""Shared helpers for the scheduling engine tests: small instances and the B2BSP folder."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

B2BSP_DIR = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "b2bsp" / "jair2022"
if not B2BSP_DIR.is_dir():  # CI lays shared/ beside the clone
    B2BSP_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "benchmarks" / "b2bsp" / "jair2022"


def slot_dicts(n: int, groups: list[str] | None = None) -> list[dict[str, Any]]:
    """``n`` consecutive 20-minute slots s0..s{n-1} (optionally with a group per slot)."""
    out = []
    for i in range(n):
        h, m = divmod(9 * 60 + 20 * i, 60)
        h2, m2 = divmod(9 * 60 + 20 * (i + 1), 60)
        out.append(
            {
                "id": f"s{i}",
                "start": f"2026-10-19T{h:02d}:{m:02d}:00Z",
                "end": f"2026-10-19T{h2:02d}:{m2:02d}:00Z",
                "group": groups[i] if groups else "day",
            }
        )
    return out


def small_doc() -> dict[str, Any]:
    """A small valid instance: 4 slots, 2 tables, 1 video room, 4 participants (one online)."""
    return {
        "format": "ascnhub-schedule/1",
        "name": "small",
        "slots": slot_dicts(4),
        "locations": [
            {"id": "T1", "kind": "table"},
            {"id": "T2", "kind": "table", "slots": ["s0", "s1"]},
            {"id": "V1", "kind": "virtual"},
        ],
        "participants": [
            {"id": "a", "mode": "in_person", "unavailable": [], "max_meetings": None, "home_location": "T1"},
            {"id": "b", "mode": "in_person", "unavailable": ["s3"]},
            {"id": "c", "mode": "in_person", "max_meetings": 2},
            {"id": "d", "mode": "online"},
        ],
        "meetings": [
            {"id": "m1", "participants": ["a", "b"], "weight": 3, "required": True},
            {"id": "m2", "participants": ["a", "c"], "weight": 2},
            {"id": "m3", "participants": ["b", "c"], "weight": 1, "slots": ["s0", "s1"]},
            {"id": "m4", "participants": ["c", "d"], "weight": 2, "fixed_slot": "s2"},
            {"id": "m5", "participants": ["a", "d"], "weight": 1, "after": ["m1"]},
        ],
        "objective": {"break_weight": 1, "max_break_spread": None},
    }


def require_b2bsp() -> Path:
    """The B2BSP folder, or skip when shared/ is not there."""
    if not B2BSP_DIR.is_dir():
        pytest.skip("shared/benchmarks/b2bsp not available")
    return B2BSP_DIR


def random_dzn(rng: random.Random) -> str:
    """A small random B2BSP instance: 4-6 participants, 5-7 slots (morning/afternoon), 1-3 tables,
    a few forbidden slots."""
    n_p, n_slots = rng.randint(4, 6), rng.randint(5, 7)
    morning = rng.randint(2, n_slots)
    pairs = [(a, b) for a in range(1, n_p + 1) for b in range(a + 1, n_p + 1)]
    chosen = rng.sample(pairs, rng.randint(n_p, min(len(pairs), 2 * n_p)))
    rows = " | ".join(f"{a}, {b}, {rng.choice([1, 2, 3, 3, 3])}" for a, b in chosen)
    forb = ", ".join(
        "{" + ", ".join(["0", *(str(s) for s in range(1, n_slots + 1) if rng.random() < 0.1)]) + "}"
        for _ in range(n_p)
    )
    return (
        f"nBusiness = {n_p}; nMeetings = {len(chosen)}; nTables = {rng.randint(1, 3)};\n"
        f"nTotalSlots = {n_slots}; nMorningSlots = {morning};\n"
        f"requested = [| {rows} |];\nforbidden = [ {forb} ];\n"
        f"fixed = [{', '.join('0' for _ in chosen)}];\nprecedences = [ {', '.join('{}' for _ in chosen)} ];\n"
    )
