"""The directory of a meeting's matchmaking: search, filters, the request action, who may see it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ascnhub.matchmaking.models import MeetingRequest
from ascnhub.projects.models import FocusAreaTag, Need
from ascnhub.registry.countries import country_name
from tests.events.factories import RegistrationFactory
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db


def _url(mm, query: str = "") -> str:
    return f"/meetings/{mm.meeting.slug}/matchmaking/participants/{query}"


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [p.name for p in response.context["entries"]]


def test_the_company_finds_makassar_by_a_word_of_its_need_and_asks_for_a_meeting(mm, client_for):
    client = client_for(mm.company.owner.user)
    found = _names(client.get(_url(mm, "?q=FLOOD")))
    assert found == [mm.makassar.name]  # Da Nang wrote it in Vietnamese; the company itself is not listed
    html = client.get(_url(mm, "?q=flood")).content.decode()
    assert "Flood early warning for river neighbourhoods" in html and "Indonesia" in html
    response = client.post(
        f"/meetings/{mm.meeting.slug}/matchmaking/p/{mm.makassar.public_id}/request/",
        {"priority": "would_like"},
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get(requester=mm.company, recipient=mm.makassar)
    assert request.status == "pending"
    # The entry now shows the request instead of the action.
    html = client.get(_url(mm, "?q=flood")).content.decode()
    assert "waiting for an answer" in html and "Request a meeting" not in html


def test_every_word_must_match_and_names_organisations_and_linked_needs_count(mm, client_for, network):
    need = Need.objects.create(
        city=network.makassar, title="Pompa banjir otomatis", description="Otomasi pompa di kanal kota"
    )
    mm.makassar.needs.add(need)
    client = client_for(mm.company.owner.user)
    assert _names(client.get(_url(mm, "?q=pompa+kanal"))) == [mm.makassar.name]
    assert _names(client.get(_url(mm, "?q=pompa+sensors"))) == []
    assert _names(client.get(_url(mm, "?q=nang"))) == [mm.danang.name]  # its city, Da Nang
    org = mm.makassar.organisation.name
    assert _names(client.get(_url(mm, f"?q={org}"))) == [mm.makassar.name]
    # Looking in what they offer only: the city looking for flood warning is not an offer of flood warning.
    makassar = client_for(mm.makassar.owner.user)
    assert _names(makassar.get(_url(mm, "?q=flood&side=offering"))) == [mm.company.name]
    assert _names(makassar.get(_url(mm, "?q=flood&side=looking_for"))) == []


def test_filters_by_country_name_kind_focus_area_and_mode(mm, client_for):
    mm.danang.focus_areas = ["quality_environment"]
    mm.danang.save()
    insurer = profile_for(mm.setup, PersonFactory(), kind="partner", country="JP", offering="Flood insurance")
    client = client_for(mm.company.owner.user)
    html = client.get(_url(mm)).content.decode()
    assert '<option value="VN">Viet Nam</option>' in html and '<option value="JP">Japan</option>' in html
    # Under the Japanese interface the countries are named in Japanese.
    html = client.get(_url(mm), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    with translation.override("ja"):
        assert f'<option value="VN">{country_name("VN")}</option>' in html
    assert country_name("VN", "ja") != "Viet Nam"
    assert _names(client.get(_url(mm, "?country=VN"))) == [mm.danang.name]
    assert _names(client.get(_url(mm, "?kind=partner"))) == [insurer.name]
    assert _names(client.get(_url(mm, "?mode=online"))) == [mm.danang.name]
    assert _names(client.get(_url(mm, "?focus=quality_environment"))) == [mm.danang.name]
    # A focus area carried by a linked need counts as well.
    need = Need.objects.create(city=mm.makassar.city, title="Clean air monitoring", description="Sensors")
    need.focus_areas.add(FocusAreaTag.objects.get_or_create(code="quality_environment")[0])
    mm.makassar.needs.add(need)
    assert sorted(_names(client.get(_url(mm, "?focus=quality_environment")))) == sorted(
        [mm.danang.name, mm.makassar.name]
    )
    # No hit says so, and offers the way back.
    html = client.get(_url(mm, "?country=VN&kind=company")).content.decode()
    assert "Nobody matches this search." in html
    # A value the page does not offer is ignored rather than an error.
    assert mm.makassar.name in _names(client.get(_url(mm, "?kind=dragon&mode=teleport&focus=x")))


def test_hidden_and_unapproved_profiles_are_not_listed(mm, client_for):
    mm.danang.visible = False
    mm.danang.save()
    names = _names(client_for(mm.company.owner.user).get(_url(mm)))
    assert names == [mm.makassar.name]  # not Da Nang (hidden), not the pending company, not oneself


def test_only_participants_and_organisers_see_the_directory(mm, client_for, network):
    anonymous = client_for(None).get(_url(mm))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(network.outsider).get(_url(mm)).status_code == 403
    # Another city's officer who is not registered for this meeting.
    assert client_for(network.banyuwangi_officer.user).get(_url(mm)).status_code == 403
    # A registrant still waiting for approval is not taking part yet.
    waiting = PersonFactory()
    RegistrationFactory(
        meeting=mm.meeting,
        category=mm.meeting.categories.get(code="city"),
        user=waiting.user,
        person=waiting,
        email=waiting.email,
        status="pending",
    )
    assert client_for(waiting.user).get(_url(mm)).status_code == 403
    # The organisers see everyone, without a request action (they have no profile).
    response = client_for(network.secretariat).get(_url(mm))
    assert sorted(_names(response)) == sorted([mm.makassar.name, mm.danang.name, mm.company.name])
    assert "Request a meeting" not in response.content.decode()
    # An approved participant without a profile yet may browse (as for suggestions).
    browsing = PersonFactory()
    RegistrationFactory(
        meeting=mm.meeting,
        category=mm.meeting.categories.get(code="city"),
        user=browsing.user,
        person=browsing,
        email=browsing.email,
        status="approved",
    )
    assert client_for(browsing.user).get(_url(mm)).status_code == 200
    # The matchmaking nav links to it.
    home = client_for(mm.company.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/")
    assert f'href="{_url(mm)}"' in home.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_directory(mm, client_for):
    client = client_for(mm.company.owner.user)

    def grow(to: int) -> None:
        while mm.setup.profiles.count() < to:
            other = profile_for(mm.setup, PersonFactory(), kind="city", looking_for="Flood pumps")
            if other.pk % 3 == 0:  # some of them already asked by the viewer
                MeetingRequest.objects.create(
                    setup=mm.setup,
                    requester=mm.company,
                    recipient=other,
                    pair_low=min(mm.company.pk, other.pk),
                    pair_high=max(mm.company.pk, other.pk),
                )

    grow(20)
    small = _queries(client, _url(mm, "?q=flood&page=1"))
    grow(200)
    large = client.get(_url(mm, "?q=flood&page=2"))
    assert large.context["page"].paginator.num_pages > 2 and len(large.context["entries"]) == 24
    assert _queries(client, _url(mm, "?q=flood&page=2")) == small


def test_a_search_reads_the_profiles_once_however_many_words_and_filters(mm, client_for):
    """Each word and the focus filter add conditions on one scan of the profiles (linked needs and
    offers through hashed subqueries), never another nested "id IN (profiles ...)": on PostgreSQL
    such nesting let the planner, with test-sized statistics, loop over the whole directory per
    profile, and one search over 200 profiles ran for minutes."""
    client = client_for(mm.company.owner.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url(mm, "?q=flood+pumps+makassar&focus=quality_environment&side=looking_for"))
    assert response.status_code == 200
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "matchmaking_profile"' in q["sql"]]
    assert listing, "the page lists profiles"
    assert max(sql.count('FROM "matchmaking_profile"') for sql in listing) == 1


def test_a_query_in_another_language_finds_participants_by_their_needs(mm, client_for, network, settings):
    from ascnhub.common import search_index

    need = Need.objects.create(
        city=network.makassar,
        title="Flood pump automation for the city canals",
        description="Pumps that start by themselves when the canals rise after heavy rain.",
    )
    mm.makassar.needs.add(need)
    # Meaning hits must stand out from the rest of the index, so the index holds other topics too.
    for title in (
        "Digital land registry for the provincial government",
        "School enrolment app for parents",
        "Electric buses for the airport shuttle",
        "Open data portal for the city budget",
        "Street lighting with smart dimming",
        "Tourist information kiosks in the old town",
        "Waste collection routes planned by software",
        "Telemedicine for rural health posts",
    ):
        Need.objects.create(city=network.makassar, title=title, description=title + ".")
    search_index.reindex(["need", "offer"])  # the real model, as the background task would
    client = client_for(mm.company.owner.user)
    # The need is written in English: the Japanese word for flood finds Makassar by meaning, though
    # no word of the query is in any text.
    found = _names(client.get(_url(mm, "?q=洪水")))
    assert mm.makassar.name in found and mm.company.name not in found
    settings.ASCNHUB_SEARCH = "lexical"  # words only: the same query finds nobody
    assert _names(client.get(_url(mm, "?q=洪水"))) == []


def test_no_request_button_once_requests_close_and_the_reason_is_shown(mm, client_for):
    """After the organiser closes requests (or the deadline passes) the directory says so once and
    offers no "Request a meeting" button; requests already made keep their status badge."""
    import datetime

    from django.utils import timezone

    client = client_for(mm.company.owner.user)
    client.post(
        f"/meetings/{mm.meeting.slug}/matchmaking/p/{mm.makassar.public_id}/request/",
        {"priority": "would_like"},
    )
    assert "Request a meeting" in client.get(_url(mm)).content.decode()  # Da Nang can still be asked

    mm.setup.is_open = False
    mm.setup.save()
    html = client.get(_url(mm)).content.decode()
    assert "Meeting requests are closed for this meeting." in html
    assert "Request a meeting" not in html and "waiting for an answer" in html

    mm.setup.is_open = True
    mm.setup.request_deadline = timezone.now() - datetime.timedelta(hours=1)
    mm.setup.save()
    html = client.get(_url(mm)).content.decode()
    assert "The deadline for meeting requests passed on" in html and "Request a meeting" not in html
