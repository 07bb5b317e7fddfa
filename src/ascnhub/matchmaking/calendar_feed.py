"""Calendars that update: one UID per meeting for its whole life, a SEQUENCE that grows with
every change, personal subscription feeds and iTIP invitations.

    meeting_uid(request)                 -> the UID of a 1:1 meeting's event, from its request
    bump_calendar_sequence(request_ids)  -> raise SEQUENCE after a slot, location or status change
    regenerate_feed(actor, registration) -> a (new) secret feed token; the old URL stops working
    revoke_feed(actor, registration)     -> no feed any more
    registration_for_token(slug, token)  -> the feed's owner, or None (forged, revoked, wrong meeting)
    personal_feed_ics(registration)      -> the feed: their 1:1s (cancelled ones too) and forum sessions
    itip_ics(method, registration, placements) -> an e-mail attachment (REQUEST or CANCEL)

A meeting's UID comes from its `MeetingRequest`, not from the `ScheduledMeeting` row: every
scheduling run writes new rows, but the request is the same meeting from acceptance to the end.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from ascnhub.common import activity
from ascnhub.events import agenda as events_agenda
from ascnhub.events import exporters as events_exporters
from ascnhub.events.models import ForumSignup, Registration

from .hybrid import video_link
from .models import CalendarFeed, MeetingRequest, Profile, ScheduledMeeting, ScheduleRun

if TYPE_CHECKING:
    from ascnhub.common.models import User

PUBLISHED_RUNS = (ScheduleRun.Status.PUBLISHED, ScheduleRun.Status.SUPERSEDED)


def meeting_uid(request: MeetingRequest) -> str:
    """The UID of the request's meeting in every calendar, stable across scheduling runs."""
    return f"matchmaking-{request.public_id}@ascnhub"


def bump_calendar_sequence(request_ids: Iterable[int]) -> int:
    """Raise the calendar SEQUENCE of these requests' meetings by one; returns how many rows.

    Call it wherever a meeting's slot, location or status changes (a published run, an organiser's
    move, a cancellation), inside the transaction that makes the change.
    """
    ids = sorted(set(request_ids))
    if not ids:
        return 0
    return MeetingRequest.objects.filter(pk__in=ids).update(calendar_sequence=F("calendar_sequence") + 1)


# --- personal feeds ------------------------------------------------------------------------------


@transaction.atomic
def regenerate_feed(actor: User, registration: Registration) -> CalendarFeed:
    """Give the participant a new secret feed URL; any earlier URL stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        registration=registration, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
    activity.record(actor, "calendar_feed", registration, {"feed": [None if created else "old", "new"]})
    return feed


@transaction.atomic
def revoke_feed(actor: User, registration: Registration) -> bool:
    """Switch the participant's feed off; True when there was one."""
    deleted, _n = CalendarFeed.objects.filter(registration=registration).delete()
    if deleted:
        activity.record(actor, "calendar_feed", registration, {"feed": ["on", None]})
    return bool(deleted)


def registration_for_token(slug: str, token: str) -> Registration | None:
    """The owner of a live feed token for this meeting; None for anything else, whatever the reason."""
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.filter(token=token, registration__meeting__slug=slug)
        .exclude(registration__status=Registration.Status.CANCELLED)
        .select_related("registration__meeting")
        .first()
    )
    # The database found it by equality; compare again in constant time before trusting it.
    if feed is None or not secrets.compare_digest(feed.token, token):
        return None
    return feed.registration


def feed_urls(feed: CalendarFeed) -> dict[str, str]:
    """The feed as an https URL and as a webcal:// URL (which calendar apps subscribe to)."""
    meeting = feed.registration.meeting
    path = reverse("matchmaking:calendar_feed", args=[meeting.slug, feed.token])
    https = settings.SITE_URL + path
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[-1]}


@dataclass
class Placement:
    """Where and when a 1:1 meeting is (or was, when cancelled), as a calendar shows it."""

    meeting: ScheduledMeeting
    request: MeetingRequest
    profile: Profile
    other: Profile
    cancelled: bool


def profiles_of_registration(registration: Registration) -> list[Profile]:
    """The matchmaking profiles a registration acts for: owned, or as a delegation member."""
    return list(
        Profile.objects.filter(Q(owner=registration) | Q(members=registration))
        .filter(setup__meeting_id=registration.meeting_id)
        .distinct()
    )


def placements(profiles: list[Profile]) -> list[Placement]:
    """Every 1:1 meeting of these profiles that a published schedule ever placed: where it is now,
    or, if it is no longer in the schedule, where it was (then marked cancelled)."""
    if not profiles:
        return []
    ids = {p.pk for p in profiles}
    rows = (
        ScheduledMeeting.objects.filter(run__status__in=PUBLISHED_RUNS)
        .filter(Q(request__requester_id__in=ids) | Q(request__recipient_id__in=ids))
        .select_related(
            "slot",
            "location",
            "run__setup__meeting",
            "request__setup__meeting",
            "request__requester",
            "request__recipient",
        )
        .order_by("request_id", "-run__number")
    )
    latest: dict[int, ScheduledMeeting] = {}
    for row in rows:
        latest.setdefault(row.request_id, row)
    out = []
    for row in latest.values():
        request = row.request
        mine = request.requester if request.requester_id in ids else request.recipient
        current = row.run.setup.published_run_id == row.run_id
        cancelled = (
            not current
            or row.status == ScheduledMeeting.Status.CANCELLED
            or request.status != MeetingRequest.Status.ACCEPTED
        )
        out.append(Placement(row, request, mine, request.other_side(mine), cancelled))
    out.sort(key=lambda p: (p.meeting.slot.starts_at, p.request.pk))
    return out


