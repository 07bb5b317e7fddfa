"""Organisers edit the programme on the site: sessions and rooms, checked, logged, then published."""

from __future__ import annotations

import datetime

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.events.models import AgendaVersion, Room, Session
from tests.events.factories import TOKYO, MeetingFactory, RegistrationFactory, RoomFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BASE = "/meetings/hlm-test/manage/programme/"


def session_form(**overrides) -> dict:
    data = {
        "title": "Panel: Smart mobility",
        "kind": "panel",
        "starts_at": "2021-10-18T13:00",
        "ends_at": "2021-10-18T14:30",
        "room": "",
        "track": "A",
        "theme": "",
        "description": "",
        "online_url": "",
        "capacity": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organiser(hlm, network, client_for):
    """A meeting organiser who is not in the secretariat (the company person's account)."""
    user = network.company_person.user
    hlm.meeting.organisers.add(user)
    return client_for(user)


def test_organiser_adds_a_session_in_venue_time_with_people_and_publishes_it(hlm, network, organiser):
    moderator, speaker = PersonFactory(name="Aiko Tanaka"), PersonFactory(name="Budi Santoso")
    response = organiser.post(
        BASE + "sessions/new/",
        session_form(
            room=hlm.hall.pk,
            moderators=[moderator.pk],
            speakers=[speaker.pk],
            interpretation=["en", "ja"],
            online_url="https://meet.test.example/panel-a",
            signup_required="on",
            capacity="40",
        ),
    )
    assert response.status_code == 302 and response["Location"] == BASE
    session = Session.objects.get(title="Panel: Smart mobility")
    # typed in Tokyo time, whatever the organiser's own zone: 13:00 JST is 04:00 UTC
    assert session.starts_at == datetime.datetime(2021, 10, 18, 13, 0, tzinfo=TOKYO)
    assert session.starts_at.astimezone(datetime.UTC).hour == 4
    assert session.room == hlm.hall and session.interpretation == "en,ja" and session.capacity == 40
    assert [(link.person.name, link.role) for link in session.speaker_links.all()] == [
        ("Aiko Tanaka", "moderator"),
        ("Budi Santoso", "speaker"),
    ]
    log = ActivityLog.objects.get(action="session_add", object_id=str(session.pk))
    assert log.actor == network.company_person.user
    assert log.changes["title"] == [None, "Panel: Smart mobility"]
    assert log.changes["online_url"] == [False, True]  # the link itself stays out of the log
    # a draft until published: the programme page lists it as a pending change, then publish
    page = organiser.get(BASE).content.decode()
    assert "Panel: Smart mobility" in page and "1 change not yet published" in page
    assert organiser.post("/meetings/hlm-test/agenda/publish/", {"note": "Panel added"}).status_code == 302
    version = AgendaVersion.objects.filter(meeting=hlm.meeting).order_by("-number").first()
    assert (
        version.number == 2
        and {"kind": "added", "title": "Panel: Smart mobility", "detail": ""} in version.changes
    )
    assert "Panel: Smart mobility" in organiser.get("/meetings/hlm-test/agenda/changes/").content.decode()


def test_editing_a_session_logs_before_and_after(hlm, organiser):
    response = organiser.post(
        BASE + f"sessions/{hlm.opening.public_id}/",
        session_form(
            title="Opening ceremony",
            kind="ceremony",
            starts_at="2021-10-18T09:00",
            ends_at="2021-10-18T10:00",
            room=hlm.hall.pk,
            interpretation=["en"],
        ),
    )
    assert response.status_code == 302
    hlm.opening.refresh_from_db()
    assert hlm.opening.starts_at == datetime.datetime(2021, 10, 18, 9, 0, tzinfo=TOKYO)
    log = ActivityLog.objects.get(action="session_change", object_id=str(hlm.opening.pk))
    assert log.changes["starts_at"][0].startswith("2021-10-18T00:30") and "interpretation" in log.changes
    # the form shows the stored times in the venue's zone again
    page = organiser.get(BASE + f"sessions/{hlm.opening.public_id}/").content.decode()
    assert 'value="2021-10-18T09:00"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "2021-10-18T12:00"}, "ends_at", "must end after it starts"),
        ({"starts_at": "2021-10-20T13:00", "ends_at": "2021-10-20T14:00"}, "starts_at", "within the meeting"),
        ({"starts_at": "2021-10-17T23:30", "ends_at": "2021-10-18T08:00"}, "starts_at", "within the meeting"),
        (
            {"starts_at": "2021-10-18T09:45", "ends_at": "2021-10-18T11:00", "room": "hall"},
            "room",
            "already taken",
        ),
        ({"capacity": "-1"}, "capacity", "greater than or equal to 0"),
        ({"title": "  "}, "title", "required"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "valid URL"),
        ({"interpretation": ["xx"]}, "interpretation", "valid choice"),
        ({"starts_at": "18/10/2021 1pm"}, "starts_at", "valid date"),
    ],
)
def test_bad_session_input_is_refused_naming_the_field(hlm, organiser, overrides, field, message):
    if overrides.get("room") == "hall":
        overrides["room"] = hlm.hall.pk  # the opening ceremony is there, 09:30–10:15
    before = Session.objects.count()
    response = organiser.post(BASE + "sessions/new/", session_form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-errors"' in html and message in html
    assert Session.objects.count() == before
    assert not ActivityLog.objects.filter(action="session_add").exists()


def test_a_room_of_another_meeting_cannot_be_chosen(hlm, organiser):
    elsewhere = RoomFactory(meeting=MeetingFactory(), name="Elsewhere")
    response = organiser.post(BASE + "sessions/new/", session_form(room=elsewhere.pk))
    assert response.status_code == 400 and not Session.objects.filter(title="Panel: Smart mobility").exists()


def test_same_person_as_speaker_and_moderator_is_refused(hlm, organiser):
    person = PersonFactory()
    response = organiser.post(
        BASE + "sessions/new/", session_form(speakers=[person.pk], moderators=[person.pk])
    )
    assert response.status_code == 400 and "listed once" in response.content.decode()


def test_a_speaker_in_two_sessions_at_once_is_a_warning_not_a_refusal(hlm, organiser):
    person = PersonFactory(name="Chai Wongsa")
    assert (
        organiser.post(BASE + "sessions/new/", session_form(title="One", speakers=[person.pk])).status_code
        == 302
    )
    response = organiser.post(
        BASE + "sessions/new/", session_form(title="Two", track="B", speakers=[person.pk]), follow=True
    )
    assert Session.objects.filter(title="Two").exists()
    assert "Chai Wongsa also speaks in “One” at the same time." in response.content.decode()


def test_htmx_gets_the_form_back_with_errors_or_a_redirect(hlm, organiser):
    bad = organiser.post(
        BASE + "sessions/new/", session_form(ends_at="2021-10-18T12:00"), HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 200  # htmx swaps only 2xx answers in
    html = bad.content.decode()
    assert 'id="id_ends_at-errors"' in html
    assert html.startswith('<form method="post" id="session-form"') and "<html" not in html
    good = organiser.post(BASE + "sessions/new/", session_form(), HTTP_HX_REQUEST="true")
    assert good.status_code == 204 and good["HX-Redirect"] == BASE


def test_deleting_a_session_asks_first_and_logs_the_signups_it_takes(hlm, organiser):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    hlm.forum.signups.create(registration=reg)
    page = organiser.get(BASE + f"sessions/{hlm.forum.public_id}/delete/")
    assert page.status_code == 200 and "1 participant has signed up" in page.content.decode()
    assert Session.objects.filter(pk=hlm.forum.pk).exists()
    assert organiser.post(BASE + f"sessions/{hlm.forum.public_id}/delete/").status_code == 302
    assert not Session.objects.filter(pk=hlm.forum.pk).exists()
    log = ActivityLog.objects.get(action="session_delete", object_id=str(hlm.forum.pk))
    assert log.changes["signups"] == [1, None] and log.changes["title"] == ["Forum: Water", None]


def test_rooms_are_added_renamed_and_deleted_when_unused(hlm, organiser):
    assert organiser.post(BASE + "rooms/new/", {"name": "Room 305", "capacity": "80"}).status_code == 302
    room = Room.objects.get(meeting=hlm.meeting, name="Room 305")
    assert (
        organiser.post(
            BASE + f"rooms/{room.pk}/", {"name": "Room 306", "capacity": "60", "online_only": "on"}
        ).status_code
        == 302
    )
    room.refresh_from_db()
    assert (room.name, room.capacity, room.online_only) == ("Room 306", 60, True)
    assert ActivityLog.objects.get(action="room_change").changes["name"] == ["Room 305", "Room 306"]
    # names are unique within the meeting (whatever the case); capacity at least 1
    duplicate = organiser.post(BASE + "rooms/new/", {"name": "main hall", "capacity": "10"})
    assert duplicate.status_code == 400 and "already has a room" in duplicate.content.decode()
    assert organiser.post(BASE + "rooms/new/", {"name": "Closet", "capacity": "0"}).status_code == 400
    # a room in use stays; an unused one goes
    organiser.post(BASE + f"rooms/{hlm.hall.pk}/delete/")
    assert Room.objects.filter(pk=hlm.hall.pk).exists()
    assert organiser.post(BASE + f"rooms/{room.pk}/delete/").status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()
    assert ActivityLog.objects.filter(action="room_delete", object_id=str(room.pk)).exists()


def test_programme_page_query_count_does_not_grow_with_sessions(
    hlm, organiser, django_assert_max_num_queries
):
    people = [PersonFactory() for _ in range(3)]
    for i in range(12):
        organiser.post(
            BASE + "sessions/new/",
            session_form(title=f"Talk {i}", track=str(i), speakers=[p.pk for p in people]),
        )
    with django_assert_max_num_queries(20):
        assert organiser.get(BASE).status_code == 200


# --- from the outside ------------------------------------------------------------------------------

WRITES = [
    ("sessions/new/", lambda hlm: session_form()),
    ("sessions/{opening}/", lambda hlm: session_form(title="Hijacked")),
    ("sessions/{opening}/delete/", lambda hlm: {}),
    ("rooms/new/", lambda hlm: {"name": "Hijacked", "capacity": "5"}),
    ("rooms/{hall}/", lambda hlm: {"name": "Hijacked", "capacity": "5"}),
    ("rooms/{small}/delete/", lambda hlm: {}),
]


def _url(hlm, path: str) -> str:
    return BASE + path.format(opening=hlm.opening.public_id, hall=hlm.hall.pk, small=hlm.small.pk)


def _state(hlm):
    return (
        list(Session.objects.filter(meeting=hlm.meeting).values_list("title", "starts_at", "room_id")),
        list(Room.objects.filter(meeting=hlm.meeting).values_list("name", "capacity")),
        ActivityLog.objects.count(),
    )


@pytest.mark.parametrize(("path", "data"), WRITES)
def test_anonymous_changes_nothing(client, hlm, path, data):
    before = _state(hlm)
    for response in (client.get(_url(hlm, path)), client.post(_url(hlm, path), data(hlm))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state(hlm) == before


@pytest.mark.parametrize("who", ["participant", "outsider", "other_meetings_organiser", "indonesia_nr"])
@pytest.mark.parametrize(("path", "data"), [("", lambda hlm: {}), *WRITES])
def test_others_are_refused_and_change_nothing(client_for, hlm, network, who, path, data):
    if who == "participant":
        user = network.makassar_officer.user
        RegistrationFactory(meeting=hlm.meeting, category=hlm.city, user=user, email=user.email)
    elif who == "other_meetings_organiser":
        user = network.danang_officer.user
        MeetingFactory(slug="another-meeting").organisers.add(user)
    else:
        user = getattr(network, who)
        user = getattr(user, "user", user)
    client = client_for(user)
    before = _state(hlm)
    assert client.get(_url(hlm, path)).status_code == 403
    assert client.post(_url(hlm, path), data(hlm)).status_code == 403
    assert _state(hlm) == before


def test_a_draft_meetings_programme_is_not_found_by_outsiders(client_for, network):
    MeetingFactory(slug="draft-meeting", status="draft")
    assert client_for(network.outsider).get("/meetings/draft-meeting/manage/programme/").status_code == 404


def test_another_meetings_session_or_room_is_not_found(hlm, organiser):
    other = MeetingFactory(slug="other")
    room = RoomFactory(meeting=other)
    assert organiser.get(BASE + f"rooms/{room.pk}/").status_code == 404
    assert organiser.post(BASE + f"rooms/{room.pk}/delete/").status_code == 404
    assert Room.objects.filter(pk=room.pk).exists()
