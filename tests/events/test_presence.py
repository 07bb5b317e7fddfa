"""Online attendance that means presence: join, heartbeat, leave → minutes attended per session;
stream links per interpretation language; in person beside online per session for the organisers."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.events import presence, services
from ascnhub.events.models import OnlineAttendance, PresenceSpan, SessionCheckIn, StreamLink
from ascnhub.events.services import EventsError
from tests.events.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2021, 10, 18, hour, minute, second, tzinfo=TOKYO)


@pytest.fixture
def online(hlm):
    return RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online", name="Rina Kusumawati")


def test_heartbeats_make_minutes_and_a_gap_is_not_counted(hlm, online):
    opening = hlm.opening  # 09:30–10:15
    presence.record(online, opening, "join", now=at(9, 25))  # before the start: not counted
    for minute in range(26, 41):
        presence.record(online, opening, "beat", now=at(9, minute))
    presence.record(online, opening, "leave", now=at(9, 40, 30))
    # Back after a break (laptop closed: no beats from 09:40:30 to 10:00).
    presence.record(online, opening, "join", now=at(10, 0))
    for minute in range(1, 6):
        presence.record(online, opening, "beat", now=at(10, minute))
    # The network drops; no leave arrives. The span ends at the last beat.
    assert PresenceSpan.objects.filter(registration=online).count() == 2
    assert presence.minutes_attended(online, opening) == 10 + 5  # 09:30–09:40:30 and 10:00–10:05
    assert OnlineAttendance.objects.get(registration=online).visits == 2  # two joins


def test_one_lost_beat_is_forgiven_but_a_long_silence_starts_a_new_span(hlm, online):
    presence.record(online, hlm.opening, "join", now=at(9, 30))
    presence.record(online, hlm.opening, "beat", now=at(9, 32))  # one beat (09:31) was lost
    assert PresenceSpan.objects.count() == 1
    presence.record(online, hlm.opening, "beat", now=at(9, 40))
    assert PresenceSpan.objects.count() == 2
    assert presence.minutes_attended(online, hlm.opening) == 2


def test_only_approved_online_participants_are_recorded(hlm, online):
    in_person = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    pending = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online", status="pending")
    for reg in (in_person, pending):
        with pytest.raises(EventsError) as exc:
            presence.record(reg, hlm.opening, "join", now=at(9, 30))
        assert exc.value.code == "not_online"
    with pytest.raises(EventsError) as exc:
        presence.record(online, hlm.opening, "dance", now=at(9, 30))
    assert exc.value.field == "event"
    assert not PresenceSpan.objects.exists()


def test_the_watch_page_shows_a_link_per_language_and_beats_count_only_the_participant(
    client, client_for, network, hlm, online
):
    StreamLink.objects.create(session=hlm.opening, language="ja", url="https://stream.test.example/ja")
    watch = (
        f"/meetings/hlm-test/sessions/{hlm.opening.public_id}/watch/?r={online.public_id}&key={online.secret}"
    )
    page = client.get(watch)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Floor (original language)" in html and "Interpretation: 日本語" in html
    assert "https://stream.test.example/ja" in html and hlm.opening.online_url in html
    assert "no-store" in page["Cache-Control"]
    beat = f"/meetings/hlm-test/sessions/{hlm.opening.public_id}/presence/"
    data = {"r": str(online.public_id), "key": online.secret, "event": "join", "language": "ja"}
    assert client.post(beat, data).status_code == 204
    span = PresenceSpan.objects.get()
    assert span.registration == online and span.language == "ja"
    # Without the key, others get nothing; an organiser checking the page is not counted.
    assert client_for(network.makassar_officer.user).get(watch.split("&key")[0]).status_code == 403
    organiser = client_for(network.secretariat)
    assert organiser.post(beat, {"r": str(online.public_id), "event": "beat"}).status_code == 204
    assert PresenceSpan.objects.get().last_seen_at == span.last_seen_at
    wrong = client.post(beat, {**data, "event": "dance"})
    assert wrong.status_code == 400 and "join, beat or leave" in wrong.json()["detail"]
    in_person = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    assert (
        client.get(
            watch.replace(str(online.public_id), str(in_person.public_id)).replace(
                online.secret, in_person.secret
            )
        ).status_code
        == 403
    )


def test_stream_links_per_language_are_checked(client_for, network, hlm):
    url = f"/meetings/hlm-test/manage/programme/sessions/{hlm.opening.public_id}/streams/"
    organiser = client_for(network.secretariat)
    bad = organiser.post(
        url, {"links": "ja = https://stream.test.example/ja\nth = https://stream.test.example/th"}
    )
    assert bad.status_code == 400
    assert (
        "Line 2: th is not one of this session&#x27;s interpretation languages (en, ja)."
        in bad.content.decode()
    )
    assert not StreamLink.objects.exists()
    assert organiser.post(url, {"links": "ja = http://plain.test.example/"}).status_code == 400
    assert (
        organiser.post(
            url, {"links": "ja = https://stream.test.example/ja\n\nen = https://stream.test.example/en"}
        ).status_code
        == 302
    )
    assert dict(StreamLink.objects.values_list("language", "url")) == {
        "ja": "https://stream.test.example/ja",
        "en": "https://stream.test.example/en",
    }
    hlm.meeting.check_in_staff.add(network.outsider)
    assert client_for(network.outsider).post(url, {"links": ""}).status_code == 403
    assert StreamLink.objects.count() == 2


def test_organisers_see_in_person_and_online_side_by_side(client_for, network, hlm, online):
    for minute in range(30, 51):
        presence.record(online, hlm.opening, "beat" if minute > 30 else "join", now=at(9, minute))
    other = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
    for minute in range(0, 11):
        presence.record(other, hlm.opening, "beat" if minute else "join", now=at(10, minute))
    here = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    SessionCheckIn.objects.create(session=hlm.opening, registration=here, scanned_at=at(9, 29))
    rows = {r["session"].pk: r for r in presence.session_attendance(hlm.meeting)}
    opening = rows[hlm.opening.pk]
    assert (
        opening["in_person"],
        opening["online"],
        opening["online_minutes"],
        opening["online_average"],
    ) == (1, 2, 30, 15)
    assert opening["length"] == 45
    organiser = client_for(network.secretariat)
    html = organiser.get("/meetings/hlm-test/manage/attendance/").content.decode()
    assert "Opening ceremony</th><td>45</td><td>0</td><td>1</td><td>2</td><td>30</td><td>15</td>" in html

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            organiser.get("/meetings/hlm-test/manage/attendance/")
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(3):
        reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online")
        presence.record(reg, hlm.forum2, "join", now=at(9, 30))
        services.sign_up(reg, hlm.forum2)
    assert queries() == few
    assert client_for(network.outsider).get("/meetings/hlm-test/manage/attendance/").status_code == 403
