"""The organiser's hand on the schedule: move a meeting, pin it, and the checks every write shares.

Every change to where a meeting happens goes through here or through `scheduling.publish_run`
(runs, re-runs, rollbacks): both check the placement with one `Board`, under the Setup row lock.
The database constraints (one meeting per table and slot, one meeting per person and slot) stay
the last guard; the board is what names the conflict for the organiser.

    move_meeting(actor, meeting, slot=, location=, version=) -> the same row, moved and pinned
    pin_meeting(actor, meeting) / pin_request(actor, request, slot, location) / unpin(actor, request)
    place_request(actor, request, slot=) -> an accepted request left out, put into the published
                                            schedule (booked by a side, or placed by the organiser)
    check_placement(setup, rows) -> the conflicts of a whole placement (used before publishing)
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import calendar_feed, conflicts, notifications, signals
from .errors import MatchmakingError
from .models import (
    Location,
    MeetingRequest,
    Pin,
    Profile,
    ScheduledMeeting,
    ScheduleRun,
    Setup,
    Slot,
    SlotBooking,
    UnplacedRequest,
)

if TYPE_CHECKING:
    from ascnhub.common.models import User


@dataclass
class Board:
    """Who and what is where, and what each participant cannot do, for the slots it was loaded for."""

    setup: Setup
    slots: dict[int, Slot]
    locations: dict[int, Location]
    profiles: dict[int, Profile]
    unavailable: dict[int, set[int]] = field(default_factory=dict)  # profile -> slot pks
    night: dict[int, set[int]] = field(default_factory=dict)
    sessions: dict[int, dict[int, str]] = field(default_factory=dict)  # profile -> slot -> title
    by_place: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)
    by_person: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, setup: Setup, profile_ids: Iterable[int], slots: list[Slot] | None = None) -> Board:
        """Load the profiles' availability (own choice, night for online people, forum sign-ups)."""
        from ascnhub.events.models import ForumSignup

        from .scheduling import _night_slots

        all_slots = slots if slots is not None else list(setup.slots.all())
        profiles = {
            p.pk: p
            for p in Profile.objects.filter(pk__in=set(profile_ids))
            .select_related("home_location")
            .prefetch_related("unavailable", "members")
        }
        board = cls(
            setup=setup,
            slots={s.pk: s for s in all_slots},
            locations={loc.pk: loc for loc in setup.locations.all()},
            profiles=profiles,
        )
        code_to_pk = {s.code: s.pk for s in all_slots}
        registrations: dict[int, set[int]] = defaultdict(set)
        for p in profiles.values():
            board.unavailable[p.pk] = {s.pk for s in p.unavailable.all()}
            board.night[p.pk] = {code_to_pk[c] for c in _night_slots(p, all_slots)}
            board.sessions[p.pk] = {}
            registrations[p.owner_id].add(p.pk)
            for member in p.members.all():
                registrations[member.pk].add(p.pk)
        signups = ForumSignup.objects.filter(registration_id__in=list(registrations)).select_related(
            "session"
        )
        # A forum blocks the member who goes, not colleagues who could attend instead: a profile is
        # busy in a slot only when every one of its people is (conflicts.profile_busy).
        busy_all, _by_person = conflicts.profile_busy(list(profiles.values()), all_slots)
        for signup in signups:
            s = signup.session
            for slot in all_slots:
                if slot.starts_at < s.ends_at and s.starts_at < slot.ends_at:
                    for pid in registrations[signup.registration_id]:
                        if slot.code in busy_all.get(pid, set()):
                            board.sessions[pid][slot.pk] = s.title
        return board

    def when(self, slot: Slot) -> str:
        local = slot.starts_at.astimezone(zoneinfo.ZoneInfo(self.setup.meeting.timezone))
        return f"{local:%d %b %H:%M}"

    def place(self, request_id: int, a: int, b: int, slot_id: int, location_id: int, label: str) -> None:
        """Record a meeting as occupying its table and both sides in its slot."""
        self.by_place[(slot_id, location_id)] = (request_id, label)
        self.by_person[(slot_id, a)] = (request_id, label)
        self.by_person[(slot_id, b)] = (request_id, label)

    def conflicts(
        self, request_id: int, a: int, b: int, slot: Slot, location: Location, *, check_occupied: bool = True
    ) -> list[str]:
        """Every reason the meeting of profiles a and b cannot be at `location` in `slot`, named."""
        problems: list[str] = []
        when = self.when(slot)
        if slot.setup_id != self.setup.pk or location.setup_id != self.setup.pk:
            return [_("that slot or table is not part of this matchmaking")]
        sides = [self.profiles[a], self.profiles[b]]
        online = [p for p in sides if p.mode == "online"]
        if online and location.kind == Location.Kind.TABLE:
            problems.append(
                _("%(name)s takes part online and cannot meet at table %(table)s")
                % {"name": online[0].name, "table": location.code}
            )
        if not online and location.kind == Location.Kind.VIRTUAL:
            problems.append(
                _("both sides meet in person, so the meeting needs a table, not video room %(room)s")
                % {"room": location.code}
            )
        for p in sides:
            # An exhibitor's own table binds its in-person meetings only (as in the engine).
            if not online and p.home_location_id and p.home_location_id != location.pk:
                problems.append(
                    _("%(name)s meets at its own table %(table)s")
                    % {"name": p.name, "table": p.home_location.code if p.home_location else ""}
                )
            if slot.pk in self.unavailable.get(p.pk, set()):
                problems.append(_("%(name)s is not available at %(when)s") % {"name": p.name, "when": when})
            elif slot.pk in self.night.get(p.pk, set()):
                problems.append(
                    _("%(when)s is at night for %(name)s (online, %(tz)s)")
                    % {"name": p.name, "when": when, "tz": p.timezone}
                )
            session = self.sessions.get(p.pk, {}).get(slot.pk)
            if session:
                problems.append(
                    _("%(name)s signed up for the session “%(session)s” at %(when)s")
                    % {"name": p.name, "session": session, "when": when}
                )
            if check_occupied:
                other = self.by_person.get((slot.pk, p.pk))
                if other and other[0] != request_id:
                    problems.append(
                        _("%(name)s is busy in another meeting at %(when)s (%(other)s)")
                        % {"name": p.name, "when": when, "other": other[1]}
                    )
        if check_occupied:
            taken = self.by_place.get((slot.pk, location.pk))
            if taken and taken[0] != request_id:
                problems.append(
                    _("%(table)s is taken at %(when)s (%(other)s)")
                    % {"table": location.label or location.code, "when": when, "other": taken[1]}
                )
        return problems


