"""Public pages, agenda in two zones, versions and change log, query counts at any size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.events import services
from ascnhub.events.models import Registration, SessionSpeaker
from tests.events.factories import TOKYO, RegistrationFactory, SessionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_list_and_detail(client, hlm):
    html = client.get("/meetings/").content.decode()
    assert "Test High Level Meeting" in html
    html = client.get("/meetings/hlm-test/").content.decode()
    assert "Tokoname, Aichi, Japan" in html and "Asia/Tokyo" in html and "hybrid" in html
    assert "Register: Private sector" in html and "Register: City delegation" in html


def test_agenda_shows_venue_and_viewer_times(client, hlm):
    client.cookies["ascnhub_tz"] = "Asia/Jakarta"
    html = client.get("/meetings/hlm-test/agenda/").content.decode()
    assert "Times at the venue: Asia/Tokyo (UTC+09:00)" in html
    assert "Your time: Asia/Jakarta (UTC+07:00)" in html
    assert "09:30–10:15" in html  # venue
    assert "07:30–08:15 Asia/Jakarta" in html  # viewer
    assert "Opening ceremony" in html and "Interpretation" in html


def test_agenda_in_viewer_zone_marks_a_different_date(client, hlm):
    SessionFactory(
        meeting=hlm.meeting,
        title="Early call",
        starts_at=datetime.datetime(2021, 10, 18, 1, 0, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 18, 2, 0, tzinfo=TOKYO),
    )
    client.cookies["ascnhub_tz"] = "Europe/London"
    html = client.get("/meetings/hlm-test/agenda/").content.decode()
    assert "17:00–18:00 Europe/London (17 Oct)" in html


def test_unpublished_agenda_is_for_organisers_only(client, client_for, network, hlm):
    hlm.meeting.agenda_versions.all().delete()
    assert "Opening ceremony" not in client.get("/meetings/hlm-test/agenda/").content.decode()
    page = client_for(network.secretariat).get("/meetings/hlm-test/agenda/").content.decode()
    assert "Opening ceremony" in page


def test_publishing_creates_a_version_with_a_visible_change_log(client, client_for, network, hlm):
    hlm.opening.starts_at = hlm.opening.starts_at.replace(hour=0, minute=0)  # 09:00 JST
    hlm.opening.save()
    SessionFactory(meeting=hlm.meeting, title="Networking reception", kind="ceremony")
    hlm.forum2.delete()
    sec = client_for(network.secretariat)
    page = sec.get("/meetings/hlm-test/agenda/").content.decode()
    assert "3 changes not yet published" in page
    response = sec.post("/meetings/hlm-test/agenda/publish/", {"note": "Reception added"})
    assert response.status_code == 302
    assert hlm.meeting.agenda_versions.count() == 2
    log = client.get("/meetings/hlm-test/agenda/changes/").content.decode()
    assert "Version 2" in log and "Reception added" in log
    assert "Added: Networking reception" in log
    assert "Removed: Forum: Mobility" in log
    assert "Changed: Opening ceremony — start" in log
    # publishing again without changes is refused with a message, no empty version
    sec.post("/meetings/hlm-test/agenda/publish/", {})
    assert hlm.meeting.agenda_versions.count() == 2
    # anonymous cannot publish
    assert client.post("/meetings/hlm-test/agenda/publish/").status_code == 302
    assert hlm.meeting.agenda_versions.count() == 2


def _grow(hlm, n: int) -> None:
    base = Registration.objects.count()
    for i in range(n):
        s = SessionFactory(
            meeting=hlm.meeting,
            room=hlm.hall,
            track=str(i % 3),
            starts_at=datetime.datetime(2021, 10, 18, 11 + i % 5, 0, tzinfo=TOKYO),
            ends_at=datetime.datetime(2021, 10, 18, 11 + i % 5, 45, tzinfo=TOKYO),
        )
        SessionSpeaker.objects.create(session=s, person=PersonFactory(), role="speaker")
        SessionSpeaker.objects.create(session=s, person=PersonFactory(), role="moderator", order=1)
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=hlm.meeting,
                category=[hlm.city, hlm.gov, hlm.private][i % 3],
                name=f"Bulk {base + i}",
                email=f"bulk{base + i}@test.example",
                organisation_name="Org",
                country="TH",
                mode="in_person",
                status=["approved", "pending", "waitlisted"][i % 3],
                consent_list=True,
            )
            for i in range(n * 6)
        ]
    )


@pytest.mark.parametrize(
    "url,who",
    [
        ("/meetings/", None),
        ("/meetings/hlm-test/", None),
        ("/meetings/hlm-test/agenda/", None),
        ("/meetings/hlm-test/agenda/", "secretariat"),
        ("/meetings/hlm-test/agenda/", "participant"),
        ("/meetings/hlm-test/participants/", None),
        ("/meetings/hlm-test/manage/participants/", "secretariat"),
        ("/meetings/hlm-test/manage/", "secretariat"),
        ("/meetings/hlm-test/approvals/", "secretariat"),
        ("/meetings/hlm-test/approvals/", "nr"),
        ("/meetings/hlm-test/check-in/?q=Bulk", "secretariat"),
        ("/meetings/hlm-test/agenda.ics", None),
    ],
)
def test_pages_make_the_same_number_of_queries_for_few_or_many_rows(client_for, network, hlm, url, who):
    user = {
        None: None,
        "secretariat": network.secretariat,
        "nr": network.indonesia_nr.user,
        "participant": network.outsider,
    }[who]
    if who == "participant":
        RegistrationFactory(meeting=hlm.meeting, category=hlm.city, mode="online", user=network.outsider)
    c = client_for(user)
    _grow(hlm, 2)
    few = _queries(c, url)
    _grow(hlm, 12)
    many = _queries(c, url)
    assert many == few
    assert many < 30


def test_participant_list_follows_consent(client, hlm):
    RegistrationFactory(meeting=hlm.meeting, category=hlm.city, name="Listed Person", consent_list=True)
    RegistrationFactory(meeting=hlm.meeting, category=hlm.city, name="Private Person", consent_list=False)
    RegistrationFactory(meeting=hlm.meeting, category=hlm.city, name="Pending Person", status="pending")
    html = client.get("/meetings/hlm-test/participants/").content.decode()
    assert "Listed Person" in html and "Private Person" not in html and "Pending Person" not in html
    assert "@test.example" not in html  # no e-mail addresses in public


def test_clone_for_next_year_with_chosen_parts(client_for, network, hlm):
    RegistrationFactory(meeting=hlm.meeting, category=hlm.city)
    sec = client_for(network.secretariat)
    response = sec.post(
        "/meetings/hlm-test/manage/clone/",
        {
            "title": "4th meeting",
            "slug": "hlm-next",
            "start_date": "2022-12-04",
            "parts": ["categories", "sessions"],
        },
    )
    assert response.status_code == 302
    from ascnhub.events.models import Meeting

    copy = Meeting.objects.get(slug="hlm-next")
    assert copy.status == "draft" and copy.end_date == datetime.date(2022, 12, 5)
    assert copy.categories.count() == 3 and copy.sessions.count() == 3 and copy.rooms.count() == 2
    assert copy.registrations.count() == 0 and copy.agenda_versions.count() == 0
    opening = copy.sessions.get(title="Opening ceremony")
    assert opening.starts_at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") == "2022-12-04 09:30"
    # a taken slug is refused, nothing copied
    response = sec.post(
        "/meetings/hlm-test/manage/clone/",
        {"title": "x", "slug": "hlm-next", "start_date": "2023-01-01", "parts": ["rooms"]},
    )
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert Meeting.objects.filter(slug="hlm-next").count() == 1
    services.clone_meeting(
        None,
        hlm.meeting,
        slug="hlm-rooms",
        title="Rooms only",
        start_date=datetime.date(2023, 1, 1),
        parts={"rooms"},
    )
    assert Meeting.objects.get(slug="hlm-rooms").sessions.count() == 0


def test_meetings_list_upcoming_first_then_past_newest_first(client, hlm):
    from tests.events.factories import MeetingFactory

    today = datetime.date.today()
    MeetingFactory(
        title="Second HLM", start_date=datetime.date(2020, 10, 1), end_date=datetime.date(2020, 10, 2)
    )
    MeetingFactory(
        title="Next HLM",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
    )
    MeetingFactory(
        title="Later HLM",
        start_date=today + datetime.timedelta(days=400),
        end_date=today + datetime.timedelta(days=401),
    )
    html = client.get("/meetings/").content.decode()
    order = [html.index(t) for t in ("Next HLM", "Later HLM", "Test High Level Meeting", "Second HLM")]
    assert order == sorted(order)
    assert html.index(">Upcoming<") < html.index("Next HLM") < html.index(">Past<") < html.index("Test High")
