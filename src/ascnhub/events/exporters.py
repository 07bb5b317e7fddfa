"""Exports: iCalendar (public agenda, personal), participant lists (CSV/XLSX).

Public exports never carry online links; a personal calendar carries only that participant's own
join links (which log attendance before redirecting).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event
from import_export import fields, resources

from .models import Meeting, Registration, Session


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//ASCN Hub//events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(
    meeting: Meeting, session: Session, stamp, description_extra: str = "", sequence: int = 0
) -> Event:
    event = Event()
    event.add("uid", f"{session.public_id}@ascnhub")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    where = ", ".join(
        part for part in [session.room.name if session.room_id else "", meeting.venue, meeting.place] if part
    )
    if where:
        event.add("location", where)
    speakers = ", ".join(link.person.name for link in session.speaker_links.all())
    lines = [session.get_kind_display().capitalize()]
    if session.theme:
        lines.append(session.theme)
    if speakers:
        lines.append(speakers)
    if session.interpretation:
        lines.append("Interpretation: " + session.interpretation)
    if description_extra:
        lines.append(description_extra)
    event.add("description", "\n".join(lines))
    event.add("url", settings.SITE_URL + meeting.get_absolute_url() + "agenda/")
    event.add("categories", [session.kind])
    return event


def agenda_ics(
    meeting: Meeting, sessions: Iterable[Session], sequences: Mapping[str, int] | None = None
) -> bytes:
    """The whole public agenda (no online links); `sequences` (session UUID -> SEQUENCE) lets
    subscribed calendars replace a changed session instead of keeping the old one."""
    cal = _calendar(meeting.title)
    stamp = timezone.now()
    for session in sessions:
        sequence = (sequences or {}).get(str(session.public_id), 0)
        cal.add_component(_event(meeting, session, stamp, sequence=sequence))
    return cal.to_ical()


def session_event(meeting: Meeting, session: Session, stamp, sequence: int = 0) -> Event:
    """One session as a calendar event (no online link), for calendars built elsewhere."""
    return _event(meeting, session, stamp, sequence=sequence)


def personal_ics(
    registration: Registration, sessions: Iterable[Session], join_url: Callable[[Session], str] | None = None
) -> bytes:
    """A participant's calendar: the agenda, with their own join links when they take part online."""
    meeting = registration.meeting
    cal = _calendar(f"{meeting.title} — {registration.name}")
    stamp = timezone.now()
    for session in sessions:
        extra = ""
        if join_url and session.online_url:
            extra = "Join online: " + join_url(session)
        cal.add_component(_event(meeting, session, stamp, extra))
    return cal.to_ical()


class ParticipantResource(resources.ModelResource):
    """The participant list for organisers (CSV/XLSX through django-import-export)."""

    category = fields.Field(attribute="category__name", column_name="category")
    status = fields.Field(column_name="status")
    mode = fields.Field(column_name="participation")
    country_name = fields.Field(column_name="country")
    checked_in = fields.Field(column_name="checked in")

    class Meta:
        model = Registration
        fields = [
            "public_id",
            "name",
            "name_on_badge",
            "email",
            "organisation_name",
            "job_title",
            "country_name",
            "category",
            "status",
            "mode",
            "language",
            "timezone",
            "consent_list",
            "created_at",
            "checked_in",
        ]
        export_order = fields

    def dehydrate_status(self, reg: Registration) -> str:
        return reg.status

    def dehydrate_mode(self, reg: Registration) -> str:
        return reg.mode

    def dehydrate_country_name(self, reg: Registration) -> str:
        return reg.country_name

    def dehydrate_checked_in(self, reg: Registration) -> str:
        return ", ".join(c.day.isoformat() for c in reg.check_ins.all())


def participants_dataset(queryset):
    return ParticipantResource().export(
        queryset=queryset.select_related("category").prefetch_related("check_ins")
    )
