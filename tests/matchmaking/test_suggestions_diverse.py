"""Suggestions that are diverse (folded delegations, at least 20) and specific (item against item),
in the reader's language, and refreshed in the background when either side changes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from ascnhub.matchmaking import suggestions
from ascnhub.matchmaking.models import Suggestion
from ascnhub.matchmaking.tasks import refresh_suggestions
from ascnhub.matchmaking.templatetags.matchmaking_tags import reasons_text
from ascnhub.projects.models import Need, Offer
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db

NEEDS = [
    "Smart parking guidance",
    "Street lighting control",
    "Bus fleet electrification",
    "Waste collection routing",
    "Air quality monitoring stations",
    "E-government service portal",
    "School attendance analytics",
    "Tourism visitor counting",
    "Traffic signal timing",
    "Water leakage detection",
    "Open data portal",
    "Noise mapping",
]


def _home(mm, client_for, profile, **headers):
    response = client_for(profile.owner.user).get(f"/meetings/{mm.meeting.slug}/matchmaking/", **headers)
    assert response.status_code == 200
    return response


def test_a_large_delegation_is_folded_and_at_least_twenty_partners_are_listed(mm, network, client_for):
    # Ten officials of one Banyuwangi delegation, all after exactly what the company sells.
    for _ in range(10):
        profile_for(
            mm.setup,
            PersonFactory(organisation=mm.makassar.organisation),
            kind="city",
            city=network.banyuwangi,
            looking_for="River-level sensors and flood early-warning dashboards for our river",
        )
    for i in range(24):  # and two dozen other cities' delegations (each its own organisation)
        profile_for(mm.setup, PersonFactory(), kind="city", looking_for=NEEDS[i % len(NEEDS)] + f" ({i})")
    suggestions.refresh(mm.setup)

    response = _home(mm, client_for, mm.company)
    listed = response.context["suggestions"]
    assert len(listed) >= 20
    # No city or organisation more than twice on the list; Banyuwangi's other eight are folded under it.
    groups = [suggestions.group_key(s.other) for s in listed]
    assert max(groups.count(g) for g in groups) <= 2
    banyuwangi = [s for s in listed if s.other.city_id == network.banyuwangi.pk]
    assert len(banyuwangi) == 2 and len(banyuwangi[-1].folded) == 8
    html = response.content.decode()
    assert "<summary>8 more from Banyuwangi</summary>" in html
    # Folded entries are there without JavaScript (a <details> element), each with its own action.
    folded_part = html.split("<summary>8 more from Banyuwangi</summary>", 1)[1].split("</details>", 1)[0]
    assert folded_part.count("Ask for a meeting") == 8
    assert "a moment ago" in html


def test_every_eligible_partner_is_suggested_when_there_are_fewer_than_twenty(mm):
    for i in range(11):
        profile_for(mm.setup, PersonFactory(), kind="city", looking_for=NEEDS[i])
    suggestions.refresh(mm.setup)
    # Makassar, Da Nang and the eleven: the pending company is not eligible.
    assert Suggestion.objects.filter(profile=mm.company).count() == 13


def _flood_world(mm, network):
    pumps = Need.objects.create(
        city=network.makassar, title="Flood pump automation", description="Automate the canal pumps."
    )
    clinics = Need.objects.create(
        city=network.makassar, title="Telemedicine for home visits", description="Nurses visit patients."
    )
    mm.makassar.needs.set([pumps, clinics])
    mm.makassar.looking_for = ""
    mm.makassar.save()
    org = mm.company.organisation
    sensors = Offer.objects.create(
        organisation=org, slug="flood-sensors", title="Flood sensors", description="Water-level sensors."
    )
    parking = Offer.objects.create(
        organisation=org, slug="parking-app", title="Parking payment app", description="Pay by phone."
    )
    mm.company.offers.set([sensors, parking])
    mm.company.offering = ""
    mm.company.save()
    return pumps, sensors


def test_each_reason_names_the_two_items_in_the_readers_language(mm, network, client_for):
    _flood_world(mm, network)
    suggestions.refresh(mm.setup)
    for_company = Suggestion.objects.get(profile=mm.company, other=mm.makassar)
    with translation.override("en"):
        assert reasons_text(for_company.reasons)[0] == (
            "your offer “Flood sensors” ↔ Makassar’s need “Flood pump automation”"
        )
    with translation.override("ja"):
        assert reasons_text(for_company.reasons)[0] == (
            "あなたの提供「Flood sensors」↔ Makassarのニーズ「Flood pump automation」"
        )
    with translation.override("id"):
        assert reasons_text(for_company.reasons)[0] == (
            "tawaran Anda “Flood sensors” ↔ kebutuhan Makassar “Flood pump automation”"
        )
    for_city = Suggestion.objects.get(profile=mm.makassar, other=mm.company)
    with translation.override("en"):
        first = reasons_text(for_city.reasons)[0]
    company = mm.company.organisation.name
    assert first == f"your need “Flood pump automation” ↔ {company}’s offer “Flood sensors”"
    # A shared focus area alone is never the first reason when two items can be named.
    assert all(r["kind"] != "focus_area" for r in for_company.reasons[:1])
    # The page shows them in the viewer's language.
    html = _home(mm, client_for, mm.company, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "あなたの提供「Flood sensors」↔ Makassarのニーズ「Flood pump automation」" in html


def test_a_change_on_either_side_refreshes_suggestions_in_the_background(
    mm, network, django_capture_on_commit_callbacks
):
    pumps, sensors = _flood_world(mm, network)
    suggestions.refresh(mm.setup)
    before = Suggestion.objects.get(profile=mm.company, other=mm.makassar).computed_at

    # The city edits its need in the projects pages: the company's reason quotes the new title.
    pumps.title = "Automated flood pumping stations"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pumps.save()
    # One refresh of the suggestions (the site's search index is refreshed beside it).
    assert [c.__qualname__ for c in callbacks].count("schedule_refresh.<locals>.enqueue") == 1
    refreshed = Suggestion.objects.get(profile=mm.company, other=mm.makassar)
    assert refreshed.computed_at > before
    with translation.override("en"):
        assert "Makassar’s need “Automated flood pumping stations”" in reasons_text(refreshed.reasons)[0]

    # The company links another offer to its profile: it is matched at once.
    drains = Offer.objects.create(
        organisation=sensors.organisation, slug="drain-cams", title="Drain cameras", description="CCTV."
    )
    with django_capture_on_commit_callbacks(execute=True):
        mm.company.offers.add(drains)
    assert Suggestion.objects.get(profile=mm.company, other=mm.makassar).computed_at > refreshed.computed_at

    # A profile hidden from others leaves everyone's suggestions.
    mm.danang.visible = False
    with django_capture_on_commit_callbacks(execute=True):
        mm.danang.save()
    assert not Suggestion.objects.filter(other=mm.danang).exists()


def test_a_refresh_older_than_the_last_result_is_skipped(mm):
    suggestions.refresh(mm.setup)
    old = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    assert refresh_suggestions.enqueue(mm.setup.pk, old).return_value is None
    assert refresh_suggestions.enqueue(mm.setup.pk, timezone.now().isoformat()).return_value > 0
