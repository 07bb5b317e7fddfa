"""A visitor reads a Smart JAMP study page and the funding dashboard in a browser (axe-core clean)."""

from __future__ import annotations

import pytest

from ascnhub.programmes import demo as programmes_demo
from ascnhub.projects import demo as projects_demo
from ascnhub.registry import demo as registry_demo
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_study_page_and_funding_dashboard(page, live_server):
    registry_demo.load(lambda s: None)
    projects_demo.load(lambda s: None)
    programmes_demo.load(lambda s: None)

    page.goto("/programmes/")
    page.get_by_role("link", name="Smart JAMP").click()
    page.get_by_role("link", name="Battambang smart city master plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Battambang smart city master plan"
    assert page.get_by_text("FY2021").is_visible()
    assert page.get_by_role("link", name="ASEAN Urban Research Institute").first.is_visible()
    assert page.get_by_role("link", name="Master plan report").is_visible()
    assert axe_violations(page) == []
    # The study led to the MoU with its four numbered cooperation items.
    page.get_by_role(
        "link", name="Memorandum of understanding on smart city cooperation in Battambang"
    ).click()
    for n in range(1, 5):
        assert page.locator(f"#item-{n}").is_visible()
    assert page.get_by_text("Second and last training week held").is_visible()

    page.goto("/programmes/funding/")
    by_source = page.locator("#by-source-table")
    row = by_source.locator("tr", has_text="Ministry of Land, Infrastructure, Transport and Tourism")
    assert row.first.is_visible()
    assert "JPY" in row.first.inner_text()
    by_country = page.locator("#by-country-table")
    assert by_country.locator("tr", has_text="Cambodia").first.is_visible()
    assert axe_violations(page) == []


def test_the_city_map_draws_country_outlines_without_tiles(page, live_server):
    from tests.factories import make_network

    network = make_network()
    tile_requests = []
    page.on("request", lambda r: tile_requests.append(r.url) if "tile" in r.url else None)
    page.goto(network.makassar.get_absolute_url())
    page.wait_for_selector("#city-map.outlines-ready")
    outlines = page.locator(".leaflet-outlines-pane path")
    assert outlines.count() >= 12
    # The marker is drawn above the outlines.
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 1
    assert tile_requests == []
    assert page.locator(".leaflet-tile").count() == 0
