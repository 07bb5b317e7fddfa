"""The demo meeting: the 3rd ASEAN–Japan HLM at real scale, loaded idempotently.

How long loading takes is not asserted here: timings belong in the benchmarks.
"""

from __future__ import annotations

import pytest

from ascnhub.events.models import Meeting, Registration, Session

pytestmark = pytest.mark.django_db


def test_demo_loads_the_3rd_hlm_with_about_1200_registrants_and_twice_the_same(client):
    from ascnhub.events import demo
    from ascnhub.registry import demo as registry_demo

    registry_demo.load(lambda _: None)  # the network the meeting's speakers come from
    demo.load(lambda _: None)
    meeting = Meeting.objects.get(slug="asean-japan-hlm-2021")
    assert meeting.format == "hybrid" and meeting.timezone == "Asia/Tokyo"
    assert str(meeting.start_date) == "2021-10-18" and str(meeting.end_date) == "2021-10-19"
    assert "Tokoname" in meeting.place
    kinds = set(Session.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert {"ceremony", "panel", "forum", "matchmaking", "break"} <= kinds
    day1 = [s.kind for s in meeting.sessions.all() if s.starts_at.astimezone(meeting.tz).day == 18]
    day2 = [s.kind for s in meeting.sessions.all() if s.starts_at.astimezone(meeting.tz).day == 19]
    assert "ceremony" in day1 and "panel" in day1
    assert "matchmaking" in day2 and "forum" in day2
    assert meeting.sessions.get(title="Opening ceremony").speaker_links.count() == 2
    n = Registration.objects.filter(meeting=meeting).count()
    assert 1150 <= n <= 1250
    assert meeting.agenda_versions.count() == 1

    demo.load(lambda _: None)
    assert Registration.objects.filter(meeting=meeting).count() == n

    html = client.get("/meetings/asean-japan-hlm-2021/agenda/").content.decode()
    assert "Opening ceremony" in html and "Business matchmaking block 1" in html
    assert client.get("/meetings/asean-japan-hlm-2021/participants/").status_code == 200
