"""Typed, immutable data of the scheduling engine: instances, results, violations, progress.

The shapes follow the ``ascnhub-schedule/1`` format (shared/formats/schedule.md). Instances are
validated when built through :func:`ascnhub.engine.scheduling.formats.instance_from_dict` or
:meth:`Instance.check`; the index properties below assume a checked instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

LocationKind = Literal["table", "virtual"]
Mode = Literal["in_person", "online"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]

INSTANCE_FORMAT = "ascnhub-schedule/1"
RESULT_FORMAT = "ascnhub-schedule-result/1"


@dataclass(frozen=True)
class Slot:
    """A time slot; instance order is time order. Breaks are counted inside a ``group``."""

    id: str
    start: str
    end: str
    group: str = "all"


@dataclass(frozen=True)
class Location:
    """A table (on site) or a virtual room, open in ``slots`` (None = always)."""

    id: str
    kind: LocationKind = "table"
    slots: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Participant:
    """A participant (or a delegation) that holds meetings."""

    id: str
    mode: Mode = "in_person"
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None
    home_location: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between two or more participants."""

    id: str
    participants: tuple[str, ...]
    weight: float = 1
    required: bool = False
    slots: tuple[str, ...] | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()
    #: the location the meeting must use when held (an organiser's pin, with or without a fixed slot)
    fixed_location: str | None = None


@dataclass(frozen=True)
class Objective:
    """Lexicographic objective: held weight first, then ``break_weight`` x breaks."""

    break_weight: float = 1
    max_break_spread: int | None = None


