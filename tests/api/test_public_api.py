"""API v1 public data: projects, offers, meetings with agendas, outcomes — and nothing private."""

from __future__ import annotations

import pytest

from tests.events.factories import make_meeting
from tests.followup.factories import CommitmentFactory
from tests.projects.factories import OfferFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_only_published_projects_are_listed(client, network):
    ProjectFactory(
        city=network.makassar, title="Flood sensors", slug="flood-sensors", focus=["safety_security"]
    )
    ProjectFactory(city=network.makassar, title="Secret draft", slug="secret-draft", published=False)
    body = client.get("/api/v1/projects?country=ID").json()
    assert [p["slug"] for p in body["items"]] == ["flood-sensors"]
    assert body["items"][0]["focus_areas"] == ["safety_security"]
    assert client.get("/api/v1/projects/secret-draft").status_code == 404
    assert client.get("/api/v1/projects?focus_area=civic_social").json()["count"] == 0
    assert client.get("/api/v1/projects?status=dreaming").status_code == 422


def test_offers_are_listed_with_where_they_are_deployed(client, network):
    OfferFactory(title="River sensors", deployed_in="JP, VN")
    item = client.get("/api/v1/offers").json()["items"][0]
    assert item["title"] == "River sensors" and item["deployed_in"] == ["JP", "VN"]


def test_meeting_agenda_never_carries_online_links(client, network):
    hlm = make_meeting(network)
    body = client.get(f"/api/v1/meetings/{hlm.meeting.slug}").json()
    assert [s["title"] for s in body["agenda"]][:1] == ["Opening ceremony"]
    assert "https://meet.test.example" not in str(body) and "online_url" not in str(body)
    hlm.meeting.status = "draft"
    hlm.meeting.save()
    assert client.get(f"/api/v1/meetings/{hlm.meeting.slug}").status_code == 404


def test_outcomes_list_recommendations_and_commitments(client, network):
    commitment = CommitmentFactory(member_state=network.indonesia, description="Draft a national guideline")
    body = client.get("/api/v1/outcomes").json()
    recommendation = body["items"][0]["recommendations"][0]
    assert recommendation["commitments"][0]["party"] == "Indonesia"
    assert recommendation["commitments"][0]["id"] == str(commitment.public_id)