def meeting_label(request: MeetingRequest) -> str:
    """'A — B': a meeting named by its two sides (needs requester and recipient loaded)."""
    return f"{request.requester.name} — {request.recipient.name}"


def _place_rows(board: Board, rows: Iterable[ScheduledMeeting]) -> None:
    for m in rows:
        board.place(
            m.request_id,
            m.request.requester_id,
            m.request.recipient_id,
            m.slot_id,
            m.location_id,
            meeting_label(m.request),
        )


def _place_pins(board: Board, pins: Iterable[Pin], *, skip: set[int]) -> None:
    for pin in pins:
        if pin.request_id not in skip:
            r = pin.request
            board.place(
                r.pk,
                r.requester_id,
                r.recipient_id,
                pin.slot_id,
                pin.location_id,
                _("%(meeting)s, pinned") % {"meeting": meeting_label(r)},
            )


def _board_for_slot(setup: Setup, request: MeetingRequest, slot: Slot) -> Board:
    """The board for one meeting's move or pin: its two sides, and what else is in that slot."""
    board = Board.load(setup, [request.requester_id, request.recipient_id])
    rows = []
    if setup.published_run_id:
        rows = list(
            ScheduledMeeting.objects.filter(run_id=setup.published_run_id, slot=slot)
            .exclude(request=request)
            .select_related("request__requester", "request__recipient")
        )
        _place_rows(board, rows)
    pins = Pin.objects.filter(slot=slot, request__setup=setup).select_related(
        "request__requester", "request__recipient"
    )
    _place_pins(board, pins, skip={m.request_id for m in rows} | {request.pk})
    return board


def _refuse(request: MeetingRequest, slot: Slot, location: Location, board: Board, problems: list[str]):
    return MatchmakingError(
        "conflict",
        _("%(meeting)s cannot be at %(table)s at %(when)s: %(problems)s.")
        % {
            "meeting": meeting_label(request),
            "table": location.label or location.code,
            "when": board.when(slot),
            "problems": "; ".join(problems),
        },
    )


def check_move(meeting: ScheduledMeeting, *, slot: Slot, location: Location) -> list[str]:
    """The conflicts of moving a published meeting to `slot` and `location` (empty: allowed).

    Read-only; `move_meeting` checks again under the lock."""
    request = MeetingRequest.objects.select_related("requester", "recipient").get(pk=meeting.request_id)
    setup = Setup.objects.select_related("meeting").get(pk=request.setup_id)
    board = _board_for_slot(setup, request, slot)
    return board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, location)


