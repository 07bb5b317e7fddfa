"""Hybrid details: a real video link for every online 1:1, generated from the organiser's template.

The organiser sets `Setup.video_link_template`, e.g. `https://meet.jit.si/{room}` or their own
video service's URL with `{room}` in it. Each meeting gets its own room name, derived from its
request (so the link survives re-scheduling) and long enough not to be guessed. Without a
template, the video room's fixed `Location.video_url` is used, as before.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .models import MeetingRequest, ScheduledMeeting

PLACEHOLDERS = ("room", "meeting")
_EXAMPLE = {"room": "ascn-example-0123456789abcdef0123456789abcdef", "meeting": "example"}


def validate_video_link_template(value: str) -> None:
    """An https URL whose only placeholders are {room} (required) and {meeting} (the event slug)."""
    if not value:
        return
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValidationError(_("The template has an unmatched brace: %(error)s") % {"error": exc}) from exc
    unknown = names - set(PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s: use {room} and, if you like, {meeting}.")
            % {"names": ", ".join("{" + n + "}" for n in sorted(unknown))}
        )
    if "room" not in names:
        raise ValidationError(_("Put {room} in the template, so that each meeting gets its own room."))
    example = value.format(**_EXAMPLE)
    if not example.startswith("https://"):
        raise ValidationError(_("The video link must start with https://."))
    URLValidator(schemes=["https"])(example)


def room_name(request: MeetingRequest) -> str:
    """The meeting's own room: from its request's UUID (128 random bits), stable across runs."""
    return f"ascn-{request.setup.meeting.slug}-{request.public_id.hex}"


def video_link(meeting: ScheduledMeeting) -> str:
    """The link to join an online meeting ("" for a table, or when no link is configured)."""
    if meeting.location.kind != "virtual":
        return ""
    template = meeting.request.setup.video_link_template
    if template:
        return template.format(room=room_name(meeting.request), meeting=meeting.request.setup.meeting.slug)
    return meeting.location.video_url
