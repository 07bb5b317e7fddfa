"""The Atom feed of published changes: public projects and approved reports, never a draft."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ascnhub.projects import services as project_services

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client) -> list[ET.Element]:
    response = client.get("/open-data/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_feed_lists_published_changes_and_links_their_packages(world, client):
    entries = _entries(client)
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert any("Makassar home-care visits" in t for t in titles)
    assert any("Da Nang digital map" in t for t in titles)
    assert any(t.startswith("Progress approved: Makassar home-care visits") for t in titles)
    text = client.get("/open-data/changes.atom").content.decode()
    assert "Secret flood pumps" not in text
    assert "Submitted narrative" not in text and "Draft narrative" not in text
    assert "/open-data/projects/makassar-home-care.oc4ids.json" in text
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))


def test_publishing_a_draft_adds_an_entry_on_top(world, client):
    before = {e.findtext(f"{ATOM}id") for e in _entries(client)}
    project_services.save_project(
        world.net.secretariat,
        world.draft,
        {"published": True},
        focus_areas=["safety_security"],
    )
    entries = _entries(client)
    assert "Secret flood pumps" in entries[0].findtext(f"{ATOM}title")
    assert entries[0].findtext(f"{ATOM}id") not in before