def _meeting_event(placement: Placement, stamp: Any, attendee_email: str | None = None) -> Event:
    m, request = placement.meeting, placement.request
    venue = m.run.setup.meeting.venue
    event = Event()
    event.add("uid", meeting_uid(request))
    event.add("sequence", request.calendar_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", m.slot.starts_at)
    event.add("dtend", m.slot.ends_at)
    event.add("summary", f"1:1 meeting with {placement.other.name}")
    if m.location.kind == "virtual":
        # Only the two sides ever get this calendar, so the video link may be in it.
        link = video_link(m)
        where = f"Video room {m.location.code}" + (f": {link}" if link else "")
    else:
        where = f"Table {m.location.code}, {venue}" if venue else f"Table {m.location.code}"
    event.add("location", where)
    event.add(
        "description", f"{placement.other.name} — {settings.SITE_URL}{placement.other.get_absolute_url()}"
    )
    event.add("status", "CANCELLED" if placement.cancelled else "CONFIRMED")
    if attendee_email is not None:
        # iTIP needs an organiser and the attendee it is addressed to; the other side's address
        # is not put here (contacts are shared only by consent, see contacts.py).
        organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organizer.params["cn"] = m.run.setup.meeting.title
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "ACCEPTED"
        event.add("attendee", attendee)
    return event


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//ASCN Hub//matchmaking//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def personal_feed_ics(registration: Registration) -> bytes:
    """The participant's feed: their 1:1 meetings (cancelled ones stay, marked CANCELLED) and the
    forum sessions they signed up for (same UID and SEQUENCE as the public agenda)."""
    meeting = registration.meeting
    cal = _calendar(f"{meeting.title} — {registration.name}")
    stamp = timezone.now()
    for placement in placements(profiles_of_registration(registration)):
        request = placement.request
        side = "requester" if placement.profile.pk == request.requester_id else "recipient"
        assigned = getattr(request, f"{side}_attendee_id")
        if assigned is not None and assigned != registration.pk:
            # A colleague goes instead: the event leaves this calendar (marked cancelled).
            placement = replace(placement, cancelled=True)
        cal.add_component(_meeting_event(placement, stamp))
    signups = ForumSignup.objects.filter(registration=registration).select_related("session__room")
    if meeting.agenda_versions.exists():
        sequences = events_agenda.session_sequences(meeting)
        for signup in signups.order_by("session__starts_at"):
            session = signup.session
            cal.add_component(
                events_exporters.session_event(
                    meeting, session, stamp, sequence=sequences.get(str(session.public_id), 0)
                )
            )
    return cal.to_ical()


def itip_ics(method: str, email: str, chosen: list[Placement]) -> bytes:
    """An iTIP message (RFC 5546) addressed to `email`: METHOD:REQUEST for meetings placed or
    moved, METHOD:CANCEL for meetings taken out; mail programs offer to update the calendar."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    title = chosen[0].meeting.run.setup.meeting.title if chosen else "ASCN Hub"
    cal = _calendar(title, method)
    stamp = timezone.now()
    for placement in chosen:
        if method == "CANCEL":
            placement = replace(placement, cancelled=True)
        cal.add_component(_meeting_event(placement, stamp, attendee_email=email))
    return cal.to_ical()


def schedule_invitations(run: ScheduleRun, profile: Profile) -> dict[str, list[Placement]]:
    """What a published run changed for one profile, as iTIP wants it: "REQUEST" for meetings
    placed or moved by this run, "CANCEL" for meetings it took out (or that were cancelled)."""
    previous = (
        ScheduleRun.objects.filter(setup_id=run.setup_id, number__lt=run.number, status__in=PUBLISHED_RUNS)
        .exclude(meetings=None)
        .order_by("-number")
        .first()
    )
    before = {}
    if previous is not None:
        before = {
            m.request_id: (m.slot_id, m.location_id) for m in ScheduledMeeting.objects.filter(run=previous)
        }
    out: dict[str, list[Placement]] = {"REQUEST": [], "CANCEL": []}
    for placement in placements([profile]):
        m = placement.meeting
        if placement.cancelled:
            # Taken out by this run, or cancelled since the last one (a cancellation itself sends
            # no e-mail: the re-scheduling run that follows it does).
            if m.run_id == run.pk or (previous is not None and m.run_id == previous.pk):
                out["CANCEL"].append(placement)
        elif m.run_id == run.pk and before.get(m.request_id) != (m.slot_id, m.location_id):
            out["REQUEST"].append(placement)
    return out
