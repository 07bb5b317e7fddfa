"""The matchmaking organiser page: "Set a meeting that must happen" by name, each form on its own."""

from __future__ import annotations

import re

from ascnhub.matchmaking.models import MeetingRequest
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for


def _url(mm) -> str:
    return f"/meetings/{mm.meeting.slug}/matchmaking/organise/"


def test_a_meeting_that_must_happen_is_set_by_names(mm, network, client_for):
    client = client_for(network.secretariat)
    page = client.get(_url(mm)).content.decode()
    # The two boxes suggest every participant by name (and organisation) from one list.
    assert page.count('list="mm-participants"') == 2
    assert f'<option value="{mm.danang.name}' in page
    response = client.post(
        _url(mm), {"action": "set_meeting", "a": mm.danang.name, "b": mm.company.name.upper()}
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get(setup=mm.setup, locked=True)
    assert {request.requester, request.recipient} == {mm.danang, mm.company}
    assert request.status == "accepted"
    page = client.get(_url(mm)).content.decode()
    assert f"Meeting between {mm.danang.name} and {mm.company.name} set." in page


def test_a_part_of_a_name_is_enough_when_it_names_one_participant(mm, network, client_for):
    mm.makassar.name = "Makassar City Government"
    mm.makassar.save()
    client = client_for(network.secretariat)
    # no capital, not from the start of the name
    client.post(_url(mm), {"action": "set_meeting", "a": "city gov", "b": mm.company.name})
    assert MeetingRequest.objects.filter(setup=mm.setup, locked=True, requester=mm.makassar).exists()


def test_an_unknown_or_ambiguous_participant_is_refused_by_name(mm, network, client_for):
    client = client_for(network.secretariat)
    response = client.post(_url(mm), {"action": "set_meeting", "a": "Atlantis", "b": mm.company.name})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No participant of this matchmaking is called “Atlantis”." in html
    assert "Enter a valid UUID" not in html
    # What was typed stays in the boxes.
    assert 'value="Atlantis"' in html
    profile_for(mm.setup, PersonFactory(name="Ayu Lestari"), kind="city", looking_for="x")
    profile_for(mm.setup, PersonFactory(name="Ayu Wulandari"), kind="city", looking_for="x")
    html = client.post(_url(mm), {"action": "set_meeting", "a": "ayu", "b": mm.company.name}).content.decode()
    assert "“ayu” names several participants" in html and "Ayu Lestari delegation" in html
    assert not MeetingRequest.objects.filter(setup=mm.setup, locked=True).exists()


def test_an_error_in_one_form_leaves_the_other_forms_as_stored(mm, network, client_for):
    mm.setup.is_open = True
    mm.setup.max_meetings = 7
    mm.setup.save()
    client = client_for(network.secretariat)
    html = client.post(_url(mm), {"action": "set_meeting", "a": "nobody", "b": "nobody"}).content.decode()
    assert "This field is required" not in html
    assert re.search(r'<input type="checkbox" name="setup-is_open"[^>]*checked', html)
    assert re.search(r'name="setup-max_meetings" value="7"', html)
    assert re.search(r'name="loc-tables" value="2"', html)
    # And a wrong Tables value does not touch the Rules form either.
    html = client.post(
        _url(mm), {"action": "locations", "loc-tables": "-1", "loc-video_rooms": "1"}
    ).content.decode()
    assert re.search(r'<input type="checkbox" name="setup-is_open"[^>]*checked', html)
    assert html.count("This field is required") == 0


def test_only_organisers_may_set_a_meeting(mm, network, client_for):
    data = {"action": "set_meeting", "a": mm.danang.name, "b": mm.company.name}
    assert client_for(mm.makassar.owner.user).post(_url(mm), data).status_code == 403
    anonymous = client_for(None).post(_url(mm), data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not MeetingRequest.objects.filter(setup=mm.setup, locked=True).exists()


def test_participants_awaiting_approval_are_not_suggested(mm, network, client_for):
    """The must-happen boxes suggest confirmed participants only: a meeting with someone whose
    registration still awaits approval is refused by the service, so it is not offered."""
    profile_for(
        mm.setup, PersonFactory(name="Pending Person"), kind="city", status="pending", looking_for="x"
    )
    page = client_for(network.secretariat).get(_url(mm)).content.decode()
    assert f'<option value="{mm.danang.name}' in page
    assert "Pending Person" not in page
