"""Accepted requests that the published schedule does not hold: why, telling both sides once, and
the ways out ("accepted" ends in a meeting or a reason).

    classify(run)              -> request pk -> (reason, side) for every accepted request of the
                                  run's instance that its placement leaves out
    mark_after_publish(run)    -> called by `scheduling.publish_run`: marks those requests
                                  (`UnplacedRequest`), unmarks the ones placed since, and tells the
                                  newly marked both sides once (a `request_unplaced` notice)
    explain(row)               -> the reason in words, in the active language
    free_places(request)       -> the slots (any day) where both sides are free and a table or video
                                  room is free: what a side can book, what the organiser can place
The booking itself is `moves.place_request`, the one door for every change of place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from ascnhub.common import activity

from . import moves, notifications
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
    UnplacedRequest,
)

Reason = UnplacedRequest.Reason


def _needed_rooms(instance: dict[str, Any], sides: list[dict[str, Any]]) -> set[str]:
    """The locations the meeting of `sides` may use: their home table, any table, or a video room."""
    if all(p.get("mode", "in_person") == "in_person" for p in sides):
        homes: set[str] = {str(p["home_location"]) for p in sides if p.get("home_location")}
        if homes:
            return homes
        return {loc["id"] for loc in instance["locations"] if loc["kind"] == "table"}
    return {loc["id"] for loc in instance["locations"] if loc["kind"] == "virtual"}


def classify(run: ScheduleRun) -> dict[int, tuple[str, int | None]]:
    """Why each accepted request of `run`'s instance has no place in its result.

    The reasons come from what the run solved (its instance: each side's unavailable slots, which
    include sessions they signed up for and, for an online side, the night in its own time zone)
    and its placement, checked in order: no common free slot at all; only the night of an online
    side stood in the way (online hours); a side already at its meeting limit; every common free
    slot filled by either side's other meetings (no common free slot); every suitable table or
    video room taken in the slots left (room capacity). Anything else was not fitted by this run
    (a run stopped at its time limit can leave such a meeting out). The side is the profile whose
    limit or night it is.
    """
    if not run.instance or not run.result:
        return {}
    instance = run.instance
    codes = [s["id"] for s in instance["slots"]]
    people = {p["id"]: p for p in instance["participants"]}
    placed_ids = {a["meeting"] for a in run.result.get("assignments", [])}
    candidates = [m for m in instance["meetings"] if m["id"] not in placed_ids]
    if not candidates:
        return {}
    requests = {
        str(r.public_id): r
        for r in MeetingRequest.objects.filter(
            setup_id=run.setup_id,
            status=MeetingRequest.Status.ACCEPTED,
            public_id__in=[m["id"] for m in candidates],
        )
    }
    profiles = {str(p.public_id): p for p in Profile.objects.filter(public_id__in=list(people))}
    from .scheduling import _night_slots

    slots = list(Slot.objects.filter(setup_id=run.setup_id))
    night = {pid: _night_slots(p, slots) for pid, p in profiles.items()}
    meetings = {m["id"]: m for m in instance["meetings"]}
    busy: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    taken: dict[str, set[str]] = defaultdict(set)
    for a in run.result.get("assignments", []):
        taken[a["slot"]].add(a["location"])
        for pid in meetings[a["meeting"]]["participants"] if a["meeting"] in meetings else []:
            busy[pid].add(a["slot"])
            count[pid] += 1
    out: dict[int, tuple[str, int | None]] = {}
    for m in candidates:
        request = requests.get(m["id"])
        if request is None or len(m["participants"]) != 2:
            continue
        a, b = m["participants"]
        allowed = set(m["slots"]) if m.get("slots") is not None else set(codes)
        unavailable = {pid: set(people[pid].get("unavailable", [])) for pid in (a, b)}
        free = [s for s in codes if s in allowed and s not in unavailable[a] | unavailable[b]]
        side: str | None = None
        if not free:
            by_day = {pid: unavailable[pid] - night.get(pid, set()) for pid in (a, b)}
            daytime = [s for s in codes if s in allowed and s not in by_day[a] | by_day[b]]
            if daytime:
                side = a if any(s in night.get(a, set()) for s in daytime) else b
                reason = Reason.ONLINE_HOURS
            else:
                reason = Reason.NO_COMMON_SLOT
        else:
            full = [
                pid
                for pid in (a, b)
                if people[pid].get("max_meetings") is not None and count[pid] >= people[pid]["max_meetings"]
            ]
            if full:
                side, reason = full[0], Reason.MEETING_LIMIT
            else:
                left = [s for s in free if s not in busy[a] | busy[b]]
                rooms = _needed_rooms(instance, [people[a], people[b]])
                if not left:
                    reason = Reason.NO_COMMON_SLOT
                elif all(rooms <= taken[s] for s in left):
                    reason = Reason.ROOM_CAPACITY
                else:
                    reason = Reason.NOT_FITTED
        out[request.pk] = (reason, profiles[side].pk if side in profiles else None)
    return out


def mark_after_publish(run: ScheduleRun, *, notify: bool = True) -> int:
    """Mark the accepted requests the now published `run` leaves without a slot, with their reason;
    unmark those placed (or no longer accepted). Each newly marked request is told to both sides
    once: re-publishing with the request still unplaced tells nobody again (without `notify` nobody
    is told now, and the next publication with `notify` tells them). Returns how many are marked.
    Call it inside the publication's transaction."""
    reasons = classify(run)
    UnplacedRequest.objects.filter(request__setup_id=run.setup_id).exclude(
        request_id__in=list(reasons)
    ).delete()
    existing = {u.request_id: u for u in UnplacedRequest.objects.filter(request_id__in=list(reasons))}
    now = timezone.now()
    tell: list[int] = []
    new: list[UnplacedRequest] = []
    changed: list[UnplacedRequest] = []
    for request_id, (reason, side) in sorted(reasons.items()):
        row = existing.get(request_id) or UnplacedRequest(request_id=request_id)
        row.run, row.reason, row.side_id = run, reason, side
        if notify and row.told_at is None:
            row.told_at = now
            tell.append(request_id)
        (changed if row.pk else new).append(row)
    UnplacedRequest.objects.bulk_create(new)
    UnplacedRequest.objects.bulk_update(changed, ["run", "reason", "side", "told_at"])
    if tell:
        transaction.on_commit(lambda: send_unplaced.enqueue(tell))
    return len(reasons)