def _sync_result(run: ScheduleRun, request: MeetingRequest, slot: Slot, location: Location) -> None:
    # The published run's result document follows its rows, so exports and re-runs see the move.
    if not run.result:
        return
    for a in run.result.get("assignments", []):
        if a["meeting"] == str(request.public_id):
            a["slot"], a["location"] = slot.code, location.code
    ScheduleRun.objects.filter(pk=run.pk).update(result=run.result)


@transaction.atomic
def move_meeting(
    actor: User, meeting: ScheduledMeeting, *, slot: Slot, location: Location, version: int
) -> ScheduledMeeting:
    """Move a meeting of the published schedule to another slot and table (or video room).

    The same row moves (same meeting, same request), and it is pinned there: a hand move is a
    constraint of every later run. Refused, naming the conflict, when a side is busy in another
    meeting or a session it signed up for, unavailable (or at night, online), when an online side
    would be at a table, when the table is taken, or when someone else moved the meeting since
    `version` was read. Both sides are told once.
    """
    setup_id = ScheduledMeeting.objects.filter(pk=meeting.pk).values_list("run__setup_id", flat=True).first()
    if setup_id is None:
        raise MatchmakingError("gone", _("This meeting is no longer in any schedule; reload the grid."))
    # The Setup row lock orders every move with every publication of this meeting's matchmaking.
    setup = Setup.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=setup_id)
    meeting = (
        ScheduledMeeting.objects.select_for_update(of=("self",))
        .select_related("request__requester", "request__recipient", "slot", "location", "run")
        .get(pk=meeting.pk)
    )
    request = meeting.request
    if meeting.run_id != setup.published_run_id:
        raise MatchmakingError(
            "not_published", _("This meeting is not in the published schedule any more; reload the grid.")
        )
    if meeting.status != ScheduledMeeting.Status.SCHEDULED:
        raise MatchmakingError(
            "not_movable",
            _("Only a scheduled meeting can be moved; this one is %(status)s.")
            % {"status": meeting.get_status_display()},
        )
    if meeting.version != version:
        raise MatchmakingError(
            "stale",
            _(
                "Someone else moved %(meeting)s since you opened it (it is now at %(table)s, %(slot)s); "
                "look again before moving it."
            )
            % {"meeting": meeting_label(request), "table": meeting.location.code, "slot": meeting.slot.code},
        )
    if (meeting.slot_id, meeting.location_id) == (slot.pk, location.pk):
        return meeting
    board = _board_for_slot(setup, request, slot)
    problems = board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, location)
    if problems:
        raise _refuse(request, slot, location, board, problems)
    before = [meeting.slot.code, meeting.location.code]
    try:
        with transaction.atomic():
            ScheduledMeeting.objects.filter(pk=meeting.pk).update(
                slot=slot, location=location, version=meeting.version + 1
            )
            SlotBooking.objects.filter(meeting=meeting).update(slot=slot)
            Pin.objects.filter(request=request).delete()
            Pin.objects.create(request=request, slot=slot, location=location, created_by=_user(actor))
    except IntegrityError as exc:  # the database's guard: someone took the place meanwhile
        raise _refuse(request, slot, location, board, [_("the place was taken meanwhile")]) from exc
    _sync_result(meeting.run, request, slot, location)
    meeting.refresh_from_db()
    activity.record(actor, "move_meeting", meeting, {"place": [before, [slot.code, location.code]]})
    sides = [request.requester_id, request.recipient_id]
    run_pk = meeting.run_id
    transaction.on_commit(lambda: notifications.schedule_changed(run_pk, sides))
    # Same UID in everyone's calendar, one SEQUENCE higher: the event moves instead of doubling.
    calendar_feed.bump_calendar_sequence([request.pk])
    signals.meeting_moved.send(sender=ScheduledMeeting, meeting=meeting, before=before)
    return meeting


