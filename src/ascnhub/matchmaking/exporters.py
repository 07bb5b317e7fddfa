"""Calendar export of a participant's matchmaking agenda."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .calendar_feed import meeting_uid
from .hybrid import video_link


def agenda_ics(profile, meetings) -> bytes:
    """An iCalendar file of the profile's meetings (with video links: only its two sides get this file)."""
    cal = Calendar()
    cal.add("prodid", "-//ASCN Hub//matchmaking//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{profile.setup.meeting.title} — matchmaking")
    stamp = timezone.now()
    for m in meetings:
        event = Event()
        # The request's UID and SEQUENCE: a moved meeting replaces itself in the calendar.
        event.add("uid", meeting_uid(m.request))
        event.add("sequence", m.request.calendar_sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", m.slot.starts_at)
        event.add("dtend", m.slot.ends_at)
        event.add("summary", f"1:1 meeting with {m.other.name}")
        where = (
            f"Video room {m.location.code}" + (f": {video_link(m)}" if video_link(m) else "")
            if m.location.kind == "virtual"
            else f"Table {m.location.code}, {profile.setup.meeting.venue}"
        )
        event.add("location", where)
        event.add("description", f"{m.other.name} — {settings.SITE_URL}{m.other.get_absolute_url()}")
        cal.add_component(event)
    return cal.to_ical()