def explain(row: UnplacedRequest) -> str:
    """The reason an accepted request has no slot, in words, in the active language."""
    request = row.request
    names = {"a": request.requester.name, "b": request.recipient.name}
    side = row.side
    if row.reason == Reason.MEETING_LIMIT and side is not None:
        return _(
            "%(name)s already has as many meetings as one participant may have at this meeting "
            "(%(limit)s), so the schedule could not add this one."
        ) % {"name": side.name, "limit": request.setup.max_meetings}
    if row.reason == Reason.ONLINE_HOURS and side is not None:
        return _(
            "The slots when both sides are free fall at night for %(name)s, who takes part online "
            "(%(tz)s): online meetings are held between 07:00 and 22:00 local time."
        ) % {"name": side.name, "tz": side.timezone}
    if row.reason == Reason.ROOM_CAPACITY:
        return (
            _("Every table or video room was already taken in the slots when both %(a)s and %(b)s were free.")
            % names
        )
    if row.reason == Reason.NO_COMMON_SLOT:
        return (
            _(
                "%(a)s and %(b)s have no free slot in common: availability, sessions signed up for and "
                "other meetings fill every slot when the other side is free."
            )
            % names
        )
    return _(
        "The schedule did not fit this meeting, although a slot and a place were free; the "
        "organiser can place it by hand."
    )


def free_places(request: MeetingRequest, *, now: Any = None) -> list[tuple[Slot, Location]]:
    """Every future slot (any day of the meeting) where both sides are free and a suitable table or
    video room is free, with that place: the alternatives a side may book. Read-only; booking
    (`moves.place_request`) checks again under the lock."""
    setup = Setup.objects.select_related("meeting").get(pk=request.setup_id)
    now = now or timezone.now()
    slots = [s for s in setup.slots.all() if s.starts_at > now]
    if not slots:
        return []
    board = moves.Board.load(
        setup, [request.requester_id, request.recipient_id], slots=list(setup.slots.all())
    )
    rows = []
    if setup.published_run_id:
        rows = list(
            # A cancelled row keeps its table and its sides' slot (the constraints count it too).
            ScheduledMeeting.objects.filter(run_id=setup.published_run_id)
            .exclude(request=request)
            .select_related("request__requester", "request__recipient")
        )
    moves.place_rows(board, rows)
    pins = Pin.objects.filter(request__setup=setup).select_related("request__requester", "request__recipient")
    moves.place_pins(board, pins, skip={m.request_id for m in rows} | {request.pk})
    out = []
    for slot in slots:
        for location in moves.candidate_locations(board, request):
            if not board.conflicts(request.pk, request.requester_id, request.recipient_id, slot, location):
                out.append((slot, location))
                break
    return out


