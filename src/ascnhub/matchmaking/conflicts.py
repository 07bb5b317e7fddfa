"""Conflicts checked both ways, person by person.

Availability belongs to people, not delegations: a forum blocks the member who goes to it, and a
delegation is blocked in a slot only when none of its people is free (someone else can go), or
when the colleague assigned to that meeting is busy.

    person_busy(registration_ids, slots)   -> registration -> slot codes overlapping their forums
    profile_busy(profiles, slots)          -> profile -> slots where every one of its people is busy
    meeting_slots(requests, slots, busy)   -> request -> allowed slots (assigned colleagues only)
    signup_clash(registration, session)    -> the published 1:1 a sign-up would leave unattended
    withdraw_registration(registration)    -> a cancelled registration's requests and meetings end

A forum sign-up made after the schedule is published is checked against the person's 1:1s
(`events.signals.signup_requested`): when it would leave a meeting with nobody from the side,
it is **refused, naming the clashing meeting** (docs/architecture.md says why).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from ascnhub.common import activity
from ascnhub.events.models import ForumSignup, Registration, Session
from ascnhub.events.signals import registration_cancelled, signup_requested

from .errors import MatchmakingError
from .models import MeetingRequest, Profile, ScheduledMeeting, Slot


def _overlaps(a_start: datetime.datetime, a_end: datetime.datetime, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def person_busy(registration_ids: Iterable[int], slots: list[Slot]) -> dict[int, set[str]]:
    """Slots that overlap a forum each person signed up for."""
    busy: dict[int, set[str]] = defaultdict(set)
    signups = ForumSignup.objects.filter(registration_id__in=set(registration_ids)).select_related("session")
    for signup in signups:
        s = signup.session
        for slot in slots:
            if _overlaps(slot.starts_at, slot.ends_at, s.starts_at, s.ends_at):
                busy[signup.registration_id].add(slot.code)
    return busy


def people_of(profile: Profile) -> list[int]:
    """Registration ids of everyone who can attend for the profile (owner first)."""
    return [profile.owner_id, *(m.pk for m in profile.members.all())]


def profile_busy(
    profiles: list[Profile], slots: list[Slot]
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """(profile -> slots where all its people are busy, person -> their busy slots)."""
    people = {p.pk: people_of(p) for p in profiles}
    by_person = person_busy({r for ids in people.values() for r in ids}, slots)
    busy: dict[int, set[str]] = defaultdict(set)
    for pid, ids in people.items():
        sets = [by_person.get(r, set()) for r in ids]
        busy[pid] = set.intersection(*sets) if sets else set()
    return busy, by_person


def meeting_slots(
    requests: list[MeetingRequest], slots: list[Slot], by_person: dict[int, set[str]]
) -> dict[int, list[str] | None]:
    """request -> the slots its assigned colleagues are free in (None: no colleague assigned)."""
    out: dict[int, list[str] | None] = {}
    for r in requests:
        attendees = [a for a in (r.requester_attendee_id, r.recipient_attendee_id) if a]
        if not attendees:
            out[r.pk] = None
            continue
        blocked = set().union(*(by_person.get(a, set()) for a in attendees))
        out[r.pk] = [s.code for s in slots if s.code not in blocked]
    return out


def _attendee_field(request: MeetingRequest, profile_id: int) -> str:
    return "requester_attendee_id" if request.requester_id == profile_id else "recipient_attendee_id"


def signup_clash(registration: Registration, session: Session) -> tuple[ScheduledMeeting, Profile] | None:
    """(meeting, the person's side) of the published 1:1 this sign-up would leave unattended: one
    assigned to them, or one of a side whose other people are all busy (or that has no others)."""
    profiles = list(
        Profile.objects.filter(Q(owner=registration) | Q(members=registration))
        .filter(setup__meeting_id=registration.meeting_id, setup__published_run__isnull=False)
        .prefetch_related("members")
        .select_related("setup")
        .distinct()
    )
    for profile in profiles:
        meetings = (
            ScheduledMeeting.objects.filter(run_id=profile.setup.published_run_id)
            .filter(Q(request__requester=profile) | Q(request__recipient=profile))
            .filter(slot__starts_at__lt=session.ends_at, slot__ends_at__gt=session.starts_at)
            .exclude(status=ScheduledMeeting.Status.CANCELLED)
            .select_related("slot", "location", "request__requester", "request__recipient")
        )
        for meeting in meetings:
            assigned = getattr(meeting.request, _attendee_field(meeting.request, profile.pk))
            if assigned:
                if assigned == registration.pk:
                    return meeting, profile
                continue
            others = [r for r in people_of(profile) if r != registration.pk]
            free = [
                r
                for r in others
                if not ForumSignup.objects.filter(
                    registration_id=r,
                    session__starts_at__lt=meeting.slot.ends_at,
                    session__ends_at__gt=meeting.slot.starts_at,
                ).exists()
            ]
            if not free:
                return meeting, profile
    return None


@receiver(signup_requested, dispatch_uid="matchmaking.refuse_clashing_signup")
def refuse_clashing_signup(sender: Any, registration: Registration, session: Session, **kwargs: Any) -> None:
    """Refuse a forum sign-up that would leave a published 1:1 unattended, naming the meeting."""
    clash = signup_clash(registration, session)
    if clash is None:
        return
    meeting, profile = clash
    other = meeting.request.other_side(profile)
    raise MatchmakingError(
        "clash",
        _(
            "“%(session)s” clashes with your 1:1 meeting with %(other)s at %(time)s UTC "
            "(%(where)s). Ask the organiser to move the meeting, or choose another session."
        )
        % {
            "session": session.title,
            "other": other.name,
            "time": f"{meeting.slot.starts_at.astimezone(datetime.UTC):%d %b %H:%M}",
            "where": meeting.location.label or meeting.location.code,
        },
    )


@transaction.atomic
def withdraw_registration(registration: Registration) -> list[MeetingRequest]:
    """A cancelled registration leaves matchmaking: the requests and meetings of profiles it owns
    end (the other side is told), and it stops being a member or an assigned colleague elsewhere.
    Returns the requests that were withdrawn."""
    from . import notifications
    from .calendar_feed import bump_calendar_sequence
    from .scheduling import request_reschedule
    from .services import bump_version

    withdrawn = []
    for profile in Profile.objects.filter(owner=registration).select_related("setup"):
        active = MeetingRequest.objects.select_for_update().filter(
            Q(requester=profile) | Q(recipient=profile), status__in=MeetingRequest.ACTIVE
        )
        for request in active.select_related("requester", "recipient"):
            was = request.status
            request.status = MeetingRequest.Status.CANCELLED
            request.save(update_fields=["status"])
            activity.record(None, "withdraw_request", request, {"status": [was, "cancelled"]})
            notifications.request_withdrawn(request, request.other_side(profile))
            withdrawn.append(request)
        published = profile.setup.published_run_id
        if withdrawn and published:
            ids = [r.pk for r in withdrawn]
            placed = ScheduledMeeting.objects.filter(run_id=published, request_id__in=ids)
            if placed.update(status=ScheduledMeeting.Status.CANCELLED):
                bump_calendar_sequence(ids)
                request_reschedule(profile.setup, reason=f"registration {registration.public_id} cancelled")
        bump_version(profile.setup)
    for profile in Profile.objects.filter(members=registration):
        profile.members.remove(registration)
    MeetingRequest.objects.filter(requester_attendee=registration).update(requester_attendee=None)
    MeetingRequest.objects.filter(recipient_attendee=registration).update(recipient_attendee=None)
    return withdrawn


@receiver(registration_cancelled, dispatch_uid="matchmaking.withdraw_registration")
def on_registration_cancelled(sender: Any, registration: Registration, **kwargs: Any) -> None:
    withdraw_registration(registration)