def _user(actor: User | None) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def pin_request(actor: User, request: MeetingRequest, *, slot: Slot, location: Location) -> Pin:
    """Pin an accepted meeting to a slot and table: every later run keeps it there (and must hold it).

    A meeting of the published schedule is pinned where it is (move it to pin it elsewhere).
    Refused, naming the conflict, for two meetings pinned to one table, a side busy or unavailable,
    or the wrong kind of place."""
    setup = Setup.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=request.setup_id)
    request = MeetingRequest.objects.select_related("requester", "recipient").get(pk=request.pk)
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise MatchmakingError(
            "not_accepted",
            _("Only an accepted meeting can be pinned; this request is %(status)s.")
            % {"status": request.get_status_display()},
        )
    published = (
        ScheduledMeeting.objects.filter(run_id=setup.published_run_id, request=request).first()
        if setup.published_run_id
        else None
    )
    if published and (published.slot_id, published.location_id) != (slot.pk, location.pk):
        raise MatchmakingError(
            "published_elsewhere",
            _("%(meeting)s is published at another place: move it there instead of pinning it.")
            % {"meeting": meeting_label(request)},
        )
    board = _board_for_slot(setup, request, slot)
    problems = board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, location)
    if problems:
        raise _refuse(request, slot, location, board, problems)
    Pin.objects.filter(request=request).delete()
    try:
        with transaction.atomic():
            pin = Pin.objects.create(request=request, slot=slot, location=location, created_by=_user(actor))
    except IntegrityError as exc:
        raise _refuse(request, slot, location, board, [_("another meeting was pinned there")]) from exc
    activity.record(actor, "pin_meeting", request, {"pin": [None, [slot.code, location.code]]})
    return pin


def pin_meeting(actor: User, meeting: ScheduledMeeting) -> Pin:
    """Pin a meeting of the published schedule where it is."""
    return pin_request(actor, meeting.request, slot=meeting.slot, location=meeting.location)


@transaction.atomic
def unpin(actor: User, request: MeetingRequest) -> bool:
    """Take the pin off a meeting: later runs keep it only as long as it is published. True if one was."""
    Setup.objects.select_for_update().get(pk=request.setup_id)
    deleted, _n = Pin.objects.filter(request=request).delete()
    if deleted:
        activity.record(actor, "unpin_meeting", request, {"pin": ["pinned", None]})
    return bool(deleted)


def check_placement(setup: Setup, placement: list[tuple[MeetingRequest, Slot, Location]]) -> list[str]:
    """Every conflict of a whole placement against today's data: a person or a table twice in a
    slot, a side unavailable or in a session, the wrong kind of place. Used before any publication
    (a run, a re-run, a rollback) so that no path writes a schedule the moves would refuse."""
    involved = {pid for r, _s, _l in placement for pid in (r.requester_id, r.recipient_id)}
    board = Board.load(setup, involved)
    problems = []
    for request, slot, location in placement:
        label = meeting_label(request)
        found = board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, location)
        if found:
            problems.append(
                _("%(meeting)s at %(table)s, %(when)s: %(problems)s")
                % {
                    "meeting": label,
                    "table": location.code,
                    "when": board.when(slot),
                    "problems": "; ".join(found),
                }
            )
        board.place(request.pk, request.requester_id, request.recipient_id, slot.pk, location.pk, label)
    return problems


def sync_pins(setup: Setup, run: ScheduleRun) -> int:
    """After a publication, pins follow the published placement (a rollback may have moved pinned
    meetings); pins of meetings no longer in the schedule go. Returns how many pins changed."""
    rows = {m.request_id: m for m in ScheduledMeeting.objects.filter(run=run)}
    changed = 0
    stale = []
    for pin in Pin.objects.filter(request__setup=setup):
        row = rows.get(pin.request_id)
        if row is None or (row.slot_id, row.location_id) != (pin.slot_id, pin.location_id):
            stale.append(pin.pk)
    if stale:
        moved = {
            pin.request_id: rows[pin.request_id]
            for pin in Pin.objects.filter(pk__in=stale)
            if pin.request_id in rows
        }
        changed = Pin.objects.filter(pk__in=stale).delete()[0]
        Pin.objects.bulk_create(
            [Pin(request_id=rid, slot_id=m.slot_id, location_id=m.location_id) for rid, m in moved.items()]
        )
    return changed


# What `unplaced.free_places` shares with the moves: the same board, filled the same way.
place_rows = _place_rows
place_pins = _place_pins


def candidate_locations(board: Board, request: MeetingRequest) -> list[Location]:
    """The places a meeting may use, best first: a side's own table, else the tables (both in
    person), else the video rooms (a side online)."""
    sides = [board.profiles[request.requester_id], board.profiles[request.recipient_id]]
    locations = sorted(board.locations.values(), key=lambda loc: (loc.kind, loc.code))
    if any(p.mode == "online" for p in sides):
        return [loc for loc in locations if loc.kind == Location.Kind.VIRTUAL]
    homes = {p.home_location_id for p in sides} - {None}
    return [loc for loc in locations if loc.kind == Location.Kind.TABLE and (not homes or loc.pk in homes)]