def online_link(row: UnplacedRequest) -> str:
    """The video link of a request the sides chose to meet online ("" until they do)."""
    if row.online_at is None:
        return ""
    from .hybrid import room_name

    setup = row.request.setup
    return setup.video_link_template.format(room=room_name(row.request), meeting=setup.meeting.slug)


@transaction.atomic
def meet_online(actor: Any, request: MeetingRequest, profile: Profile) -> UnplacedRequest:
    """A side of an accepted request left out of the schedule chooses to meet online instead, at a
    time the two agree: both get the meeting's own video room (from the organiser's video link
    template) and the other side is told. Refused when the request has a slot or is no longer
    accepted, when `profile` is not a side, and when the organiser set up no video service."""
    setup = Setup.objects.select_for_update().select_related("meeting").get(pk=request.setup_id)
    row = (
        UnplacedRequest.objects.select_for_update(of=("self",))
        .select_related("request__requester", "request__recipient", "request__setup__meeting")
        .filter(request_id=request.pk, request__status=MeetingRequest.Status.ACCEPTED)
        .first()
    )
    if row is None:
        raise MatchmakingError("not_unplaced", _("This meeting is not waiting for a slot."))
    if profile.pk not in (row.request.requester_id, row.request.recipient_id):
        raise MatchmakingError(
            "not_a_side", _("%(name)s is not part of this meeting.") % {"name": profile.name}
        )
    if not setup.video_link_template:
        raise MatchmakingError(
            "no_video",
            _(
                "The organiser has set up no video service for this meeting, so it cannot move "
                "online; book another slot or ask the organiser."
            ),
        )
    if row.online_at is None:  # a second click changes nothing and tells nobody again
        row.online_at, row.online_by = timezone.now(), profile
        row.save(update_fields=["online_at", "online_by"])
        activity.record(actor, "meet_online", row.request, {"online": [None, profile.name]})
        other = row.request.other_side(profile)
        transaction.on_commit(lambda: send_online_chosen.enqueue(row.pk, other.pk))
    return row


def rows_for(profile: Profile) -> dict[int, UnplacedRequest]:
    """request pk -> its mark, for a participant's requests page (one query)."""
    return {
        u.request_id: u
        for u in UnplacedRequest.objects.filter(request__setup_id=profile.setup_id)
        .filter(request__status=MeetingRequest.Status.ACCEPTED)
        .filter(Q(request__requester=profile) | Q(request__recipient=profile))
        .select_related("side", "request__requester", "request__recipient", "request__setup")
    }


@task()
def send_unplaced(request_ids: list[int]) -> int:
    """Tell both sides of each request why their accepted meeting has no slot (a notice, e-mailed
    per their preference for "accepted meeting without a slot")."""
    sent = 0
    rows = UnplacedRequest.objects.filter(request_id__in=request_ids).select_related(
        "side", "request__requester", "request__recipient", "request__setup__meeting"
    )
    for row in rows:
        request = row.request
        url = reverse("matchmaking:request_detail", args=[request.setup.meeting.slug, request.public_id])
        for profile in (request.requester, request.recipient):
            for message in notifications.build_email(
                profile,
                "request_unplaced",
                gettext_noop("An accepted meeting has no slot"),
                {"request": request, "row": row, "other": request.other_side(profile), "url": url},
                url=url,
            ):
                message.send()
                sent += 1
    return sent


@task()
def send_online_chosen(row_id: int, profile_id: int) -> int:
    """Tell the other side that the meeting will be online, with its video link."""
    row = UnplacedRequest.objects.select_related(
        "online_by", "request__requester", "request__recipient", "request__setup__meeting"
    ).get(pk=row_id)
    request = row.request
    profile = Profile.objects.select_related("owner", "setup__meeting").get(pk=profile_id)
    url = reverse("matchmaking:request_detail", args=[request.setup.meeting.slug, request.public_id])
    messages = notifications.build_email(
        profile,
        "request_unplaced",
        gettext_noop("An accepted meeting has no slot"),
        {
            "request": request,
            "row": row,
            "other": request.other_side(profile),
            "url": url,
            "link": online_link(row),
        },
        url=url,
    )
    for message in messages:
        message.send()
    return len(messages)
