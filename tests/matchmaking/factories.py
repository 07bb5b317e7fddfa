"""A small matchmaking world on top of the registry network and a test meeting."""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace

from ascnhub.matchmaking import setup as setup_services
from ascnhub.matchmaking.models import Profile
from tests.events.factories import RegistrationFactory, SessionFactory, make_meeting

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def profile_for(
    setup,
    person,
    *,
    kind: str,
    mode: str = "in_person",
    tz: str = "Asia/Jakarta",
    status="approved",
    looking_for: str = "",
    offering: str = "",
    country: str = "ID",
    city=None,
) -> Profile:
    reg = RegistrationFactory(
        meeting=setup.meeting,
        category=setup.meeting.categories.get(code="city"),
        user=person.user if person else None,
        person=person,
        name=person.name if person else "Someone",
        mode=mode,
        timezone=tz,
        status=status,
        email=person.email if person else f"x{status}@test.example",
        country=country,
    )
    return Profile.objects.create(
        setup=setup,
        owner=reg,
        name=f"{person.name if person else 'Someone'} delegation",
        kind=kind,
        country=country,
        mode=mode,
        timezone=tz,
        looking_for=looking_for,
        offering=offering,
        city=city,
        organisation=person.organisation if person else None,
    )


def make_world(network) -> SimpleNamespace:
    """Makassar (in person), Da Nang (online, Ho Chi Minh City time) and a company (in person) in the
    matchmaking of a Tokyo meeting: one block of three 20-minute slots, two tables and one video room."""
    hlm = make_meeting(network)
    block = SessionFactory(
        meeting=hlm.meeting,
        title="Business matchmaking",
        kind="matchmaking",
        online_url="",
        starts_at=datetime.datetime(2021, 10, 19, 13, 0, tzinfo=TOKYO),
        ends_at=datetime.datetime(2021, 10, 19, 14, 0, tzinfo=TOKYO),
    )
    setup = setup_services.setup_for(hlm.meeting)
    setup_services.slots_from_agenda(None, setup)
    setup_services.set_locations(None, setup, tables=2, video_rooms=1)
    makassar = profile_for(
        setup,
        network.makassar_officer,
        kind="city",
        city=network.makassar,
        looking_for="Flood early warning for river neighbourhoods",
    )
    danang = profile_for(
        setup,
        network.danang_officer,
        kind="city",
        mode="online",
        tz="Asia/Ho_Chi_Minh",
        country="VN",
        city=network.danang,
        looking_for="Cảnh báo sớm lũ lụt cho các quận ven sông",
    )
    company = profile_for(
        setup,
        network.company_person,
        kind="company",
        tz="Asia/Tokyo",
        country="JP",
        offering="River-level sensors and flood early-warning dashboards",
    )
    pending = profile_for(setup, None, kind="company", status="pending", offering="Not yet approved")
    return SimpleNamespace(
        meeting=hlm.meeting,
        setup=setup,
        block=block,
        makassar=makassar,
        danang=danang,
        company=company,
        pending=pending,
        hlm=hlm,
    )
