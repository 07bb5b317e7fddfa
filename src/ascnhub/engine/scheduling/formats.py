"""JSON reading and writing of ``ascnhub-schedule/1`` instances and results, with validation.

Every structural or referential error raises :class:`InstanceError` naming the element; nothing
is returned half-read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import InstanceError, ResultError
from .model import (
    INSTANCE_FORMAT,
    RESULT_FORMAT,
    Assignment,
    Instance,
    Location,
    Meeting,
    Objective,
    Participant,
    Result,
    ResultObjective,
    Slot,
)

_STATUSES = ("optimal", "feasible", "infeasible", "unknown")


def _parse_time(value: Any, element: str) -> datetime:
    if not isinstance(value, str):
        raise InstanceError(element, f"expected an RFC 3339 time string, got {value!r}")
    try:
        t = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InstanceError(element, f"not an RFC 3339 time: {value!r}") from exc
    if t.tzinfo is None:
        raise InstanceError(element, f"time {value!r} has no UTC offset")
    return t


def _str(d: Mapping[str, Any], key: str, element: str, *, required: bool = True) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            raise InstanceError(element, f"missing field {key!r}")
        return None
    if not isinstance(v, str) or not v:
        raise InstanceError(element, f"field {key!r} must be a non-empty string, got {v!r}")
    return v


def _list(d: Mapping[str, Any], key: str, element: str, *, nullable: bool = False) -> list[Any] | None:
    v = d.get(key)
    if v is None:
        if nullable:
            return None
        return []
    if not isinstance(v, list):
        raise InstanceError(element, f"field {key!r} must be a list, got {type(v).__name__}")
    return v


def _obj(v: Any, element: str) -> Mapping[str, Any]:
    if not isinstance(v, dict):
        raise InstanceError(element, f"expected an object, got {type(v).__name__}")
    return v


def instance_from_dict(data: Mapping[str, Any]) -> Instance:
    """Build and validate an :class:`Instance` from a parsed ``ascnhub-schedule/1`` document."""
    data = _obj(data, "instance")
    fmt = data.get("format", INSTANCE_FORMAT)
    if fmt != INSTANCE_FORMAT:
        raise InstanceError("format", f"expected {INSTANCE_FORMAT!r}, got {fmt!r}")
    name = data.get("name") or "unnamed"
    if not isinstance(name, str):
        raise InstanceError("name", "must be a string")

    slots: list[Slot] = []
    seen: set[str] = set()
    prev_end: datetime | None = None
    prev_id = ""
    closed_groups: set[str] = set()
    for i, raw in enumerate(_list(data, "slots", "instance") or []):
        el = f"slots[{i}]"
        raw = _obj(raw, el)
        sid = _str(raw, "id", el)
        assert sid is not None
        el = f"slot {sid}"
        if sid in seen:
            raise InstanceError(el, "duplicate slot id")
        seen.add(sid)
        start = _parse_time(raw.get("start"), f"{el} start")
        end = _parse_time(raw.get("end"), f"{el} end")
        if end <= start:
            raise InstanceError(el, "end is not after start")
        if prev_end is not None and start < prev_end:
            raise InstanceError(
                el,
                f"starts before the previous slot {prev_id} ends (slots must be in "
                "time order and must not overlap)",
            )
        group = raw.get("group") or "all"
        if not isinstance(group, str):
            raise InstanceError(el, "group must be a string")
        if slots and group != slots[-1].group:
            closed_groups.add(slots[-1].group)
        if group in closed_groups:
            raise InstanceError(el, f"group {group!r} is not a block of consecutive slots")
        slots.append(Slot(sid, str(raw["start"]), str(raw["end"]), group))
        prev_end, prev_id = end, sid
    if not slots:
        raise InstanceError("slots", "an instance needs at least one slot")
    slot_ids = {s.id for s in slots}

    def check_slots(ids: list[Any], el: str) -> tuple[str, ...]:
        for s in ids:
            if s not in slot_ids:
                raise InstanceError(el, f"unknown slot {s!r}")
        return tuple(ids)

    locations: list[Location] = []
    seen = set()
    for i, raw in enumerate(_list(data, "locations", "instance") or []):
        el = f"locations[{i}]"
        raw = _obj(raw, el)
        lid = _str(raw, "id", el)
        assert lid is not None
        el = f"location {lid}"
        if lid in seen:
            raise InstanceError(el, "duplicate location id")
        seen.add(lid)
        kind = raw.get("kind", "table")
        if kind not in ("table", "virtual"):
            raise InstanceError(el, f"kind must be 'table' or 'virtual', got {kind!r}")
        ls = _list(raw, "slots", el, nullable=True)
        locations.append(Location(lid, kind, None if ls is None else check_slots(ls, el)))
    loc_kind = {loc.id: loc.kind for loc in locations}

    participants: list[Participant] = []
    seen = set()
    home_owner: dict[str, str] = {}
    for i, raw in enumerate(_list(data, "participants", "instance") or []):
        el = f"participants[{i}]"
        raw = _obj(raw, el)
        pid = _str(raw, "id", el)
        assert pid is not None
        el = f"participant {pid}"
        if pid in seen:
            raise InstanceError(el, "duplicate participant id")
        seen.add(pid)
        mode = raw.get("mode", "in_person")
        if mode not in ("in_person", "online"):
            raise InstanceError(el, f"mode must be 'in_person' or 'online', got {mode!r}")
        unavailable = check_slots(_list(raw, "unavailable", el) or [], el)
        mm = raw.get("max_meetings")
        if mm is not None and (not isinstance(mm, int) or isinstance(mm, bool) or mm < 0):
            raise InstanceError(el, f"max_meetings must be a non-negative integer, got {mm!r}")
        home = raw.get("home_location")
        if home is not None:
            if home not in loc_kind:
                raise InstanceError(el, f"unknown home_location {home!r}")
            if loc_kind[home] != "table":
                raise InstanceError(el, f"home_location {home!r} is not a table")
            if home in home_owner:
                raise InstanceError(
                    el,
                    f"conflicting home tables: {home!r} is already the home of "
                    f"participant {home_owner[home]}",
                )
            home_owner[home] = pid
        participants.append(Participant(pid, mode, frozenset(unavailable), mm, home))
    pids = {p.id for p in participants}
    p_mode = {p.id: p.mode for p in participants}
    p_home = {p.id: p.home_location for p in participants}

    meetings: list[Meeting] = []
    raw_meetings = _list(data, "meetings", "instance") or []
    mids: set[str] = set()
    for i, raw in enumerate(raw_meetings):
        el = f"meetings[{i}]"
        raw = _obj(raw, el)
        mid = _str(raw, "id", el)
        assert mid is not None
        if mid in mids:
            raise InstanceError(f"meeting {mid}", "duplicate meeting id")
        mids.add(mid)
    for raw in raw_meetings:
        mid = raw["id"]
        el = f"meeting {mid}"
        who = _list(raw, "participants", el) or []
        if len(who) < 2:
            raise InstanceError(el, "a meeting needs at least two participants")
        if len(set(who)) != len(who):
            raise InstanceError(el, "a participant is listed twice")
        for p in who:
            if p not in pids:
                raise InstanceError(el, f"unknown participant {p!r}")
        w = raw.get("weight", 1)
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not w > 0:
            raise InstanceError(el, f"weight must be a positive number, got {w!r}")
        req = raw.get("required", False)
        if not isinstance(req, bool):
            raise InstanceError(el, "required must be true or false")
        ms = _list(raw, "slots", el, nullable=True)
        fixed = raw.get("fixed_slot")
        if fixed is not None and fixed not in slot_ids:
            raise InstanceError(el, f"unknown fixed_slot {fixed!r}")
        pin = raw.get("fixed_location")
        if pin is not None:
            if pin not in loc_kind:
                raise InstanceError(el, f"unknown fixed_location {pin!r}")
            modes = {p_mode[p] for p in who}
            need = "table" if modes == {"in_person"} else "virtual"
            if loc_kind[pin] != need:
                raise InstanceError(
                    el,
                    f"fixed_location {pin!r} is a {loc_kind[pin]} but the meeting needs a {need} "
                    + (
                        "(every participant is in person)" if need == "table" else "(a participant is online)"
                    ),
                )
            for p in who:
                home = p_home[p]
                if need == "table" and home is not None and home != pin:
                    raise InstanceError(
                        el, f"fixed_location {pin!r} is not the home_location {home!r} of participant {p}"
                    )
        after = _list(raw, "after", el) or []
        for a in after:
            if a not in mids:
                raise InstanceError(el, f"unknown meeting {a!r} in after")
            if a == mid:
                raise InstanceError(el, "a meeting cannot come after itself")
        meetings.append(
            Meeting(
                mid,
                tuple(who),
                w,
                req,
                None if ms is None else check_slots(ms, el),
                fixed,
                tuple(after),
                pin,
            )
        )

    obj_raw = _obj(data.get("objective") or {}, "objective")
    bw = obj_raw.get("break_weight", 1)
    if isinstance(bw, bool) or not isinstance(bw, (int, float)) or bw < 0:
        raise InstanceError("objective.break_weight", f"must be a non-negative number, got {bw!r}")
    spread = obj_raw.get("max_break_spread")
    if spread is not None and (isinstance(spread, bool) or not isinstance(spread, int) or spread < 0):
        raise InstanceError("objective.max_break_spread", f"must be a non-negative integer, got {spread!r}")
    tz = data.get("timezone") or "UTC"
    return Instance(
        name,
        tuple(slots),
        tuple(locations),
        tuple(participants),
        tuple(meetings),
        Objective(bw, spread),
        str(tz),
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The ``ascnhub-schedule/1`` document of an instance."""
    return {
        "format": INSTANCE_FORMAT,
        "name": instance.name,
        "timezone": instance.timezone,
        "slots": [{"id": s.id, "start": s.start, "end": s.end, "group": s.group} for s in instance.slots],
        "locations": [
            {"id": loc.id, "kind": loc.kind, "slots": None if loc.slots is None else list(loc.slots)}
            for loc in instance.locations
        ],
        "participants": [
            {
                "id": p.id,
                "mode": p.mode,
                "unavailable": [s.id for s in instance.slots if s.id in p.unavailable],
                "max_meetings": p.max_meetings,
                "home_location": p.home_location,
            }
            for p in instance.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": list(m.participants),
                "weight": m.weight,
                "required": m.required,
                "slots": None if m.slots is None else list(m.slots),
                "fixed_slot": m.fixed_slot,
                "after": list(m.after),
                # written only when set: documents without pins stay as they were
                **({"fixed_location": m.fixed_location} if m.fixed_location is not None else {}),
            }
            for m in instance.meetings
        ],
        "objective": {
            "break_weight": instance.objective.break_weight,
            "max_break_spread": instance.objective.max_break_spread,
        },
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """The ``ascnhub-schedule-result/1`` document of a result."""
    o = result.objective
    return {
        "format": RESULT_FORMAT,
        "instance": result.instance,
        "status": result.status,
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "location": a.location} for a in result.assignments
        ],
        "unscheduled": list(result.unscheduled),
        "objective": {
            "held_weight": o.held_weight,
            "breaks": o.breaks,
            "bound_held_weight": o.bound_held_weight,
            "bound_breaks": o.bound_breaks,
        },
        "stats": dict(result.stats),
    }


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """Parse a result document (structure only; use the validator for the schedule rules)."""
    if not isinstance(data, dict):
        raise ResultError("result: expected an object")
    if data.get("format", RESULT_FORMAT) != RESULT_FORMAT:
        raise ResultError(f"format: expected {RESULT_FORMAT!r}, got {data.get('format')!r}")
    status = data.get("status")
    if status not in _STATUSES:
        raise ResultError(f"status: expected one of {_STATUSES}, got {status!r}")
    assignments = []
    for i, a in enumerate(data.get("assignments") or []):
        if not isinstance(a, dict) or not all(
            isinstance(a.get(k), str) for k in ("meeting", "slot", "location")
        ):
            raise ResultError(f"assignments[{i}]: needs string fields meeting, slot, location")
        assignments.append(Assignment(a["meeting"], a["slot"], a["location"]))
    o = data.get("objective") or {}
    return Result(
        instance=str(data.get("instance", "")),
        status=status,
        assignments=tuple(assignments),
        unscheduled=tuple(str(u) for u in data.get("unscheduled") or []),
        objective=ResultObjective(
            o.get("held_weight", 0), o.get("breaks", 0), o.get("bound_held_weight"), o.get("bound_breaks")
        ),
        stats=dict(data.get("stats") or {}),
    )


def read_instance(path: str | os.PathLike[str]) -> Instance:
    """Read an instance from a ``.json`` (ascnhub-schedule/1) or ``.dzn`` (B2BSP) file."""
    p = Path(path)
    if p.suffix.lower() == ".dzn":
        from .b2bsp import read_dzn

        return read_dzn(p)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError(str(p), f"cannot read: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(f"{p.name} line {exc.lineno}", f"invalid JSON: {exc.msg}") from exc
    return instance_from_dict(data)


def write_instance(instance: Instance, path: str | os.PathLike[str]) -> None:
    """Write an instance as ``ascnhub-schedule/1`` JSON."""
    _write_json(instance_to_dict(instance), Path(path))


def read_result(path: str | os.PathLike[str]) -> Result:
    """Read a result document."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultError(f"{Path(path).name} line {exc.lineno}: invalid JSON: {exc.msg}") from exc
    return result_from_dict(data)


def write_result(result: Result, path: str | os.PathLike[str]) -> None:
    """Write a result document (atomically: a temporary file renamed into place)."""
    _write_json(result_to_dict(result), Path(path))


def _write_json(doc: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
