"""Hybrid details: each side sees the other's local time; every online 1:1 has its own video link
from the organiser's template, with no placeholder left in it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from icalendar import Calendar

from ascnhub.matchmaking import calendar_feed, scheduling, services
from ascnhub.matchmaking.hybrid import validate_video_link_template
from ascnhub.matchmaking.models import ScheduledMeeting

pytestmark = pytest.mark.django_db


def _publish(mm):
    services.bump_version(mm.setup)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    scheduling.publish_run(None, run, notify=False)
    return run


def test_online_meetings_get_their_own_link_and_each_side_sees_the_others_time(mm, client_for):
    mm.setup.video_link_template = "https://video.example.org/r/{room}?event={meeting}"
    mm.setup.save()
    to_danang = services.answer_request(None, services.send_request(None, mm.company, mm.danang), accept=True)
    services.answer_request(None, services.send_request(None, mm.company, mm.makassar), accept=True)
    run = _publish(mm)
    online = ScheduledMeeting.objects.select_related("location").get(run=run, request=to_danang)
    assert online.location.kind == "virtual"
    expected = f"https://video.example.org/r/ascn-{mm.meeting.slug}-{to_danang.public_id.hex}?event={mm.meeting.slug}"
    html = (
        client_for(mm.danang.owner.user)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/")
        .content.decode()
    )
    assert f'href="{expected.replace("&", "&amp;")}"' in html and "{" + "room}" not in html
    # Da Nang (Ho Chi Minh City time) sees the company's Tokyo time, and the other way round.
    assert "(Asia/Tokyo, UTC+09:00)" in html
    company_html = client_for(mm.company.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/agenda/")
    assert "(Asia/Ho_Chi_Minh, UTC+07:00)" in company_html.content.decode()
    # The same link in the calendar feed; the in-person meeting at a table has none.
    feed = calendar_feed.regenerate_feed(None, mm.company.owner)
    body = Client().get(f"/meetings/{mm.meeting.slug}/matchmaking/feed/{feed.token}.ics").content
    locations = {str(e["uid"]): str(e["location"]) for e in Calendar.from_ical(body).walk("VEVENT")}
    assert locations[calendar_feed.meeting_uid(to_danang)].endswith(expected)
    assert sum("https://" in loc for loc in locations.values()) == 1


@pytest.mark.parametrize(
    "template, message",
    [
        ("https://video.example.org/fixed-room", "Put {room} in the template"),
        ("https://video.example.org/{room}/{password}", "Unknown placeholder {password}"),
        ("http://video.example.org/{room}", "must start with https://"),
        ("https://video.example.org/{room", "unmatched brace"),
    ],
)
def test_a_bad_template_is_refused_with_the_reason(template, message):
    with pytest.raises(ValidationError, match=message):
        validate_video_link_template(template)


def test_a_good_template_passes():
    validate_video_link_template("https://meet.jit.si/{room}")
