"""Factories for meetings, programme and registrations, and a ready-made hybrid meeting."""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace

import factory

from ascnhub.events import services
from ascnhub.events.models import Meeting, Registration, RegistrationCategory, Room, Session

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    title = factory.Sequence(lambda n: f"Test meeting {n}")
    kind = "partner_hlm"
    venue = "Aichi Sky Expo"
    place = "Tokoname, Aichi, Japan"
    timezone = "Asia/Tokyo"
    start_date = datetime.date(2021, 10, 18)
    end_date = datetime.date(2021, 10, 19)
    format = "hybrid"
    languages = "en,ja"
    status = "open"
    badge_valid_days = 3650


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationCategory

    meeting = factory.SubFactory(MeetingFactory)
    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    kind = "private"
    colour = "#8a5a00"
    approval = "auto"
    default_mode = "in_person"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = "panel"
    starts_at = datetime.datetime(2021, 10, 18, 9, 30, tzinfo=TOKYO)
    ends_at = datetime.datetime(2021, 10, 18, 10, 30, tzinfo=TOKYO)
    online_url = factory.Sequence(lambda n: f"https://meet.test.example/secret-room-{n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    category = factory.SubFactory(CategoryFactory, meeting=factory.SelfAttribute("..meeting"))
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@test.example")
    organisation_name = "Test organisation"
    country = "ID"
    language = "en"
    timezone = "Asia/Jakarta"
    mode = "in_person"
    status = "approved"
    consent_list = True


def registration_data(**overrides) -> dict:
    data = {
        "name": "Sari Wulandari",
        "name_on_badge": "",
        "email": "sari@test.example",
        "organisation_name": "Kota Makassar",
        "job_title": "",
        "country": "ID",
        "language": "id",
        "timezone": "Asia/Jakarta",
        "mode": "online",
        "answers": {},
        "consent_list": True,
    }
    data.update(overrides)
    return data


def form_data(**overrides) -> dict:
    data = {
        "name": "Sari Wulandari",
        "name_on_badge": "",
        "email": "sari@test.example",
        "organisation_name": "Kota Makassar",
        "job_title": "Analyst",
        "country": "ID",
        "language": "id",
        "timezone": "Asia/Jakarta",
        "mode": "online",
        "consent_list": "on",
        "submission_key": "k-" + overrides.pop("key", "1"),
    }
    data.update(overrides)
    return data


def make_meeting(network=None) -> SimpleNamespace:
    """A hybrid meeting in Tokyo time with a published agenda: categories, rooms, sessions, a forum."""
    meeting = MeetingFactory(slug="hlm-test", title="Test High Level Meeting")
    hall = RoomFactory(meeting=meeting, name="Main Hall", capacity=500)
    small = RoomFactory(meeting=meeting, name="Room 201", capacity=2)
    gov = CategoryFactory(
        meeting=meeting,
        code="government",
        name="Government delegation",
        kind="government",
        approval="nr",
        capacity=100,
        colour="#0b4f8a",
    )
    private = CategoryFactory(
        meeting=meeting,
        code="private",
        name="Private sector",
        kind="private",
        approval="auto",
        capacity=3,
        questions=[
            {
                "name": "sector",
                "label": "Sector",
                "type": "choice",
                "required": True,
                "choices": ["Mobility", "Water"],
            }
        ],
    )
    city = CategoryFactory(
        meeting=meeting,
        code="city",
        name="City delegation",
        kind="city",
        approval="auto",
        default_mode="online",
    )
    opening = SessionFactory(
        meeting=meeting,
        title="Opening ceremony",
        kind="ceremony",
        room=hall,
        starts_at=datetime.datetime(2021, 10, 18, 9, 30, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 18, 10, 15, tzinfo=TOKYO),
        interpretation="en,ja",
    )
    forum = SessionFactory(
        meeting=meeting,
        title="Forum: Water",
        kind="forum",
        room=small,
        signup_required=True,
        starts_at=datetime.datetime(2021, 10, 19, 9, 30, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 19, 11, 0, tzinfo=TOKYO),
        track="Forum",
    )
    forum2 = SessionFactory(
        meeting=meeting,
        title="Forum: Mobility",
        kind="forum",
        room=hall,
        signup_required=True,
        starts_at=datetime.datetime(2021, 10, 19, 9, 30, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 19, 11, 0, tzinfo=TOKYO),
        track="Forum",
    )
    services.publish_agenda(None, meeting)
    return SimpleNamespace(
        meeting=meeting,
        hall=hall,
        small=small,
        gov=gov,
        private=private,
        city=city,
        opening=opening,
        forum=forum,
        forum2=forum2,
    )