@transaction.atomic
def place_request(actor: User, request: MeetingRequest, *, slot: Slot) -> ScheduledMeeting:
    """Put an accepted request the published schedule left out into it, at `slot` and the first
    free suitable table or video room, and pin it there (every later run keeps it). Either side
    books it this way, or the organiser places it by hand. Refused, naming the conflict, when the
    request is not accepted or already placed, nothing is published, the slot is over, a side is
    busy, unavailable or at night there, or every suitable place is taken (also when someone took it
    a moment ago: the database's constraints). Both sides are told once."""
    setup = Setup.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=request.setup_id)
    request = MeetingRequest.objects.select_related("requester", "recipient").get(pk=request.pk)
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise MatchmakingError(
            "not_accepted",
            _("Only an accepted meeting can be placed; this request is %(status)s.")
            % {"status": request.get_status_display()},
        )
    if not setup.published_run_id:
        raise MatchmakingError("not_published", _("No schedule is published yet; the next run places it."))
    run = ScheduleRun.objects.get(pk=setup.published_run_id)
    if (
        ScheduledMeeting.objects.filter(run=run, request=request)
        .exclude(status=ScheduledMeeting.Status.CANCELLED)
        .exists()
    ):
        raise MatchmakingError(
            "placed", _("%(meeting)s is already in the schedule.") % {"meeting": meeting_label(request)}
        )
    if slot.setup_id != setup.pk:
        raise MatchmakingError("slot", _("That slot is not part of this matchmaking."))
    for side in (request.requester, request.recipient):
        held = (
            ScheduledMeeting.objects.filter(run=run)
            .exclude(status=ScheduledMeeting.Status.CANCELLED)
            .filter(Q(request__requester=side) | Q(request__recipient=side))
            .count()
        )
        if held >= setup.max_meetings:
            raise MatchmakingError(
                "meeting_limit",
                _(
                    "%(name)s already has %(count)s meetings in the schedule, "
                    "the most one participant may have."
                )
                % {"name": side.name, "count": held},
            )
    board = _board_for_slot(setup, request, slot)
    if slot.starts_at <= timezone.now():
        raise MatchmakingError(
            "past", _("The slot at %(when)s is over; choose a later one.") % {"when": board.when(slot)}
        )
    places = candidate_locations(board, request)
    if not places:
        raise MatchmakingError("no_place", _("This matchmaking has no table or video room for this meeting."))
    found = {
        loc.pk: board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, loc)
        for loc in places
    }
    location = next((loc for loc in places if not found[loc.pk]), None)
    if location is None:
        raise _refuse(request, slot, places[0], board, found[places[0].pk])
    try:
        with transaction.atomic():
            meeting = ScheduledMeeting.objects.create(run=run, request=request, slot=slot, location=location)
            SlotBooking.objects.bulk_create(
                [
                    SlotBooking(run=run, slot=slot, profile_id=pid, meeting=meeting)
                    for pid in (request.requester_id, request.recipient_id)
                ]
            )
            Pin.objects.filter(request=request).delete()
            Pin.objects.create(request=request, slot=slot, location=location, created_by=_user(actor))
    except IntegrityError as exc:
        raise _refuse(request, slot, location, board, [_("the place was taken meanwhile")]) from exc
    if run.result is not None:
        # The published run's result follows its rows, so exports and re-runs see the placement.
        mid = str(request.public_id)
        run.result["assignments"] = [a for a in run.result.get("assignments", []) if a["meeting"] != mid]
        run.result["assignments"].append({"meeting": mid, "slot": slot.code, "location": location.code})
        run.result["unscheduled"] = [m for m in run.result.get("unscheduled", []) if m != mid]
        ScheduleRun.objects.filter(pk=run.pk).update(result=run.result)
    UnplacedRequest.objects.filter(request=request).delete()
    activity.record(actor, "place_meeting", request, {"place": [None, [slot.code, location.code]]})
    calendar_feed.bump_calendar_sequence([request.pk])
    sides = [request.requester_id, request.recipient_id]
    transaction.on_commit(lambda: notifications.schedule_changed(run.pk, sides))
    return meeting


def pinned_requests(setup: Setup) -> dict[int, Pin]:
    """request pk -> its pin, for the grid and the instance."""
    return {
        p.request_id: p for p in Pin.objects.filter(request__setup=setup).select_related("slot", "location")
    }
