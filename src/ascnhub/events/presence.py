"""Online attendance that means presence: join, heartbeat, leave → minutes attended per session.

The session's watch page (events/views/attendance.py) sends `join` when it opens, `beat` every
HEARTBEAT_SECONDS while it stays open, and `leave` when it closes. Each message extends the
participant's current `PresenceSpan` when it comes within GAP of the previous one, or opens a new
span; a closed laptop or a lost network simply stops the beats, and the span ends at the last
one. Minutes attended are the spans' overlap with the session's time. Only the participant's own
page counts (an organiser checking a link is not counted as them).

Stream links: a session has one link per interpretation language (`StreamLink`); the session's
`online_url` stays the floor (original language) link.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from ascnhub.common import activity

from . import services
from .models import (
    Meeting,
    Mode,
    OnlineAttendance,
    PresenceSpan,
    Registration,
    Session,
    SessionCheckIn,
    StreamLink,
)
from .services import EventsError

if TYPE_CHECKING:
    from ascnhub.common.models import User

HEARTBEAT_SECONDS = 60
#: Beats further apart than this start a new span (two and a half beats: one lost beat is forgiven).
GAP = datetime.timedelta(seconds=HEARTBEAT_SECONDS * 5 // 2)
EVENTS = ("join", "beat", "leave")


def may_join(registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == Registration.Status.APPROVED
        and registration.mode == Mode.ONLINE
    )


def stream_links(session: Session) -> list[dict[str, str]]:
    """The links to offer: the floor (original language) first, then one per interpretation language."""
    links = []
    if session.online_url:
        links.append({"language": "", "url": session.online_url, "label": _("Floor (original language)")})
    for s in session.stream_links.all():
        try:
            name = get_language_info(s.language)["name_local"]
        except KeyError:
            name = s.language
        links.append(
            {"language": s.language, "url": s.url, "label": _("Interpretation: %(lang)s") % {"lang": name}}
        )
    return links


@transaction.atomic
def record(
    registration: Registration,
    session: Session,
    event: str,
    *,
    language: str = "",
    now: datetime.datetime | None = None,
) -> PresenceSpan | None:
    """Apply one join/beat/leave from the participant's watch page; return the span it touched.

    Refused (EventsError): an unknown event, a session of another meeting, or a registration that
    may not join online. A `leave` with no open span changes nothing and returns None.
    """
    now = now or timezone.now()
    if event not in EVENTS:
        raise EventsError("event", _("event: one of join, beat or leave."), "event")
    if session.meeting_id != registration.meeting_id:
        raise EventsError("other_meeting", _("This session belongs to another meeting."), "session")
    if not may_join(registration):
        raise EventsError("not_online", _("Online links are for approved online participants."))
    language = language if language in session.interpretation_list else ""
    # Lock the registration row: two tabs beating at once extend one span instead of opening two.
    Registration.objects.select_for_update().filter(pk=registration.pk).first()
    span = (
        PresenceSpan.objects.filter(registration=registration, session=session, left=False)
        .order_by("-last_seen_at")
        .first()
    )
    if span is not None and now - span.last_seen_at <= GAP and now >= span.last_seen_at:
        span.last_seen_at = now
        span.left = event == "leave"
        if language:
            span.language = language
        span.save(update_fields=["last_seen_at", "left", "language"])
        return span
    if event == "leave":
        return None
    if event == "join":
        services.record_online_visit(registration, session)
    return PresenceSpan.objects.create(
        registration=registration, session=session, language=language, started_at=now, last_seen_at=now
    )


def _overlap_seconds(start: datetime.datetime, end: datetime.datetime, session: Session) -> float:
    lo, hi = max(start, session.starts_at), min(end, session.ends_at)
    return max((hi - lo).total_seconds(), 0.0)


def minutes_attended(registration: Registration, session: Session) -> int:
    """Whole minutes of the session's time the participant's watch page was open."""
    spans = PresenceSpan.objects.filter(registration=registration, session=session)
    return int(sum(_overlap_seconds(s.started_at, s.last_seen_at, session) for s in spans) // 60)


def session_attendance(meeting: Meeting) -> list[dict[str, Any]]:
    """Per session, side by side: in person (door check-ins) and online (people, minutes, clicks).

    A fixed number of queries, whatever the number of sessions and spans.
    """
    sessions = list(
        Session.objects.filter(meeting=meeting)
        .exclude(kind=Session.Kind.BREAK)
        .select_related("room")
        .annotate(n_signups=Count("signups", distinct=True))
    )
    door = dict(
        SessionCheckIn.objects.filter(session__meeting=meeting)
        .values_list("session")
        .annotate(n=Count("id"))
        .values_list("session", "n")
    )
    clicks = dict(
        OnlineAttendance.objects.filter(session__meeting=meeting)
        .values_list("session")
        .annotate(n=Count("id"))
        .values_list("session", "n")
    )
    seconds: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    by_id = {s.pk: s for s in sessions}
    for sid, rid, start, end in PresenceSpan.objects.filter(session__meeting=meeting).values_list(
        "session_id", "registration_id", "started_at", "last_seen_at"
    ):
        if sid in by_id:
            seconds[sid][rid] += _overlap_seconds(start, end, by_id[sid])
    rows = []
    for s in sessions:
        people = seconds.get(s.pk, {})
        present = [sec for sec in people.values() if sec >= 60]
        total = int(sum(people.values()) // 60)
        rows.append(
            {
                "session": s,
                "length": int((s.ends_at - s.starts_at).total_seconds() // 60),
                "in_person": door.get(s.pk, 0),
                "signups": s.n_signups,
                "online": len(present),
                "online_minutes": total,
                "online_average": round(total / len(present)) if present else 0,
                "clicked": clicks.get(s.pk, 0),
            }
        )
    return rows


@transaction.atomic
def set_stream_links(actor: User | None, session: Session, text: str) -> list[StreamLink]:
    """Replace a session's per-language stream links from lines `ja = https://…`.

    Refused (EventsError, field `links`, nothing written): a line without `=`, a language the
    session is not interpreted into, a language twice, or a link that is not an http(s) URL.
    """
    wanted: dict[str, str] = {}
    check_url = URLValidator(schemes=["https"])
    allowed = session.interpretation_list
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        language, sep, url = (part.strip() for part in line.partition("="))
        if not sep or not language or not url:
            raise EventsError("links", _("Line %(n)d: write it as `ja = https://…`.") % {"n": n}, "links")
        if language not in allowed:
            raise EventsError(
                "links",
                _("Line %(n)d: %(lang)s is not one of this session's interpretation languages (%(langs)s).")
                % {"n": n, "lang": language, "langs": ", ".join(allowed) or "—"},
                "links",
            )
        if language in wanted:
            raise EventsError(
                "links", _("Line %(n)d: %(lang)s is given twice.") % {"n": n, "lang": language}, "links"
            )
        try:
            check_url(url)
        except ValidationError:
            raise EventsError("links", _("Line %(n)d: not an https link.") % {"n": n}, "links") from None
        wanted[language] = url
    before = {s.language: s.url for s in session.stream_links.all()}
    session.stream_links.all().delete()
    links = StreamLink.objects.bulk_create(
        StreamLink(session=session, language=k, url=v) for k, v in wanted.items()
    )
    if before != wanted:
        # The links are private (only approved online participants see them): log the languages only.
        activity.record(actor, "stream_links", session, {"languages": [sorted(before), sorted(wanted)]})
    return links
