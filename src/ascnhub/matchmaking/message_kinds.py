"""The matchmaking schedule e-mail as a kind of per-meeting template (`events.message_templates`):
organisers may give it their own text per language; registered from `MatchmakingConfig.ready()`."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascnhub.events import message_templates
from ascnhub.events.models import Meeting

from . import notifications


def _starting_text(meeting: Meeting) -> tuple[str, str]:
    body = render_to_string(
        "matchmaking/email/schedule.txt", {"schedule_text": "{schedule}", "schedule_link": "{schedule_link}"}
    )
    return _("Your matchmaking schedule") + " · {meeting}", body


def _sample_values(meeting: Meeting) -> dict[str, str]:
    # Two made-up meetings on the meeting's first morning, in the meeting's time zone.
    start = datetime.datetime.combine(meeting.start_date, datetime.time(10, 0), tzinfo=meeting.tz)
    meetings = [
        SimpleNamespace(
            slot=SimpleNamespace(starts_at=start), other=SimpleNamespace(name="Da Nang City"), location="1"
        ),
        SimpleNamespace(
            slot=SimpleNamespace(starts_at=start + datetime.timedelta(minutes=30)),
            other=SimpleNamespace(name="Aichi Mobility Co."),
            location="4",
        ),
    ]
    profile = SimpleNamespace(timezone=meeting.timezone)
    return {
        "schedule": notifications.schedule_listing(profile, meetings),
        "schedule_link": notifications.schedule_link(meeting),
    }


def register() -> None:
    message_templates.register(
        message_templates.Kind(
            "schedule",
            gettext_lazy("Matchmaking schedule"),
            gettext_lazy(
                "Sent to each participant whose 1:1 meetings were published or changed; {schedule} "
                "lists their meetings, {schedule_link} is their matchmaking agenda."
            ),
            _starting_text,
            extra=("schedule", "schedule_link"),
            sample_values=_sample_values,
        )
    )