@dataclass(frozen=True)
class Instance:
    """A scheduling instance. Build it with ``instance_from_dict`` or call :meth:`check`."""

    name: str
    slots: tuple[Slot, ...]
    locations: tuple[Location, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    objective: Objective = field(default_factory=Objective)
    timezone: str = "UTC"

    # ---- indexes (computed once; the dataclass is frozen so they never go stale) ----
    @cached_property
    def slot_index(self) -> dict[str, int]:
        """Slot id -> position in time order."""
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        """Participant id -> participant."""
        return {p.id: p for p in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        """Meeting id -> meeting."""
        return {m.id: m for m in self.meetings}

    @cached_property
    def location_by_id(self) -> dict[str, Location]:
        """Location id -> location."""
        return {loc.id: loc for loc in self.locations}

    @cached_property
    def meetings_of(self) -> dict[str, list[int]]:
        """Participant id -> indexes of its meetings (in ``meetings`` order)."""
        out: dict[str, list[int]] = {p.id: [] for p in self.participants}
        for k, m in enumerate(self.meetings):
            for p in m.participants:
                out[p].append(k)
        return out

    @cached_property
    def later_of(self) -> dict[int, list[int]]:
        """Meeting index -> indexes of the meetings that must come after it (``after``)."""
        k_of = {m.id: k for k, m in enumerate(self.meetings)}
        out: dict[int, list[int]] = {}
        for k, m in enumerate(self.meetings):
            for b in m.after:
                out.setdefault(k_of[b], []).append(k)
        return out

    @cached_property
    def groups(self) -> list[list[int]]:
        """Slot indexes of each group, in time order (a group is consecutive slots sharing ``group``)."""
        out: list[list[int]] = []
        last: str | None = None
        for i, s in enumerate(self.slots):
            if s.group != last:
                out.append([])
                last = s.group
            out[-1].append(i)
        return out

    def is_in_person(self, meeting: Meeting) -> bool:
        """True when every participant of ``meeting`` is on site (the meeting needs a table)."""
        pid = self.participant_by_id
        return all(pid[p].mode == "in_person" for p in meeting.participants)

    def home_of(self, meeting: Meeting) -> str | None:
        """The home table an in-person meeting must use, or None. Raises nothing; see allowed_slots."""
        if not self.is_in_person(meeting):
            return None
        homes = {self.participant_by_id[p].home_location for p in meeting.participants} - {None}
        if len(homes) == 1:
            return next(iter(homes))
        return None

    def home_conflict(self, meeting: Meeting) -> bool:
        """True when an in-person meeting's participants have different home tables, or its
        ``fixed_location`` is not the home table of one of them (it cannot be held)."""
        if not self.is_in_person(meeting):
            return False
        homes = {self.participant_by_id[p].home_location for p in meeting.participants} - {None}
        if meeting.fixed_location is not None and homes - {meeting.fixed_location}:
            return True
        return len(homes) > 1

    def location_of(self, meeting: Meeting) -> str | None:
        """The one location ``meeting`` may use (its ``fixed_location``, else a home table), or None."""
        if meeting.fixed_location is not None:
            return meeting.fixed_location
        return self.home_of(meeting)

    def location_open(self, location: Location, slot: int) -> bool:
        """True when ``location`` is open in slot index ``slot``."""
        return location.slots is None or self.slots[slot].id in self._location_slot_sets[location.id]

    @cached_property
    def _location_slot_sets(self) -> dict[str, frozenset[str]]:
        return {loc.id: frozenset(loc.slots or ()) for loc in self.locations}

    @cached_property
    def tables_open(self) -> list[int]:
        """Number of open tables per slot index."""
        return [
            sum(1 for loc in self.locations if loc.kind == "table" and self.location_open(loc, s))
            for s in range(len(self.slots))
        ]

    @cached_property
    def rooms_open(self) -> list[int]:
        """Number of open virtual rooms per slot index."""
        return [
            sum(1 for loc in self.locations if loc.kind == "virtual" and self.location_open(loc, s))
            for s in range(len(self.slots))
        ]

    @cached_property
    def allowed_slots(self) -> list[list[int]]:
        """Per meeting index: slot indexes where it may be held given every unary rule.

        Applies ``slots``, ``fixed_slot``, participants' ``unavailable``, home conflicts, an open
        home table or ``fixed_location``, and the existence of an open location of the right kind.
        """
        n = len(self.slots)
        out: list[list[int]] = []
        for m in self.meetings:
            if self.home_conflict(m):
                out.append([])
                continue
            cand = set(range(n))
            if m.slots is not None:
                cand &= {self.slot_index[s] for s in m.slots}
            if m.fixed_slot is not None:
                cand &= {self.slot_index[m.fixed_slot]}
            for p in m.participants:
                cand -= {self.slot_index[s] for s in self.participant_by_id[p].unavailable}
            pin = self.location_of(m)
            if pin is not None:
                loc = self.location_by_id[pin]
                if loc.kind != ("table" if self.is_in_person(m) else "virtual"):
                    cand = set()
                cand = {s for s in cand if self.location_open(loc, s)}
            elif self.is_in_person(m):
                cand = {s for s in cand if self.tables_open[s] > 0}
            else:
                cand = {s for s in cand if self.rooms_open[s] > 0}
            out.append(sorted(cand))
        return out


@dataclass(frozen=True)
class Assignment:
    """A held meeting: its slot and location."""

    meeting: str
    slot: str
    location: str


@dataclass(frozen=True)
class ResultObjective:
    """Achieved values and the best proven bounds (None when unknown)."""

    held_weight: float = 0
    breaks: int = 0
    bound_held_weight: float | None = None
    bound_breaks: int | None = None


@dataclass(frozen=True)
class Result:
    """A schedule (or the proof that none exists) for an instance."""

    instance: str
    status: Status
    assignments: tuple[Assignment, ...] = ()
    unscheduled: tuple[str, ...] = ()
    objective: ResultObjective = field(default_factory=ResultObjective)
    stats: dict[str, Any] = field(default_factory=dict)

    def slot_of(self) -> dict[str, str]:
        """Meeting id -> slot id of every held meeting."""
        return {a.meeting: a.slot for a in self.assignments}


@dataclass(frozen=True)
class Violation:
    """One broken rule of a schedule: the rule number of the format and who/where it concerns."""

    rule: int
    message: str
    meeting: str | None = None
    participant: str | None = None
    slot: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            f"{k} {v}"
            for k, v in (("meeting", self.meeting), ("participant", self.participant), ("slot", self.slot))
            if v is not None
        )
        return f"rule {self.rule}: {self.message}" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class Progress:
    """A progress report while solving (for a progress bar or a log line)."""

    phase: str
    objective: float | None
    bound: float | None
    elapsed_s: float
