"""Independent checker of a schedule against every rule of ``ascnhub-schedule/1``.

Rule numbers follow the format document (1-5); rule 6 stands for the objective section: the
fairness bound ``max_break_spread`` and the values a result reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from .model import Instance, Result, Violation


def participant_breaks(instance: Instance, slot_of: Mapping[str, str]) -> dict[str, int]:
    """Breaks of every participant given meeting id -> slot id of the held meetings (rule 5)."""
    busy: dict[str, set[int]] = defaultdict(set)
    si = instance.slot_index
    for mid, sid in slot_of.items():
        m = instance.meeting_by_id.get(mid)
        if m is None or sid not in si:
            continue
        for p in m.participants:
            busy[p].add(si[sid])
    out = {p.id: 0 for p in instance.participants}
    for p, slots in busy.items():
        if p not in out:
            continue
        n = 0
        for group in instance.groups:
            used = [s in slots for s in group]
            idx = [k for k, u in enumerate(used) if u]
            if len(idx) < 2:
                continue
            for k in range(idx[0] + 1, idx[-1] + 1):
                if used[k] and not used[k - 1]:
                    n += 1
        out[p] = n
    return out


def held_weight(instance: Instance, slot_of: Mapping[str, str]) -> float:
    """Total weight of the held meetings."""
    return sum(instance.meeting_by_id[m].weight for m in slot_of if m in instance.meeting_by_id)


def validate(instance: Instance, result: Result, *, check_objective: bool = True) -> list[Violation]:
    """Every violation of the format's rules by ``result`` (an empty list means a valid schedule).

    With ``check_objective`` the reported ``held_weight`` and ``breaks`` must equal the values
    recomputed from the assignments.
    """
    v: list[Violation] = []
    if result.status in ("infeasible", "unknown") and not result.assignments:
        return v
    si = instance.slot_index
    mby = instance.meeting_by_id
    lby = instance.location_by_id
    pby = instance.participant_by_id

    slot_of: dict[str, str] = {}
    loc_of: dict[str, str] = {}
    for a in result.assignments:
        if a.meeting not in mby:
            v.append(Violation(1, "assignment of an unknown meeting", meeting=a.meeting))
            continue
        if a.slot not in si:
            v.append(Violation(1, "assignment to an unknown slot", meeting=a.meeting, slot=a.slot))
            continue
        if a.location not in lby:
            v.append(
                Violation(
                    3, f"assignment to an unknown location {a.location}", meeting=a.meeting, slot=a.slot
                )
            )
            continue
        if a.meeting in slot_of:
            v.append(Violation(1, "meeting held more than once", meeting=a.meeting, slot=a.slot))
            continue
        slot_of[a.meeting] = a.slot
        loc_of[a.meeting] = a.location

    unscheduled = set(result.unscheduled)
    for m in instance.meetings:
        if m.id in slot_of and m.id in unscheduled:
            v.append(Violation(1, "meeting both assigned and listed as unscheduled", meeting=m.id))
        if m.required and m.id not in slot_of:
            v.append(Violation(1, "required meeting is not held", meeting=m.id))

    # rule 2: participants
    at: dict[tuple[str, str], list[str]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    for mid, sid in slot_of.items():
        for p in mby[mid].participants:
            at[(p, sid)].append(mid)
            count[p] += 1
            if sid in pby[p].unavailable:
                v.append(
                    Violation(
                        2, "participant is unavailable in this slot", meeting=mid, participant=p, slot=sid
                    )
                )
    for (p, sid), ms in sorted(at.items()):
        if len(ms) > 1:
            v.append(
                Violation(
                    2,
                    f"participant holds {len(ms)} meetings in one slot ({', '.join(ms)})",
                    meeting=ms[1],
                    participant=p,
                    slot=sid,
                )
            )
    for part in instance.participants:
        if part.max_meetings is not None and count[part.id] > part.max_meetings:
            v.append(
                Violation(
                    2,
                    f"participant holds {count[part.id]} meetings, "
                    f"more than max_meetings {part.max_meetings}",
                    participant=part.id,
                )
            )

    # rule 3: locations
    used: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mid, lid in loc_of.items():
        m, loc, sid = mby[mid], lby[lid], slot_of[mid]
        used[(lid, sid)].append(mid)
        need = "table" if instance.is_in_person(m) else "virtual"
        if loc.kind != need:
            v.append(
                Violation(
                    3, f"meeting needs a {need} location but is at {loc.kind} {lid}", meeting=mid, slot=sid
                )
            )
        if loc.slots is not None and sid not in loc.slots:
            v.append(Violation(3, f"location {lid} is not open in this slot", meeting=mid, slot=sid))
        if need == "table":
            for p in m.participants:
                home = pby[p].home_location
                if home is not None and home != lid:
                    v.append(
                        Violation(
                            3,
                            f"in-person meeting not at the participant's home location {home}",
                            meeting=mid,
                            participant=p,
                            slot=sid,
                        )
                    )
    for (lid, sid), ms in sorted(used.items()):
        if len(ms) > 1:
            v.append(
                Violation(
                    3,
                    f"location {lid} holds {len(ms)} meetings in one slot ({', '.join(ms)})",
                    meeting=ms[1],
                    slot=sid,
                )
            )

    # rule 4: slots, fixed_slot, fixed_location, after
    for mid, sid in slot_of.items():
        m = mby[mid]
        if m.slots is not None and sid not in m.slots:
            v.append(Violation(4, "slot is not among the meeting's allowed slots", meeting=mid, slot=sid))
        if m.fixed_slot is not None and sid != m.fixed_slot:
            v.append(Violation(4, f"meeting is fixed to slot {m.fixed_slot}", meeting=mid, slot=sid))
        if m.fixed_location is not None and mid in loc_of and loc_of[mid] != m.fixed_location:
            v.append(
                Violation(
                    4,
                    f"meeting is fixed to location {m.fixed_location} but is at {loc_of[mid]}",
                    meeting=mid,
                    slot=sid,
                )
            )
        for before in m.after:
            if before in slot_of and si[slot_of[before]] >= si[sid]:
                v.append(
                    Violation(4, f"meeting {before} must be held in an earlier slot", meeting=mid, slot=sid)
                )

    # objective section: fairness and reported values
    breaks = participant_breaks(instance, slot_of)
    spread = instance.objective.max_break_spread
    if spread is not None and breaks:
        hi = max(breaks, key=lambda p: breaks[p])
        lo = min(breaks, key=lambda p: breaks[p])
        if breaks[hi] - breaks[lo] > spread:
            v.append(
                Violation(
                    6,
                    f"break counts differ by {breaks[hi] - breaks[lo]} > max_break_spread "
                    f"{spread} (participant {lo} has {breaks[lo]})",
                    participant=hi,
                )
            )
    if check_objective:
        total = sum(breaks.values())
        if result.objective.breaks != total:
            v.append(Violation(5, f"reported breaks {result.objective.breaks} but the schedule has {total}"))
        w = held_weight(instance, slot_of)
        if abs(float(result.objective.held_weight) - w) > 1e-6 * max(1.0, abs(w)):
            v.append(
                Violation(
                    6, f"reported held_weight {result.objective.held_weight} but the schedule holds {w}"
                )
            )
    return v
