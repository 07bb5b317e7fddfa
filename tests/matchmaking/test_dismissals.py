""" "Not interested": a dismissed suggestion disappears and partners like it rank lower."""

from __future__ import annotations

import pytest

from ascnhub.matchmaking.dismissals import dismiss_suggestion
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.matchmaking.models import Dismissal, Suggestion
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db


def _company(mm, name, focus):
    other = profile_for(mm.setup, PersonFactory(name=name), kind="company", country="JP", offering=name)
    other.focus_areas = focus
    other.save()
    return other


def test_not_interested_hides_the_partner_and_ranks_similar_ones_lower(mm, client_for):
    sensors = _company(mm, "Sensor Maker", ["water", "resilience"])
    gauges = _company(mm, "Gauge Maker", ["water", "resilience"])
    buses = _company(mm, "Bus Maker", ["mobility"])
    for rank, (other, score) in enumerate([(sensors, 0.9), (gauges, 0.8), (buses, 0.7)], start=1):
        Suggestion.objects.create(profile=mm.makassar, other=other, rank=rank, score=score, reasons=["r"])
    client = client_for(mm.makassar.owner.user)
    home = f"/meetings/{mm.meeting.slug}/matchmaking/"

    def order():
        html = client.get(home).content.decode()
        names = [n for n in ("Sensor Maker", "Gauge Maker", "Bus Maker") if n + " delegation" in html]
        return sorted(names, key=lambda n: html.index(n + " delegation"))

    assert order() == ["Sensor Maker", "Gauge Maker", "Bus Maker"]
    response = client.post(
        f"/meetings/{mm.meeting.slug}/matchmaking/p/{sensors.public_id}/not-interested/", follow=True
    )
    assert "Sensor Maker delegation is hidden from your suggestions." in response.content.decode()
    # Hidden; the gauge maker shares every focus area with it, so it now ranks below the buses.
    assert order() == ["Bus Maker", "Gauge Maker"]
    assert Dismissal.objects.filter(profile=mm.makassar, other=sensors).count() == 1
    dismiss_suggestion(None, mm.makassar, sensors)  # twice is once
    assert Dismissal.objects.filter(profile=mm.makassar).count() == 1
    # Someone else's suggestions are untouched.
    Suggestion.objects.create(profile=mm.danang, other=sensors, rank=1, score=0.9, reasons=["r"])
    assert "Sensor Maker delegation" in client_for(mm.danang.owner.user).get(home).content.decode()


def test_one_cannot_dismiss_oneself(mm):
    with pytest.raises(MatchmakingError, match="cannot be dismissed"):
        dismiss_suggestion(None, mm.makassar, mm.makassar)
